// Reads one step (or helper) body: its `this.next` calls, the paths through it, and every
// `this.<artifact>` it assigns or reads (thisAccess.ts), the join's inputs included (inputReads.ts). Syntax only.
import { ts } from 'ts-morph';
import type { MergeCallModel, StepControlFlow } from '../model/flowModel';
import { childrenOf, isStackOverflow, isThisScope, literalValue, nameText, rangeOf, skipOuter, thisMemberName, walk } from './syntax';
import { BodyContext, BodyFacts } from './bodyFacts';
import { analyzeControlFlow } from './controlFlow';
import { InputReads } from './inputReads';
import { isNextCall, parseNextCall } from './nextCall';
import { recordBareThis, recordThisAccess } from './thisAccess';

/** Walks a method body. `inputsName` is the join's parameter, when there is one. */
export function readBody(ctx: BodyContext, body: ts.Node | undefined, inputsName?: string): BodyFacts {
  const facts: BodyFacts = {
    nextCalls: [],
    nextNodes: [],
    controlFlow: { pathWithoutNext: false, nextTwice: [], afterNext: [] },
    assignments: [],
    readAccesses: [],
    inputReads: [],
    merges: [],
    dynamic: false,
    helpers: [],
  };
  if (!body) return facts;
  const { sf } = ctx;
  const inputs = inputsName ? new InputReads(sf, inputsName, facts.inputReads) : undefined;

  // One node of the walk: records what it says and returns the nodes to walk next (see `walk`).
  const enter = (node: ts.Node): readonly ts.Node[] => {
    if (isThisScope(node)) return [];
    if (isNextCall(node)) {
      facts.nextNodes.push(node);
      facts.nextCalls.push(parseNextCall(sf, node));
      // Target references are not artifact reads; other argument expressions may hold some.
      return node.arguments.flatMap(nextArgParts);
    }
    if (ts.isCallExpression(node) && thisMemberName(node.expression) === 'mergeArtifacts') {
      facts.merges.push(parseMerge(sf, node));
      return node.arguments;
    }
    if (node.kind === ts.SyntaxKind.ThisKeyword) {
      recordBareThis(ctx, facts, node);
      return [];
    }
    if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const name = thisMemberName(node);
      if (name !== undefined) {
        recordThisAccess(ctx, facts, node, name);
        return [];
      }
      facts.dynamic = true;
      return ts.isElementAccessExpression(node) ? [node.argumentExpression] : [];
    }
    inputs?.visit(node);
    return childrenOf(node);
  };

  walk(body, enter);
  facts.helpers = [...new Set(facts.helpers)];
  if (ts.isBlock(body)) {
    const paths = pathsThrough(sf, body, facts.nextNodes);
    facts.controlFlow = paths ?? { pathWithoutNext: false, nextTwice: [], afterNext: [] };
    if (!paths) facts.tooDeep = true;
  } else facts.controlFlow = { pathWithoutNext: facts.nextNodes.length === 0, nextTwice: [], afterNext: [] };
  return facts;
}

/** The paths through a block body; undefined when its statements nest too deeply to follow (say nothing rather than guess). */
function pathsThrough(sf: ts.SourceFile, body: ts.Block, nextNodes: ts.CallExpression[]): StepControlFlow | undefined {
  try {
    return analyzeControlFlow(sf, body, nextNodes);
  } catch (e) {
    if (!isStackOverflow(e)) throw e;
    return undefined;
  }
}

/** The parts of a `this.next` argument that may read artifacts (not the step references). */
function nextArgParts(a: ts.Expression): ts.Node[] {
  const e = skipOuter(a);
  if (thisMemberName(e) !== undefined) return [];
  if (!ts.isObjectLiteralExpression(e)) return [a];
  return e.properties.flatMap((p): ts.Node[] => {
    if (!ts.isPropertyAssignment(p)) return [p];
    return thisMemberName(skipOuter(p.initializer)) === undefined ? [p.initializer] : [];
  });
}

function parseMerge(sf: ts.SourceFile, call: ts.CallExpression): MergeCallModel {
  const model: MergeCallModel = { range: rangeOf(sf, call), offset: call.getStart(sf), dynamic: false };
  const opts = call.arguments[1];
  if (!opts) return model;
  const o = skipOuter(opts);
  if (!ts.isObjectLiteralExpression(o)) {
    model.dynamic = true;
    return model;
  }
  for (const p of o.properties) {
    const key = ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) ? nameText(p.name) : undefined;
    if (!ts.isPropertyAssignment(p) || (key !== 'include' && key !== 'exclude')) {
      if (key !== 'include' && key !== 'exclude' && key !== undefined) continue;
      model.dynamic = true;
      continue;
    }
    const v = literalValue(p.initializer);
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      model.dynamic = true;
      continue;
    }
    model[key] = v as string[];
  }
  return model;
}

// Reads one step (or helper) body: its `this.next` calls, the paths through it, and every
// `this.<artifact>` it assigns or reads. Syntax only.
import { ts } from 'ts-morph';
import type { ArtifactAccess, MergeCallModel, StepModel } from '../model/flowModel';
import {
  NOT_LITERAL,
  childrenOf,
  isStackOverflow,
  isThisScope,
  iterableShape,
  literalValue,
  nameText,
  rangeOf,
  skipOuter,
  thisMemberName,
  walk,
} from './syntax';
import { analyzeControlFlow } from './controlFlow';
import { isNextCall, parseNextCall } from './nextCall';
import { FLOWSPEC_MEMBERS } from '../model/reserved';

/** Properties of `inputs` that are not branch names. */
const INPUTS_MEMBERS = new Set([
  'length',
  'map',
  'forEach',
  'filter',
  'reduce',
  'reduceRight',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'flatMap',
  'slice',
  'at',
  'entries',
  'keys',
  'values',
  'indexOf',
  'includes',
  'join',
  'concat',
  'toString',
  'constructor',
  'hasOwnProperty',
]);
const CALLBACK_METHODS = new Set([
  'map',
  'forEach',
  'filter',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'flatMap',
]);

export interface BodyContext {
  sf: ts.SourceFile;
  /** Names that are not artifacts when read: steps, methods, constants, parameters. */
  kindOf(name: string): 'step' | 'method' | 'constant' | 'field' | 'parameter' | undefined;
}

/** What a step's body says, before it becomes the step's model (plus the call nodes, for ranges). */
export interface BodyFacts extends Pick<
  StepModel,
  'nextCalls' | 'controlFlow' | 'assignments' | 'readAccesses' | 'inputReads' | 'merges' | 'dynamic' | 'helpers'
> {
  nextNodes: ts.CallExpression[];
  /** The body nests too deeply for the path checks (`missing-transition`, `this.next` twice): skipped. */
  tooDeep?: boolean;
}

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
  const inputVars = new Set<string>();

  const record = (list: ArtifactAccess[], name: string, node: ts.Node, extra: Partial<ArtifactAccess> = {}) => {
    list.push({ name, range: rangeOf(sf, node), offset: node.getStart(sf), ...extra });
  };

  const isInputsLike = (e: ts.Expression): boolean => {
    e = skipOuter(e);
    if (ts.isIdentifier(e)) return e.text === inputsName || inputVars.has('[]' + e.text);
    if (ts.isArrayLiteralExpression(e)) return e.elements.some((x) => ts.isSpreadElement(x) && isInputsLike(x.expression));
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      const callee = e.expression;
      if (ts.isIdentifier(callee.expression) && callee.expression.text === 'Array' && callee.name.text === 'from') {
        return e.arguments.length > 0 && isInputsLike(e.arguments[0]);
      }
      if (['filter', 'slice', 'concat'].includes(callee.name.text)) return isInputsLike(callee.expression);
    }
    return false;
  };

  // An element of the inputs: `inputs[0]`, a loop variable over inputs, a callback parameter.
  const isInputElement = (e: ts.Expression): boolean => {
    e = skipOuter(e);
    if (ts.isIdentifier(e)) return inputVars.has(e.text);
    if (ts.isElementAccessExpression(e)) return isInputsLike(e.expression);
    return false;
  };

  const bindElement = (name: ts.BindingName | undefined) => {
    if (!name) return;
    if (ts.isIdentifier(name)) inputVars.add(name.text);
    else if (ts.isObjectBindingPattern(name)) {
      for (const el of name.elements) {
        const key = nameText(el.propertyName ?? el.name);
        if (key) facts.inputReads.push({ name: key, range: rangeOf(sf, el) });
      }
    }
  };

  const visitThisAccess = (node: ts.PropertyAccessExpression | ts.ElementAccessExpression, name: string) => {
    const parent = node.parent;
    const kind = ctx.kindOf(name);
    // Method calls: this.next(...), this.mergeArtifacts(...), this.helper(...).
    if (ts.isCallExpression(parent) && parent.expression === node) {
      if (kind === 'method' || kind === 'constant') facts.helpers.push(name);
      return;
    }
    if (FLOWSPEC_MEMBERS.has(name) && !isWrite(node)) return;
    const write = isWrite(node);
    if (write) {
      let literal: string | undefined;
      let shape: ArtifactAccess['shape'] = 'unknown';
      if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const v = literalValue(parent.right);
        if (v !== NOT_LITERAL) literal = JSON.stringify(v);
        shape = iterableShape(parent.right);
      }
      record(facts.assignments, name, node, { literal, shape });
      if (write === 'update') record(facts.readAccesses, name, node, { guarded: isGuardingUpdate(parent) });
      return;
    }
    if (kind === 'step' || kind === 'method' || kind === 'constant' || kind === 'parameter') return;
    record(facts.readAccesses, name, node, { guarded: isGuardedRead(node) });
  };

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
      visitBareThis(node);
      return [];
    }
    if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const name = thisMemberName(node);
      if (name !== undefined) {
        visitThisAccess(node, name);
        return [];
      }
      facts.dynamic = true;
      return ts.isElementAccessExpression(node) ? [node.argumentExpression] : [];
    }
    if (inputsName) visitInputs(node);
    return childrenOf(node);
  };

  // The parts of a `this.next` argument that may read artifacts (not the step references).
  const nextArgParts = (a: ts.Expression): ts.Node[] => {
    const e = skipOuter(a);
    if (thisMemberName(e) !== undefined) return [];
    if (!ts.isObjectLiteralExpression(e)) return [a];
    return e.properties.flatMap((p): ts.Node[] => {
      if (!ts.isPropertyAssignment(p)) return [p];
      return thisMemberName(skipOuter(p.initializer)) === undefined ? [p.initializer] : [];
    });
  };

  const visitBareThis = (node: ts.Node): void => {
    const parent = node.parent;
    // `'x' in this`: a guarded read.
    if (ts.isBinaryExpression(parent) && parent.right === node && parent.operatorToken.kind === ts.SyntaxKind.InKeyword) return;
    // `const { a, b } = this`: reads of a and b.
    if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isObjectBindingPattern(parent.name)) {
      for (const el of parent.name.elements) {
        if (el.dotDotDotToken) {
          facts.dynamic = true;
          continue;
        }
        const key = nameText(el.propertyName ?? el.name);
        if (key === undefined) {
          facts.dynamic = true;
          continue;
        }
        const kind = ctx.kindOf(key);
        if (kind || FLOWSPEC_MEMBERS.has(key)) continue;
        record(facts.readAccesses, key, el, { guarded: !!el.initializer });
      }
      return;
    }
    facts.dynamic = true;
  };

  const visitInputs = (node: ts.Node): void => {
    // for (const i of inputs)
    if (ts.isForOfStatement(node) && isInputsLike(node.expression) && ts.isVariableDeclarationList(node.initializer)) {
      for (const d of node.initializer.declarations) bindElement(d.name);
    }
    // inputs.map((i) => i.x), [...inputs].reduce((s, i) => ..., 0)
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && isInputsLike(node.expression.expression)) {
      const method = node.expression.name.text;
      const cb = node.arguments[0];
      if (cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) {
        const index = method === 'reduce' || method === 'reduceRight' ? 1 : CALLBACK_METHODS.has(method) ? 0 : -1;
        if (index >= 0) bindElement(cb.parameters[index]?.name);
      }
    }
    // const first = inputs[0]; const all = [...inputs]
    if (ts.isVariableDeclaration(node) && node.initializer && ts.isIdentifier(node.name)) {
      if (isInputElement(node.initializer)) inputVars.add(node.name.text);
      else if (isInputsLike(node.initializer)) inputVars.add('[]' + node.name.text);
    }
    if (ts.isVariableDeclaration(node) && node.initializer && ts.isObjectBindingPattern(node.name) && isInputElement(node.initializer)) {
      bindElement(node.name);
    }
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
      const base = skipOuter(node.expression);
      // inputs.a.x
      if (
        ts.isPropertyAccessExpression(base) &&
        ts.isIdentifier(base.expression) &&
        base.expression.text === inputsName &&
        !INPUTS_MEMBERS.has(base.name.text)
      ) {
        facts.inputReads.push({
          name: node.name.text,
          branch: base.name.text,
          branchRange: rangeOf(sf, base.name),
          range: rangeOf(sf, node.name),
        });
      } else if (isInputElement(base) && !(ts.isCallExpression(node.parent) && node.parent.expression === node)) {
        facts.inputReads.push({ name: node.name.text, range: rangeOf(sf, node.name) });
      }
    }
  };

  walk(body, enter);
  facts.helpers = [...new Set(facts.helpers)];
  if (ts.isBlock(body)) {
    try {
      facts.controlFlow = analyzeControlFlow(sf, body, facts.nextNodes);
    } catch (e) {
      if (!isStackOverflow(e)) throw e;
      // Statements nested too deeply to follow: say nothing about the paths rather than guess.
      facts.controlFlow = { pathWithoutNext: false, nextTwice: [], afterNext: [] };
      facts.tooDeep = true;
    }
  } else facts.controlFlow = { pathWithoutNext: facts.nextNodes.length === 0, nextTwice: [], afterNext: [] };
  return facts;
}

/** 'assign' for `this.x = ..`, 'update' for `this.x += ..`/`this.x++`, undefined for reads. */
function isWrite(node: ts.Node): 'assign' | 'update' | undefined {
  let child: ts.Node = node;
  let parent = node.parent;
  // Destructuring targets: [this.a, this.b] = ..., ({ k: this.a } = ...)
  while (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent)) {
    child = parent;
    parent = parent.parent;
  }
  if (ts.isBinaryExpression(parent) && parent.left === child) {
    const op = parent.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsToken) return 'assign';
    if (op >= ts.SyntaxKind.FirstCompoundAssignment && op <= ts.SyntaxKind.LastCompoundAssignment) return 'update';
  }
  if (
    (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) &&
    (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)
  )
    return 'update';
  if (
    ts.isArrayLiteralExpression(parent) ||
    ts.isShorthandPropertyAssignment(parent) ||
    ts.isPropertyAssignment(parent) ||
    ts.isSpreadElement(parent)
  ) {
    let top: ts.Node = parent;
    while (
      ts.isPropertyAssignment(top) ||
      ts.isShorthandPropertyAssignment(top) ||
      ts.isSpreadElement(top) ||
      ((ts.isArrayLiteralExpression(top) || ts.isObjectLiteralExpression(top)) &&
        (ts.isArrayLiteralExpression(top.parent) ||
          ts.isObjectLiteralExpression(top.parent) ||
          ts.isPropertyAssignment(top.parent) ||
          ts.isSpreadElement(top.parent)))
    ) {
      top = top.parent;
    }
    if (ts.isBinaryExpression(top.parent) && top.parent.left === top && top.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken)
      return 'assign';
  }
  if (ts.isForOfStatement(parent) || ts.isForInStatement(parent)) return parent.initializer === child ? 'assign' : undefined;
  return undefined;
}

function isGuardingUpdate(parent: ts.Node): boolean {
  if (!ts.isBinaryExpression(parent)) return false;
  const op = parent.operatorToken.kind;
  return (
    op === ts.SyntaxKind.QuestionQuestionEqualsToken ||
    op === ts.SyntaxKind.BarBarEqualsToken ||
    op === ts.SyntaxKind.AmpersandAmpersandEqualsToken
  );
}

/** A read written to tolerate a missing artifact. */
function isGuardedRead(node: ts.Node): boolean {
  let child: ts.Node = node;
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent) || ts.isAsExpression(parent)) {
    child = parent;
    parent = parent.parent;
  }
  if (ts.isTypeOfExpression(parent)) return true;
  if (
    (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || ts.isCallExpression(parent)) &&
    parent.questionDotToken &&
    parent.expression === child
  )
    return true;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    if (op === ts.SyntaxKind.QuestionQuestionToken && parent.left === child) return true;
    const other = parent.left === child ? parent.right : parent.left;
    const eq =
      op === ts.SyntaxKind.EqualsEqualsEqualsToken ||
      op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
      op === ts.SyntaxKind.EqualsEqualsToken ||
      op === ts.SyntaxKind.ExclamationEqualsToken;
    if (eq && (other.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(other) && other.text === 'undefined'))) return true;
  }
  return false;
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

// Reads one step method into its model: its parameters (a join's inputs), what its body does with
// the helpers it calls folded in, the artifact @catchError assigns, and its kind.
import { ts } from 'ts-morph';
import type { ArtifactAccess, StepKind, StepModel, TransitionModel } from '../model/flowModel';
import { readBody } from './body';
import type { BodyContext, BodyFacts } from './bodyFacts';
import { catchErrorAssignments, decoratorUses, stepDecoratorNames } from './decorators';
import type { MemberInfo } from './members';
import { childrenOf, leadingDoc, nameText, rangeOf, walk } from './syntax';

/** The facts of a flow's helper (a non-step method) by name; undefined when it has no body. */
export type HelperFacts = (name: string) => BodyFacts | undefined;

/** Reads each helper once, when a step first calls it. */
export function helperReader(ctx: BodyContext, members: Record<string, MemberInfo>): HelperFacts {
  const read = new Map<string, BodyFacts>();
  return (name) => {
    const body = members[name]?.body;
    if (!body) return undefined;
    if (!read.has(name)) read.set(name, readBody(ctx, body));
    return read.get(name);
  };
}

export function stepName(sf: ts.SourceFile, m: ts.MethodDeclaration): string {
  return nameText(m.name) ?? m.name.getText(sf);
}

export interface StepReading {
  model: StepModel;
  /** The body nests too deeply for the path checks (they skip it). */
  tooDeep: boolean;
}

/** Reads a step; the value expression of each `this.x = value` it assigns goes into `assignedValues`. */
export function readStep(
  ctx: BodyContext,
  m: ts.MethodDeclaration,
  helpers: HelperFacts,
  assignedValues: Map<ArtifactAccess, ts.Expression>,
): StepReading {
  const { sf } = ctx;
  const paramNodes = m.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this'));
  const params = paramNodes.map((p) => ({ name: p.name.getText(sf), range: rangeOf(sf, p) }));
  const inputsName = paramNodes[0] && ts.isIdentifier(paramNodes[0].name) ? paramNodes[0].name.text : undefined;
  const facts = readBody(ctx, m.body, inputsName);
  facts.assignments.push(...catchErrorAssignments(sf, m));
  collectAssignedValues(facts, m.body, assignedValues, sf);
  const called = foldHelpers(facts, helpers);
  const name = stepName(sf, m);
  const transition = facts.nextCalls.map((c) => c.transition).filter((t) => t !== null)[0] ?? null;
  const model: StepModel = {
    name,
    range: rangeOf(sf, m.name),
    fullRange: rangeOf(sf, m),
    kind: stepKind(name, params.length > 0, transition),
    doc: leadingDoc(sf, m),
    decorators: stepDecoratorNames(m),
    decoratorUses: decoratorUses(sf, m),
    transition,
    hasInputs: params.length > 0,
    assigns: [...new Set(facts.assignments.map((a) => a.name))],
    reads: [...new Set(facts.readAccesses.map((a) => a.name))],
    params,
    async: !!m.modifiers?.some((x) => x.kind === ts.SyntaxKind.AsyncKeyword),
    nextCalls: facts.nextCalls,
    controlFlow: facts.controlFlow,
    assignments: facts.assignments,
    readAccesses: facts.readAccesses,
    inputReads: facts.inputReads,
    merges: facts.merges,
    dynamic: facts.dynamic,
    helpers: [...called],
  };
  return { model, tooDeep: !!facts.tooDeep };
}

function stepKind(name: string, hasInputs: boolean, transition: TransitionModel | null): StepKind {
  if (name === 'start') return 'start';
  if (name === 'end') return 'end';
  if (hasInputs) return 'join';
  if (transition?.kind === 'branch') return 'split';
  if (transition?.kind === 'foreach') return 'foreach';
  if (transition?.kind === 'switch') return 'switch';
  return 'linear';
}

/**
 * Folds in the helpers the step calls, transitively: their assignments (at offset -1, `via` the
 * helper), their dynamic accesses, and their `this.next` calls when the step has none of its own.
 * Returns the names of the helpers it followed.
 */
function foldHelpers(facts: BodyFacts, helpers: HelperFacts): Set<string> {
  const seen = new Set<string>();
  const queue = [...facts.helpers];
  const helperNext: BodyFacts[] = [];
  while (queue.length) {
    const h = queue.shift()!;
    if (seen.has(h)) continue;
    seen.add(h);
    const hf = helpers(h);
    if (!hf) continue;
    for (const a of hf.assignments) facts.assignments.push({ ...a, offset: -1, via: h });
    if (hf.dynamic) facts.dynamic = true;
    if (hf.nextCalls.length) helperNext.push(hf);
    queue.push(...hf.helpers);
  }
  if (facts.nextCalls.length === 0 && helperNext.length) {
    facts.nextCalls = helperNext.flatMap((h) => h.nextCalls);
    facts.controlFlow = { pathWithoutNext: false, nextTwice: [], afterNext: [] };
  }
  return seen;
}

/** Remembers the value expression of each assignment, for the type-based foreach check. */
function collectAssignedValues(facts: BodyFacts, body: ts.Node | undefined, into: Map<ArtifactAccess, ts.Expression>, sf: ts.SourceFile) {
  if (!body || facts.assignments.length === 0) return;
  const byOffset = new Map<number, ArtifactAccess>();
  for (const a of facts.assignments) if (a.shape === 'unknown') byOffset.set(a.offset, a);
  if (byOffset.size === 0) return;
  walk(body, (n) => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const a = byOffset.get(n.left.getStart(sf));
      if (a) into.set(a, n.right);
    }
    return childrenOf(n);
  });
}

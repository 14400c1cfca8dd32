// Artifact accesses through `this` in a body: assignments (`this.x = ..`, `this.x += ..`,
// destructuring targets), reads and whether a read tolerates a missing artifact.
import { ts } from 'ts-morph';
import type { ArtifactAccess } from '../model/flowModel';
import { FLOWSPEC_MEMBERS } from '../model/reserved';
import type { BodyContext, BodyFacts } from './bodyFacts';
import { isThisScope, iterableShape, literalValue, nameText, NOT_LITERAL, rangeOf, skipOuter } from './syntax';

/** `this.<name>`: a helper call, an artifact assignment, or an artifact read (guarded or not). */
export function recordThisAccess(
  ctx: BodyContext,
  facts: BodyFacts,
  node: ts.PropertyAccessExpression | ts.ElementAccessExpression,
  name: string,
): void {
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
    recordAccess(ctx.sf, facts.assignments, name, node, { literal, shape });
    if (write === 'update') recordAccess(ctx.sf, facts.readAccesses, name, node, { guarded: isGuardedRead(node, name) });
    return;
  }
  if (kind === 'step' || kind === 'method' || kind === 'constant' || kind === 'parameter') return;
  recordAccess(ctx.sf, facts.readAccesses, name, node, { guarded: isGuardedRead(node, name) });
}

/** `this` on its own: `'x' in this`, `const { a, b } = this` (reads of a and b), else a dynamic access. */
export function recordBareThis(ctx: BodyContext, facts: BodyFacts, node: ts.Node): void {
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
      recordAccess(ctx.sf, facts.readAccesses, key, el, { guarded: !!el.initializer });
    }
    return;
  }
  facts.dynamic = true;
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

/**
 * A read that only runs when the artifact is there: under `'x' in this` (an `if`, `?:` or `&&`
 * whose condition tests it). `this.x ?? d`, `typeof this.x` and `this.x?.y` still read `x`, and
 * reading an artifact the task does not have throws, as Metaflow's AttributeError.
 */
function isGuardedRead(node: ts.Node, name: string): boolean {
  for (let child: ts.Node = node, parent = node.parent; parent && !isThisScope(parent); child = parent, parent = parent.parent) {
    if (ts.isIfStatement(parent) || ts.isConditionalExpression(parent)) {
      const [cond, whenTrue, whenFalse] = ts.isIfStatement(parent)
        ? [parent.expression, parent.thenStatement, parent.elseStatement]
        : [parent.condition, parent.whenTrue, parent.whenFalse];
      if (child === whenTrue && testsPresence(cond, name, true)) return true;
      if (child === whenFalse && testsPresence(cond, name, false)) return true;
    }
    if (ts.isBinaryExpression(parent) && parent.right === child) {
      const op = parent.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken && testsPresence(parent.left, name, true)) return true;
      if (op === ts.SyntaxKind.BarBarToken && testsPresence(parent.left, name, false)) return true;
    }
  }
  return false;
}

/** Does `cond` being `truth` imply `'name' in this`? (`'x' in this`, `a && 'x' in this`, `!('x' in this)`). */
function testsPresence(cond: ts.Expression, name: string, truth: boolean): boolean {
  const e = skipOuter(cond);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return testsPresence(e.operand, name, !truth);
  if (!ts.isBinaryExpression(e)) return false;
  const op = e.operatorToken.kind;
  if (op === ts.SyntaxKind.InKeyword) {
    return truth && skipOuter(e.right).kind === ts.SyntaxKind.ThisKeyword && ts.isStringLiteralLike(e.left) && e.left.text === name;
  }
  if (op === ts.SyntaxKind.AmpersandAmpersandToken && truth) return testsPresence(e.left, name, true) || testsPresence(e.right, name, true);
  if (op === ts.SyntaxKind.BarBarToken && !truth) return testsPresence(e.left, name, false) || testsPresence(e.right, name, false);
  return false;
}

/** Adds an access of artifact `name` at `node` to `list`. */
function recordAccess(sf: ts.SourceFile, list: ArtifactAccess[], name: string, node: ts.Node, extra: Partial<ArtifactAccess> = {}): void {
  list.push({ name, range: rangeOf(sf, node), offset: node.getStart(sf), ...extra });
}

// Small helpers over TypeScript syntax nodes shared by the parser and the body walker.
import { ts } from 'ts-morph';
import type { Position, Range } from '../model/flowModel';

/**
 * Walks a tree depth-first, in source order, without recursion: deeply nested code (thousands of
 * `if` blocks or `+` operands) must not overflow the stack. `enter` returns the nodes to walk
 * next, in order: usually `childrenOf(node)`, fewer when it handled the node itself.
 */
export function walk(root: ts.Node, enter: (node: ts.Node) => readonly ts.Node[]): void {
  const stack: ts.Node[] = [root];
  while (stack.length) {
    const next = enter(stack.pop()!);
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]);
  }
}

/** The direct children of a node, in source order. */
export function childrenOf(node: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  ts.forEachChild(node, (c) => {
    out.push(c);
  });
  return out;
}

/** A RangeError from a JavaScript stack overflow (TypeScript's parser recurses over nesting). */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

export function pos(sf: ts.SourceFile, offset: number): Position {
  const lc = sf.getLineAndCharacterOfPosition(offset);
  return { line: lc.line, character: lc.character };
}

export function rangeOf(sf: ts.SourceFile, node: ts.Node): Range {
  return { start: pos(sf, node.getStart(sf)), end: pos(sf, node.getEnd()) };
}

export function rangeAt(sf: ts.SourceFile, start: number, end: number): Range {
  return { start: pos(sf, start), end: pos(sf, end) };
}

/** The text of a property or method name, or undefined for computed names. */
export function nameText(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

/** `this.<name>` → name (also `this['name']`). */
export function thisMemberName(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
    return ts.isIdentifier(node.name) ? node.name.text : undefined;
  }
  if (
    ts.isElementAccessExpression(node) &&
    node.expression.kind === ts.SyntaxKind.ThisKeyword &&
    ts.isStringLiteralLike(node.argumentExpression)
  ) {
    return node.argumentExpression.text;
  }
  return undefined;
}

/** Strips parentheses, `as`, `!` and `satisfies` around an expression. */
export function skipOuter(node: ts.Expression): ts.Expression {
  for (;;) {
    if (
      ts.isParenthesizedExpression(node) ||
      ts.isAsExpression(node) ||
      ts.isNonNullExpression(node) ||
      ts.isSatisfiesExpression(node) ||
      ts.isTypeAssertionExpression(node)
    )
      node = node.expression;
    else return node;
  }
}

export const NOT_LITERAL = Symbol('not-literal');

/** The value of a literal expression (numbers, strings, booleans, null, arrays and objects of them). */
export function literalValue(node: ts.Expression): unknown {
  node = skipOuter(node);
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand)) {
    if (node.operator === ts.SyntaxKind.MinusToken) return -Number(node.operand.text);
    if (node.operator === ts.SyntaxKind.PlusToken) return Number(node.operand.text);
  }
  if (ts.isArrayLiteralExpression(node)) {
    const out: unknown[] = [];
    for (const e of node.elements) {
      if (ts.isSpreadElement(e) || ts.isOmittedExpression(e)) return NOT_LITERAL;
      const v = literalValue(e);
      if (v === NOT_LITERAL) return NOT_LITERAL;
      out.push(v);
    }
    return out;
  }
  if (ts.isObjectLiteralExpression(node)) {
    const out: Record<string, unknown> = {};
    for (const p of node.properties) {
      if (!ts.isPropertyAssignment(p)) return NOT_LITERAL;
      const key = nameText(p.name);
      if (key === undefined) return NOT_LITERAL;
      const v = literalValue(p.initializer);
      if (v === NOT_LITERAL) return NOT_LITERAL;
      out[key] = v;
    }
    return out;
  }
  return NOT_LITERAL;
}

/** What is syntactically known about iterating over an expression's value. */
export function iterableShape(node: ts.Expression): 'iterable' | 'not-iterable' | 'empty' | 'unknown' {
  node = skipOuter(node);
  if (ts.isArrayLiteralExpression(node)) return node.elements.length === 0 ? 'empty' : 'iterable';
  if (ts.isStringLiteralLike(node) || ts.isTemplateExpression(node)) return 'iterable';
  if (
    ts.isNumericLiteral(node) ||
    ts.isBigIntLiteral(node) ||
    ts.isObjectLiteralExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isRegularExpressionLiteral(node)
  )
    return 'not-iterable';
  switch (node.kind) {
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
      return 'not-iterable';
  }
  if (ts.isIdentifier(node) && node.text === 'undefined') return 'not-iterable';
  if (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand)) return 'not-iterable';
  if (ts.isArrayLiteralExpression(node)) return 'iterable';
  // Calls that return arrays or strings: no need to ask the type checker.
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const method = node.expression.name.text;
    const on = node.expression.expression;
    if (
      ts.isIdentifier(on) &&
      (on.text === 'Object' || on.text === 'Array') &&
      ['keys', 'values', 'entries', 'from', 'of'].includes(method)
    )
      return 'iterable';
    if (
      [
        'map',
        'filter',
        'slice',
        'concat',
        'split',
        'flat',
        'flatMap',
        'sort',
        'toSorted',
        'reverse',
        'toReversed',
        'keys',
        'values',
        'entries',
        'padStart',
        'padEnd',
        'trim',
        'join',
        'toUpperCase',
        'toLowerCase',
        'repeat',
        'replace',
        'replaceAll',
        'toString',
      ].includes(method)
    )
      return 'iterable';
  }
  if (
    ts.isNewExpression(node) &&
    ts.isIdentifier(node.expression) &&
    ['Map', 'Set', 'Array', 'Uint8Array', 'Int32Array', 'Float64Array'].includes(node.expression.text)
  )
    return 'iterable';
  return 'unknown';
}

/** Leading comment of a declaration without comment markers (JSDoc or `//` lines). */
export function leadingDoc(sf: ts.SourceFile, node: ts.Node): string | undefined {
  const text = sf.text;
  const ranges = ts.getLeadingCommentRanges(text, node.getFullStart());
  if (!ranges || ranges.length === 0) return undefined;
  // Take the last block comment, or the run of `//` comments that ends right before the node.
  const last = ranges[ranges.length - 1];
  let doc: string;
  if (last.kind === ts.SyntaxKind.MultiLineCommentTrivia) {
    doc = text
      .slice(last.pos, last.end)
      .replace(/^\/\*\*?/, '')
      .replace(/\*\/$/, '')
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, '').trimEnd())
      .join('\n');
  } else {
    const lines: string[] = [];
    for (let i = ranges.length - 1; i >= 0 && ranges[i].kind === ts.SyntaxKind.SingleLineCommentTrivia; i--) {
      lines.unshift(
        text
          .slice(ranges[i].pos, ranges[i].end)
          .replace(/^\/\/\/? ?/, '')
          .trimEnd(),
      );
    }
    doc = lines.join('\n');
  }
  doc = doc.trim();
  return doc || undefined;
}

/** Decorators of a class member (TypeScript 5 keeps them among the modifiers). */
export function decoratorsOf(node: ts.Node): readonly ts.Decorator[] {
  return (ts.canHaveDecorators(node) ? ts.getDecorators(node) : undefined) ?? [];
}

/** The name a decorator is known by: `@step` → step, `@retry({...})` → retry, `@fs.step` → step. */
export function decoratorName(d: ts.Decorator): string | undefined {
  let e = d.expression;
  if (ts.isCallExpression(e)) e = e.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** The callee name of `Parameter(...)` / `fs.Parameter(...)`. */
export function calleeName(call: ts.CallExpression): string | undefined {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** True when a node starts a new `this` scope (a non-arrow function or a class). */
export function isThisScope(node: ts.Node): boolean {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isClassLike(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isGetAccessor(node) ||
    ts.isSetAccessor(node) ||
    ts.isConstructorDeclaration(node)
  );
}

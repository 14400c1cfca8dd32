// Reads of a join's inputs: `inputs.a.x` (branch a's x), `inputs[0].x`, `for (const i of inputs) i.x`,
// `inputs.map((i) => i.x)`, `const { x } = inputs[0]` — and the variables that hold inputs.
import { ts } from 'ts-morph';
import type { StepModel } from '../model/flowModel';
import { nameText, rangeOf, skipOuter } from './syntax';

/**
 * The array methods of `inputs` (a join's inputs are an array of its branches' tasks): for each
 * that calls back with every input, the position of the input among the callback's parameters.
 */
const ARRAY_METHODS = new Map<string, number | undefined>([
  ['map', 0],
  ['forEach', 0],
  ['filter', 0],
  ['reduce', 1],
  ['reduceRight', 1],
  ['some', 0],
  ['every', 0],
  ['find', 0],
  ['findIndex', 0],
  ['findLast', 0],
  ['findLastIndex', 0],
  ['flatMap', 0],
  ['slice', undefined],
  ['at', undefined],
  ['entries', undefined],
  ['keys', undefined],
  ['values', undefined],
  ['indexOf', undefined],
  ['includes', undefined],
  ['join', undefined],
  ['concat', undefined],
]);
/** Properties of `inputs` that are not branch names. */
const INPUTS_MEMBERS = new Set(['length', 'toString', 'constructor', 'hasOwnProperty', ...ARRAY_METHODS.keys()]);

export class InputReads {
  /** Variables holding one input, and (prefixed `[]`) variables holding an array of them. */
  private readonly inputVars = new Set<string>();

  constructor(
    private readonly sf: ts.SourceFile,
    /** The join's parameter. */
    private readonly inputsName: string,
    private readonly reads: StepModel['inputReads'],
  ) {}

  /** The inputs, or an array made of them (`[...inputs]`, `inputs.filter(..)`, a variable holding one). */
  private isInputsLike(e: ts.Expression): boolean {
    e = skipOuter(e);
    if (ts.isIdentifier(e)) return e.text === this.inputsName || this.inputVars.has('[]' + e.text);
    if (ts.isArrayLiteralExpression(e)) return e.elements.some((x) => ts.isSpreadElement(x) && this.isInputsLike(x.expression));
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      const callee = e.expression;
      if (ts.isIdentifier(callee.expression) && callee.expression.text === 'Array' && callee.name.text === 'from') {
        return e.arguments.length > 0 && this.isInputsLike(e.arguments[0]);
      }
      if (['filter', 'slice', 'concat'].includes(callee.name.text)) return this.isInputsLike(callee.expression);
    }
    return false;
  }

  /** An element of the inputs: `inputs[0]`, a loop variable over inputs, a callback parameter. */
  private isInputElement(e: ts.Expression): boolean {
    e = skipOuter(e);
    if (ts.isIdentifier(e)) return this.inputVars.has(e.text);
    if (ts.isElementAccessExpression(e)) return this.isInputsLike(e.expression);
    return false;
  }

  /** A name bound to one input: a variable, or a destructuring whose keys are reads. */
  private bindElement(name: ts.BindingName | undefined): void {
    if (!name) return;
    if (ts.isIdentifier(name)) this.inputVars.add(name.text);
    else if (ts.isObjectBindingPattern(name)) {
      for (const el of name.elements) {
        const key = nameText(el.propertyName ?? el.name);
        if (key) this.reads.push({ name: key, range: rangeOf(this.sf, el) });
      }
    }
  }

  /** Notes what `node` says about the inputs (call it on every node of the body, in order). */
  visit(node: ts.Node): void {
    // for (const i of inputs)
    if (ts.isForOfStatement(node) && this.isInputsLike(node.expression) && ts.isVariableDeclarationList(node.initializer)) {
      for (const d of node.initializer.declarations) this.bindElement(d.name);
    }
    // inputs.map((i) => i.x), [...inputs].reduce((s, i) => ..., 0)
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && this.isInputsLike(node.expression.expression)) {
      const method = node.expression.name.text;
      const cb = node.arguments[0];
      if (cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) {
        const index = ARRAY_METHODS.get(method);
        if (index !== undefined) this.bindElement(cb.parameters[index]?.name);
      }
    }
    // const first = inputs[0]; const all = [...inputs]
    if (ts.isVariableDeclaration(node) && node.initializer && ts.isIdentifier(node.name)) {
      if (this.isInputElement(node.initializer)) this.inputVars.add(node.name.text);
      else if (this.isInputsLike(node.initializer)) this.inputVars.add('[]' + node.name.text);
    }
    if (
      ts.isVariableDeclaration(node) &&
      node.initializer &&
      ts.isObjectBindingPattern(node.name) &&
      this.isInputElement(node.initializer)
    ) {
      this.bindElement(node.name);
    }
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
      const base = skipOuter(node.expression);
      // inputs.a.x
      if (
        ts.isPropertyAccessExpression(base) &&
        ts.isIdentifier(base.expression) &&
        base.expression.text === this.inputsName &&
        !INPUTS_MEMBERS.has(base.name.text)
      ) {
        this.reads.push({
          name: node.name.text,
          branch: base.name.text,
          branchRange: rangeOf(this.sf, base.name),
          range: rangeOf(this.sf, node.name),
        });
      } else if (this.isInputElement(base) && !(ts.isCallExpression(node.parent) && node.parent.expression === node)) {
        this.reads.push({ name: node.name.text, range: rangeOf(this.sf, node.name) });
      }
    }
  }
}

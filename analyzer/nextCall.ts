// Reads one `this.next(...)` call: its targets, foreach/condition/numParallel options and switch
// cases, or why its arguments are not a transition (with the range of the bad argument). Syntax only.
import { ts } from 'ts-morph';
import type { NextCallModel, Range } from '../model/flowModel';
import { nameText, rangeOf, skipOuter, thisMemberName } from './syntax';

export function isNextCall(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && thisMemberName(node.expression) === 'next' && ts.isPropertyAccessExpression(node.expression);
}

/** Parses the arguments of one `this.next(...)` call. */
export function parseNextCall(sf: ts.SourceFile, call: ts.CallExpression): NextCallModel {
  const range = rangeOf(sf, call);
  const refs: NextCallModel['refs'] = [];
  const model: NextCallModel = { range, transition: null, refs };
  const fail = (message: string, node: ts.Node, code?: string): NextCallModel => {
    model.problem = { message, range: rangeOf(sf, node), ...(code ? { code } : {}) };
    model.transition = null;
    return model;
  };
  const args = call.arguments.map(skipOuter);
  // Collect every this.<x> reference first: unknown-step reports them even when the call is malformed.
  for (const a of args) {
    if (thisMemberName(a) !== undefined) refs.push({ name: thisMemberName(a)!, range: rangeOf(sf, a) });
    else if (ts.isObjectLiteralExpression(a)) {
      for (const p of a.properties) {
        // Transition options name artifacts or counts (`{ numParallel: this.nodes }`), not steps.
        if (a !== args[0] && ts.isPropertyAssignment(p) && isTransitionOption(nameText(p.name))) continue;
        if (ts.isPropertyAssignment(p) && thisMemberName(skipOuter(p.initializer)) !== undefined) {
          refs.push({ name: thisMemberName(skipOuter(p.initializer))!, range: rangeOf(sf, p.initializer) });
        }
      }
    }
  }
  if (args.length === 0) return fail('`this.next()` needs at least one step, like `this.next(this.end)`', call);
  const spread = call.arguments.find((a) => ts.isSpreadElement(a));
  if (spread) return fail('`this.next` arguments must be written out, not spread', spread);

  const last = args[args.length - 1];
  const options = ts.isObjectLiteralExpression(last) ? readOptions(last) : undefined;
  if (options && (options.foreach || options.condition || options.numParallel)) {
    if ([options.foreach, options.condition, options.numParallel].filter(Boolean).length > 1) {
      return fail('a transition is one of a foreach, a switch or a numParallel split, not several', last);
    }
    if (options.numParallel) {
      // this.next(this.train, { numParallel: 4 }): N tasks of a @parallel step.
      const targets = args.slice(0, -1);
      if (targets.length !== 1)
        return fail(
          `a numParallel split names exactly one step (it names ${targets.length})`,
          targets.length ? (targets[1] ?? call) : call,
        );
      const t = thisMemberName(targets[0]);
      if (t === undefined) return fail('the numParallel target must be a step reference like `this.train`', targets[0]);
      const n = options.numParallel;
      if (ts.isNumericLiteral(n) && !(Number.isInteger(Number(n.text)) && Number(n.text) >= 1))
        return fail('numParallel is a whole number of at least 1', n);
      if (ts.isStringLiteralLike(n) || ts.isObjectLiteralExpression(n) || ts.isArrayLiteralExpression(n))
        return fail('numParallel is a number of tasks, like `{ numParallel: 4 }`', n);
      model.transition = {
        kind: 'foreach',
        targets: [t],
        range,
        targetRanges: [rangeOf(sf, targets[0])],
        numParallel: ts.isNumericLiteral(n) ? Number(n.text) : true,
      };
      return model;
    }
    if (options.foreach) {
      const targets = args.slice(0, -1);
      if (targets.length !== 1)
        return fail(`a foreach names exactly one step (it names ${targets.length})`, targets.length ? (targets[1] ?? call) : call);
      const t = thisMemberName(targets[0]);
      if (t === undefined) return fail('the foreach target must be a step reference like `this.a`', targets[0]);
      const value = options.foreach;
      if (!ts.isStringLiteralLike(value) && !ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value)) {
        return fail("`foreach` names an artifact as a string, like `{ foreach: 'items' }`", value);
      }
      model.transition = {
        kind: 'foreach',
        targets: [t],
        range,
        targetRanges: [rangeOf(sf, targets[0])],
        ...(ts.isStringLiteralLike(value) ? { foreach: value.text, foreachRange: rangeOf(sf, value) } : {}),
      };
      return model;
    }
    // switch: this.next({ a: this.x, b: this.y }, { condition: 'mode' })
    const cond = options.condition!;
    if (args.length !== 2 || !ts.isObjectLiteralExpression(args[0])) {
      return fail("a switch is written `this.next({ case: this.step, ... }, { condition: 'artifact' })`", args[0]);
    }
    if (!ts.isStringLiteralLike(cond) && !ts.isIdentifier(cond) && !ts.isPropertyAccessExpression(cond)) {
      return fail("`condition` names an artifact as a string, like `{ condition: 'mode' }`", cond);
    }
    const cases: Record<string, string> = {};
    const targets: string[] = [];
    const targetRanges: Range[] = [];
    for (const p of args[0].properties) {
      if (!ts.isPropertyAssignment(p)) return fail('each switch case is written `key: this.step`', p);
      const key = nameText(p.name);
      if (key === undefined) return fail('a switch case key must be a literal', p.name);
      if (key in cases) return fail(`the switch case '${key}' is given twice`, p.name);
      const t = thisMemberName(skipOuter(p.initializer));
      if (t === undefined) return fail('a switch case must name a step like `this.a`', p.initializer);
      cases[key] = t;
      targets.push(t);
      targetRanges.push(rangeOf(sf, p.initializer));
    }
    // Metaflow's lint: a switch has at least two cases (one target is a plain this.next(this.a)).
    if (targets.length < 2) {
      const one = targets.length === 1 ? `; for a single step write this.next(this.${targets[0]})` : '';
      return fail(`a switch needs at least two cases, this one has ${targets.length}${one}`, args[0], 'invalid-switch');
    }
    model.transition = {
      kind: 'switch',
      targets,
      cases,
      range,
      targetRanges,
      ...(ts.isStringLiteralLike(cond) ? { condition: cond.text, conditionRange: rangeOf(sf, cond) } : {}),
    };
    return model;
  }
  const targets: string[] = [];
  const targetRanges: Range[] = [];
  for (const a of args) {
    const t = thisMemberName(a);
    if (t === undefined) {
      if (ts.isObjectLiteralExpression(a) && a === args[0]) {
        return fail("a switch needs `{ condition: 'artifact' }` after its cases", a);
      }
      if (ts.isObjectLiteralExpression(a))
        return fail("unknown transition options; expected `{ foreach: '...' }`, `{ condition: '...' }` or `{ numParallel: N }`", a);
      return fail('`this.next` takes step references like `this.a`, not ' + describe(a), a);
    }
    if (targets.includes(t)) return fail(`step '${t}' is named twice in one transition`, a);
    targets.push(t);
    targetRanges.push(rangeOf(sf, a));
  }
  model.transition = { kind: targets.length === 1 ? 'linear' : 'branch', targets, range, targetRanges };
  return model;
}

function describe(e: ts.Expression): string {
  if (ts.isStringLiteralLike(e)) return `a string ('${e.text}' → write \`this.${e.text}\`)`;
  if (ts.isCallExpression(e)) return 'a call';
  if (ts.isIdentifier(e)) return `'${e.text}'`;
  return 'this expression';
}

type TransitionOption = 'foreach' | 'condition' | 'numParallel';

function isTransitionOption(key: string | undefined): key is TransitionOption {
  return key === 'foreach' || key === 'condition' || key === 'numParallel';
}

function readOptions(o: ts.ObjectLiteralExpression): Partial<Record<TransitionOption, ts.Expression>> {
  const out: Partial<Record<TransitionOption, ts.Expression>> = {};
  for (const p of o.properties) {
    if (!ts.isPropertyAssignment(p)) continue;
    const key = nameText(p.name);
    if (isTransitionOption(key)) out[key] = skipOuter(p.initializer);
  }
  return out;
}

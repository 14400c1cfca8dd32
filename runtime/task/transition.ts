// Records and checks the `this.next(...)` call of a step, then resolves it once the step is done
// (how many foreach items, which switch case) into the NextRecord the scheduler follows.
import type { NextRecord } from '../datastore/records';
import type { FlowInfo } from '../flowcode/introspect';
import type { TransitionModel } from '../../model/flowModel';
import { stepNameOf } from '../flowcode/introspect';

export class TransitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransitionError';
  }
}

/** A `this.next(...)` call as it happened: the analyzer's transition shape, without source ranges. */
export type RecordedTransition = Pick<TransitionModel, 'kind' | 'targets' | 'foreach' | 'condition' | 'cases'> & { numParallel?: unknown };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseNextArguments(step: string, args: unknown[], flow: Pick<FlowInfo, 'name' | 'steps'>): RecordedTransition {
  const where = `this.next() in step '${step}'`;
  const target = (ref: unknown, what: string): string => {
    const name = stepNameOf(ref);
    if (!name || !flow.steps.has(name))
      throw new TransitionError(
        `${where}: ${what} is not a step of ${flow.name}; pass a step like this.${[...flow.steps.keys()].find((s) => s !== step) ?? 'end'}`,
      );
    return name;
  };
  if (args.length === 0) throw new TransitionError(`${where} names no step`);
  if (isPlainObject(args[0]) && typeof args[0] !== 'function') {
    const options = args[1];
    if (!isPlainObject(options) || typeof options.condition !== 'string') {
      throw new TransitionError(`${where}: a switch needs { condition: 'artifact' } as its second argument`);
    }
    const cases: Record<string, string> = {};
    for (const [key, ref] of Object.entries(args[0])) cases[key] = target(ref, `case '${key}'`);
    if (Object.keys(cases).length < 2)
      throw new TransitionError(`${where}: a switch needs at least two cases (for a single step write this.next(this.<step>))`);
    return { kind: 'switch', targets: [...new Set(Object.values(cases))], condition: options.condition, cases };
  }
  const refs = args.filter((a) => typeof a === 'function');
  const options = args.find((a) => !(typeof a === 'function'));
  const targets = refs.map((r, i) => target(r, `argument ${i + 1}`));
  if (isPlainObject(options) && 'numParallel' in options) {
    if (targets.length !== 1) throw new TransitionError(`${where}: a numParallel split names exactly one step`);
    return { kind: 'foreach', targets, numParallel: options.numParallel };
  }
  if (options !== undefined) {
    if (!isPlainObject(options) || typeof options.foreach !== 'string') {
      throw new TransitionError(`${where}: the options argument must be { foreach: 'artifact' } or { numParallel: N }`);
    }
    if (targets.length !== 1) throw new TransitionError(`${where}: a foreach names exactly one step`);
    return { kind: 'foreach', targets, foreach: options.foreach };
  }
  return { kind: targets.length > 1 ? 'branch' : 'linear', targets };
}

/** Resolves a recorded transition against the step's final artifacts. */
export function resolveTransition(
  step: string,
  t: RecordedTransition,
  read: (name: string) => unknown,
  hashOf: (name: string) => string | undefined,
): NextRecord {
  if (t.kind === 'foreach' && 'numParallel' in t) {
    const n = t.numParallel;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
      throw new TransitionError(`numParallel in step '${step}' is ${JSON.stringify(n)}; it must be a whole number of at least 1`);
    }
    return { kind: 'foreach', targets: t.targets, foreachCount: n, numParallel: n };
  }
  if (t.kind === 'foreach') {
    const value = read(t.foreach!);
    if (value === undefined)
      throw new TransitionError(
        `foreach in step '${step}': artifact '${t.foreach}' is not set; assign this.${t.foreach} = [...] before this.next()`,
      );
    if (value === null || typeof (value as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new TransitionError(
        `foreach in step '${step}': artifact '${t.foreach}' is not iterable (it is ${value === null ? 'null' : typeof value}); a foreach needs an array or another iterable`,
      );
    }
    const count = Array.from(value as Iterable<unknown>).length;
    if (count === 0)
      throw new TransitionError(`foreach in step '${step}': artifact '${t.foreach}' has no items; a foreach needs at least one`);
    return { kind: 'foreach', targets: t.targets, foreach: t.foreach, foreachCount: count, foreachHash: hashOf(t.foreach!) };
  }
  if (t.kind === 'switch') {
    const value = read(t.condition!);
    const key = String(value);
    const chosen = Object.prototype.hasOwnProperty.call(t.cases, key) ? t.cases![key] : undefined;
    if (!chosen) {
      throw new TransitionError(
        `switch in step '${step}': no case for ${t.condition} = ${JSON.stringify(value)} (cases: ${Object.keys(t.cases!).join(', ')})`,
      );
    }
    return { kind: 'switch', targets: t.targets, condition: t.condition, chosen };
  }
  return { kind: t.kind, targets: t.targets };
}

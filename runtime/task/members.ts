// FlowSpec's own members (model/reserved.ts) and the flow's steps cannot be artifacts: assigning
// `this.foreachStack = ...` or `this.start = 1` would be stored and break a later step far from
// the cause. The instance gets a guard for each name that refuses the assignment where it happens,
// naming the member (the analyzer flags the same assignments as `reserved-name`).
import { RESERVED_NAMES } from '../../model/reserved';

export function guardMembers(instance: object, steps: Iterable<string>): void {
  const guard = (name: string, what: string) => {
    if (Object.prototype.hasOwnProperty.call(instance, name)) return;
    const proto = Object.getPrototypeOf(instance) as object;
    Object.defineProperty(instance, name, {
      configurable: true,
      enumerable: false, // not an artifact: never persisted
      get: () => Reflect.get(proto, name, instance),
      set: () => {
        throw new TypeError(`'${name}' is ${what} and cannot be an artifact: assign this.${name} under another name`);
      },
    });
  };
  for (const name of RESERVED_NAMES) if (name !== 'constructor') guard(name, 'a FlowSpec member');
  for (const step of steps) guard(step, 'a step of this flow');
}

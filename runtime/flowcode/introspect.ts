// What a loaded flow class declares: its steps (from @step) and its parameters (class fields
// initialised with Parameter/IncludeFile). The runtime's view of the graph comes from here.
import { FlowSpec } from '../flow/flowspec';
import { isParameterDeclaration, ParameterDeclaration } from '../flow/parameters';
import { StepMeta, stepMetaOf } from '../flow/stepMeta';
import { ProjectOptions, projectOf } from '../flow/project';
import { ConfigDeclaration, isConfigDeclaration } from '../flow/config';
import type { FlowClass } from './load';

export interface StepInfo {
  name: string;
  method: (...args: unknown[]) => unknown;
  /** A join takes the `inputs` argument. */
  isJoin: boolean;
  meta: StepMeta;
}

export interface ParameterInfo {
  /** The class field the value is read through. */
  field: string;
  decl: ParameterDeclaration;
}

export interface ConfigInfo {
  /** The class field the value is read through. */
  field: string;
  decl: ConfigDeclaration;
}

export interface FlowInfo {
  name: string;
  cls: FlowClass;
  steps: Map<string, StepInfo>;
  parameters: ParameterInfo[];
  /**
   * Class constants: fields the constructor gives a value that are neither Parameters nor
   * functions. As Metaflow's class attributes, they are artifacts of every task, read-only in
   * steps. (A field declared without a value, `x!: T`, is an artifact's type, not a constant.)
   */
  constants: Map<string, unknown>;
  /** `Config` fields: read once when a run starts, read-only in steps. */
  configs: ConfigInfo[];
  /** `@project({ name })` on the class. */
  project?: ProjectOptions;
}

/** The steps of a flow class, from their @step metadata (nothing is constructed). */
export function stepsOf(cls: FlowClass): Map<string, StepInfo> {
  const steps = new Map<string, StepInfo>();
  for (let proto = cls.prototype; proto && proto !== FlowSpec.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (steps.has(name)) continue;
      const desc = Object.getOwnPropertyDescriptor(proto, name);
      const meta = stepMetaOf(desc?.value);
      if (meta?.isStep) steps.set(name, { name, method: desc!.value, isJoin: desc!.value.length > 0, meta });
    }
  }
  return steps;
}

/** Steps, parameters and constants of a flow class (fields, so this constructs one instance). */
export function introspectFlow(cls: FlowClass): FlowInfo {
  const parameters: ParameterInfo[] = [];
  const constants = new Map<string, unknown>();
  const configs: ConfigInfo[] = [];
  const instance = new cls() as unknown as Record<string, unknown>;
  for (const field of Object.keys(instance)) {
    const value = instance[field];
    if (isParameterDeclaration(value)) parameters.push({ field, decl: value });
    else if (isConfigDeclaration(value)) configs.push({ field, decl: value });
    else if (isConstantValue(value)) constants.set(field, value);
  }
  const project = projectOf(cls);
  return { name: cls.name, cls, steps: stepsOf(cls), parameters, constants, configs, ...(project ? { project } : {}) };
}

/** Whether a field's value makes it a class constant (see FlowInfo.constants). */
export function isConstantValue(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function';
}

/** The name of the step a `this.<step>` reference points to, if it is a step. */
export function stepNameOf(ref: unknown): string | undefined {
  const meta = stepMetaOf(ref);
  return meta?.isStep ? meta.name : undefined;
}

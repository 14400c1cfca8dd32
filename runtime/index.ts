// The flow library: what `import { ... } from 'flowspec'` gives a flow file.
export { FlowSpec } from './flow/flowspec';
export type {
  ForeachOptions,
  ParallelOptions,
  SwitchOptions,
  MergeOptions,
  ForeachFrame,
  FLOW_TYPES,
  FlowTypes,
  TypesOf,
} from './flow/flowspec';
export { Inputs } from './flow/inputs';
export type { InputTask, InputList } from './flow/inputs';
export { step, retry, catchError, timeout, resources, parallel, slurm, card, environment, secrets } from './flow/decorators';
export type { SecretSource, SecretSourceObject } from './flow/secretSources';
export type { StepDecorator, OptionalOptionsDecorator } from './flow/decorators';
export type {
  RetryOptions,
  CatchOptions,
  TimeoutOptions,
  ResourcesOptions,
  SlurmOptions,
  CardOptions,
  EnvironmentOptions,
} from './flow/stepMeta';
export { Parameter, IncludeFile, JSONType, Int } from './flow/parameters';
export type { ParameterOptions, IncludeFileOptions } from './flow/parameters';
export { current } from './flow/current';
export { Config, configExpr } from './flow/config';
export type { ConfigOptions, ConfigParser, ConfigFileType } from './flow/config';
export { project } from './flow/project';
export type { ProjectOptions } from './flow/project';
export type { Current, ParallelInfo } from './flow/current';
export type { CurrentCard, CardHandle, CardComponents } from './cards/session';

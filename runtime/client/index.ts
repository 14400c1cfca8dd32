// The client API (`import { Flow, Run, Step, Task } from 'flowspec/client'`): a view of every past
// run in the datastore, read-only but for a run's user tags. Values load lazily, on first access.
export { type ClientOptions, NotFoundError } from './reading';
export { Flow } from './flow';
export { namespace, getNamespace, defaultNamespace, NamespaceMismatchError, ANY_NAMESPACE } from './namespace';
export { Run, type RunStatus, type IncludedFileSummary, includedFileText } from './run';
export { Step } from './step';
export { type ArtifactView, Task, TaskAttempt } from './task';

// The client API (`import { Flow, Run, Step, Task } from 'flowspec/client'`): a read-only view of
// every past run in the datastore. Values load lazily, on first access.
export { type ClientOptions, NotFoundError } from './reading';
export { Flow } from './flow';
export { Run, type RunStatus } from './run';
export { Step } from './step';
export { type ArtifactView, Task, TaskAttempt } from './task';

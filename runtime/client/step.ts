// The client API's Step: the tasks of one step of a run.
import type { Datastore } from '../datastore';
import { taskIds } from './reading';
import { Task } from './task';

export class Step {
  constructor(
    private readonly store: Datastore,
    readonly flow: string,
    readonly runId: string,
    readonly name: string,
  ) {}

  get pathspec(): string {
    return `${this.flow}/${this.runId}/${this.name}`;
  }

  /** Tasks in the order they were created (foreach tasks in split order). */
  tasks(): Task[] {
    return taskIds(this.store, this.flow, this.runId, this.name).map((id) => new Task(this.store, this.flow, this.runId, this.name, id));
  }

  /** The step's task (the first one, for a step with several). */
  get task(): Task | undefined {
    return this.tasks()[0];
  }
}

// What the language server's last-run reader answers (on its worker thread, worker.ts): an
// artifact's or a parameter's value in the latest runs of a flow, as plain data from the run and
// task records (type, size, preview), never the value itself.
import { Flow, Run } from '../../runtime/client';
import { preview } from '../../runtime/datastore/artifacts';

/** How many of the newest runs are searched for a task that has the artifact. */
const RUNS_SEARCHED = 5;

export interface RunFacts {
  /** `Flow/ID`. */
  run: string;
  status: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface LastRunArtifact extends RunFacts {
  root: string;
  step: string;
  /** The task shown (the first of the step's tasks that has the artifact). */
  task: string;
  /** How many tasks of the step have the artifact (a foreach has several). */
  tasks: number;
  type: string;
  size: number;
  preview: string;
}

export interface LastRunParameter extends RunFacts {
  preview: string;
}

export interface LastRunOps {
  /**
   * The artifact in the newest run (of the last few) where one of `steps`, tried in order, has a
   * task with it; undefined when none has.
   */
  artifact(root: string, flow: string, steps: string[], name: string): LastRunArtifact | undefined;
  /** The value the newest run of the flow gave parameter `name` (by its name on the command line). */
  parameter(root: string, flow: string, name: string): LastRunParameter | undefined;
}

function newestRuns(root: string, flow: string): Run[] {
  try {
    return new Flow(flow, { root })
      .runs()
      .filter((r) => !r.damage)
      .slice(0, RUNS_SEARCHED);
  } catch {
    // No datastore there, or no runs of the flow: nothing to show.
    return [];
  }
}

const runFacts = (r: Run): RunFacts => ({ run: r.pathspec, status: r.status, createdAt: r.createdAt.getTime() });

export const queries: LastRunOps = {
  artifact(root, flow, steps, name) {
    for (const run of newestRuns(root, flow)) {
      for (const step of steps) {
        let tasks;
        try {
          tasks = run.step(step).tasks();
        } catch {
          continue;
        }
        const having = tasks.filter((t) => t.record?.artifacts?.[name]);
        if (!having.length) continue;
        const info = having[0].record!.artifacts[name];
        return {
          ...runFacts(run),
          root,
          step,
          task: having[0].pathspec,
          tasks: having.length,
          type: info.type,
          size: info.size,
          preview: info.preview,
        };
      }
    }
    return undefined;
  },
  parameter(root, flow, name) {
    const run = newestRuns(root, flow)[0];
    if (!run || !(name in run.parameters)) return undefined;
    return { ...runFacts(run), preview: preview(run.parameters[name]) };
  },
};

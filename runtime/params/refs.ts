// `ref` entries of a params file: the value of an artifact of an earlier run.
//   ref: runs.<RUN_ID|latest|latestSuccessful> | flows.<Flow>.<RUN_ID|latest|latestSuccessful> (model/runRef.ts)
//   value: outputs.<artifact>            (the run's end task)
//        | <step>.<artifact>             (that step's only task)
//        | <step>[<index>].<artifact>    (one task of a step that has several)
import { ANY_NAMESPACE, Flow, NotFoundError, Run, Task, type ArtifactView } from '../client';
import { parseRunRef, RUN_REF_FORMS } from '../../model/runRef';
import type { Datastore } from '../datastore';

export interface ResolvedRef {
  value: unknown;
  /** The task the value was read from, e.g. TrainFlow/3/end/7. */
  task: string;
  artifact: string;
}

export class RefError extends Error {}

export function findRun(ref: string, currentFlow: string, datastore: Datastore): Run {
  const parsed = parseRunRef(ref);
  if (!parsed) throw new RefError(`${ref}: a ref is ${RUN_REF_FORMS}`);
  const [flowName, which] = [parsed.flow ?? currentFlow, parsed.run];
  // `latest` is the newest run in the namespace (the user's, as a script sees); an id is explicit.
  const explicit = which !== 'latest' && which !== 'latestSuccessful';
  let run: Run | undefined;
  try {
    const flow = new Flow(flowName, { datastore, ...(explicit ? ANY_NAMESPACE : {}) });
    if (which === 'latest') run = flow.latestRun;
    else if (which === 'latestSuccessful') run = flow.latestSuccessfulRun;
    else run = flow.run(which);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  if (!run)
    throw new RefError(
      `${ref}: ${which === 'latest' || which === 'latestSuccessful' ? `${flowName} has no ${which === 'latest' ? '' : 'successful '}run` : `there is no run ${flowName}/${which}`}`,
    );
  if (!run.successful) throw new RefError(`${ref}: run ${run.pathspec} did not succeed (${run.status})`);
  return run;
}

/** The artifact a ref names, without loading its value (the language server shows its preview). */
export interface LocatedRef {
  task: Task;
  artifact: string;
  info: ArtifactView;
}

export function resolveRef(ref: string, valuePath: string, currentFlow: string, datastore: Datastore): ResolvedRef {
  const { task, artifact } = locateRef(ref, valuePath, currentFlow, datastore);
  return { value: task.data[artifact], task: task.pathspec, artifact };
}

export function locateRef(ref: string, valuePath: string, currentFlow: string, datastore: Datastore): LocatedRef {
  const run = findRun(ref, currentFlow, datastore);
  const m = /^(?:outputs|([A-Za-z_$][\w$]*)(?:\[(\d+)\])?)\.([A-Za-z_$][\w$]*)$/.exec(valuePath);
  if (!m) throw new RefError(`value '${valuePath}' must be outputs.<artifact>, <step>.<artifact> or <step>[<index>].<artifact>`);
  const [, stepName, index, artifact] = m;
  let task: Task | undefined;
  if (!stepName) {
    task = run.endTask;
  } else {
    let tasks: Task[];
    try {
      tasks = run.step(stepName).tasks();
    } catch {
      throw new RefError(`run ${run.pathspec} has no step '${stepName}'`);
    }
    if (index !== undefined) {
      task = tasks[Number(index)];
      if (!task) throw new RefError(`step ${run.pathspec}/${stepName} has ${tasks.length} tasks; there is no [${index}]`);
    } else if (tasks.length > 1) {
      throw new RefError(`step ${run.pathspec}/${stepName} has ${tasks.length} tasks: say which, as ${stepName}[0].${artifact}`);
    } else task = tasks[0];
  }
  const info = task?.artifacts[artifact];
  if (!task || !info) throw new RefError(`${task?.pathspec ?? run.pathspec} has no artifact '${artifact}'`);
  return { task, artifact, info };
}

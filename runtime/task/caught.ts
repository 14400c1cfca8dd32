// @catchError (Metaflow's @catch): a step that fails on its last attempt still succeeds; the error
// goes into the artifact `var`, the parent's artifacts pass on, and the run follows the step's
// declared transition. Used by the task runner (errors) and the scheduler (crashes, timeouts).
import type { Datastore } from '../datastore';
import { serializeArtifact } from '../datastore/artifacts';
import { parameterArtifact, RunRecord, TaskRecord } from '../datastore/records';
import type { CatchOptions } from '../flow/stepMeta';

/** The caught version of a failed record, or undefined when the failure cannot be caught here. */
export function caughtRecord(datastore: Datastore, failed: TaskRecord, run: RunRecord, options: CatchOptions, parents: TaskRecord[], isJoin: boolean): TaskRecord | undefined {
  const declared = run.graph[failed.step];
  // A switch cannot choose a case without the step's result; a foreach split is refused up front.
  if (!declared || declared.kind === 'switch' || declared.kind === 'foreach') return undefined;
  const artifacts: TaskRecord['artifacts'] = {};
  for (const p of Object.values(run.parameters)) artifacts[p.field] = parameterArtifact(p);
  if (!isJoin && parents[0]) Object.assign(artifacts, parents[0].artifacts);
  if (options.var) {
    const { bytes, info } = serializeArtifact(options.var, { type: failed.exception?.type, message: failed.exception?.message, stack: failed.exception?.stack });
    datastore.putBlob(failed.flow, info.hash, bytes);
    artifacts[options.var] = info;
  }
  return { ...failed, status: 'success', caught: true, artifacts, next: { kind: declared.kind, targets: declared.targets } };
}

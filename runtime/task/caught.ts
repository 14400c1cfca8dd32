// @catchError (Metaflow's @catch): a step that fails on its last attempt still succeeds. As in
// Metaflow, the task keeps the artifacts the step assigned before it threw, the error goes only
// into the artifact `var` (the task itself carries no exception; its earlier failed attempts keep
// theirs), and the run follows the step's declared transition. Used by the task runner (errors)
// and the scheduler (crashes and timeouts, where nothing the step assigned survives).
import type { Datastore } from '../datastore';
import { ArtifactInfo, serializeArtifact } from '../datastore/artifacts';
import { parameterArtifact, RunRecord, TaskRecord } from '../datastore/records';
import type { CatchOptions } from '../flow/stepMeta';

/**
 * The caught version of a failed record, or undefined when the failure cannot be caught here.
 * `kept`: the artifacts the step had when it failed; without them (the process died), the
 * task passes on what it started with: the parameters and constants, and its parent's artifacts.
 */
export function caughtRecord(
  datastore: Datastore,
  failed: TaskRecord,
  run: RunRecord,
  options: CatchOptions,
  start: { parents: TaskRecord[]; isJoin: boolean; kept?: Record<string, ArtifactInfo> },
): TaskRecord | undefined {
  const declared = run.graph[failed.step];
  // A switch cannot choose a case without the step's result; a foreach split is refused up front.
  if (!declared || declared.kind === 'switch' || declared.kind === 'foreach') return undefined;
  const artifacts: TaskRecord['artifacts'] = start.kept ? { ...start.kept } : startingArtifacts(run, start.parents, start.isJoin);
  if (options.var) {
    const { bytes, info } = serializeArtifact(options.var, {
      type: failed.exception?.type,
      message: failed.exception?.message,
      stack: failed.exception?.stack,
    });
    datastore.putBlob(failed.flow, info.hash, bytes);
    artifacts[options.var] = info;
  }
  const { exception: _handled, ...rest } = failed;
  return { ...rest, status: 'success', caught: true, artifacts, next: { kind: declared.kind, targets: declared.targets } };
}

function startingArtifacts(run: RunRecord, parents: TaskRecord[], isJoin: boolean): Record<string, ArtifactInfo> {
  const artifacts: Record<string, ArtifactInfo> = { ...run.constants };
  for (const p of Object.values(run.parameters)) artifacts[p.field] = parameterArtifact(p);
  if (!isJoin && parents[0]) Object.assign(artifacts, parents[0].artifacts);
  return artifacts;
}

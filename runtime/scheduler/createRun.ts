// A new run in the datastore: its id (the next number, or one an engine chose), its record
// (parameters and class constants stored as artifacts, tags, the code package, the graph) and its
// status, created whole or not at all.
import { hostname } from 'node:os';
import type { Datastore } from '../datastore';
import { ArtifactInfo, serializeArtifact } from '../datastore/artifacts';
import { InitCopy, keys, listedValue, ParameterRecord, RunRecord, RunStatusRecord, StaticStep } from '../datastore/records';
import { UserError } from '../errors';
import { currentUser } from '../identity';
import { ProjectRecord, projectTags } from '../flow/project';
import { checkIdentifier } from '../datastore/names';
import type { FlowInfo } from '../flowcode/introspect';
import type { LoadedFlow } from '../flowcode/loadFlow';
import type { ResolvedParameter } from '../flowcode/parameterValues';
import type { ResolvedConfig } from '../params/configValues';

/**
 * Allocates the next run id of the flow (1, 2, ...) by creating its status document exclusively;
 * or takes the id asked for (a remote engine names its runs), refusing one that exists.
 */
function allocateRunId(datastore: Datastore, flow: string, wanted?: string): string {
  const status: RunStatusRecord = { status: 'running', updatedAt: new Date().toISOString(), pid: process.pid, host: hostname() };
  if (wanted !== undefined) {
    checkIdentifier('run id', wanted);
    if (!datastore.createExclusive(keys.runStatus(flow, wanted), status)) throw new UserError(`run ${flow}/${wanted} exists already`);
    return wanted;
  }
  const taken = datastore.list(keys.runs(flow)).map(Number).filter(Number.isInteger);
  let id = taken.length ? Math.max(...taken) + 1 : 1;
  while (!datastore.createExclusive(keys.runStatus(flow, String(id)), status)) id++;
  return String(id);
}

export interface NewRun {
  graph: Record<string, StaticStep>;
  parameters: ResolvedParameter[];
  tags: string[];
  originRunId?: string;
  context?: Record<string, unknown>;
  env?: Record<string, string>;
  init?: InitCopy[];
  /** `Config` values (resumes keep the origin's). */
  configs?: ResolvedConfig[];
  /** A @project flow's branch, resolved (resumes keep the origin's). */
  project?: ProjectRecord;
  /** A run id chosen by the caller (`init-run --run-id`); default: the next number. */
  runId?: string;
}

export function createRun(datastore: Datastore, flow: LoadedFlow, spec: NewRun): RunRecord {
  // Constants first: one that cannot be stored refuses the run before anything of it exists.
  const constants = storeConstants(datastore, flow.info);
  const runId = allocateRunId(datastore, flow.info.name, spec.runId);
  try {
    return writeRunRecord(datastore, flow, spec, runId, constants);
  } catch (e) {
    // A run is created whole or not at all (a full disk, a value that cannot be stored).
    datastore.remove(keys.run(flow.info.name, runId));
    throw e;
  }
}

function writeRunRecord(
  datastore: Datastore,
  flow: LoadedFlow,
  spec: NewRun,
  runId: string,
  constants: Record<string, ArtifactInfo>,
): RunRecord {
  const parameters: Record<string, ParameterRecord> = {};
  for (const p of spec.parameters) {
    const { bytes, info } = serializeArtifact(p.info.field, p.value);
    datastore.putBlob(flow.info.name, info.hash, bytes);
    parameters[p.info.decl.name] = {
      ...info,
      field: p.info.field,
      source: p.source,
      ...(p.ref ? { ref: p.ref } : {}),
      ...(p.file ? { file: p.file } : listedValue(p.value)),
    };
  }
  const configs: Record<string, ParameterRecord> = {};
  for (const c of spec.configs ?? []) {
    const { bytes, info } = serializeArtifact(c.field, c.value);
    datastore.putBlob(flow.info.name, info.hash, bytes);
    configs[c.decl.name] = { ...info, field: c.field, source: c.source };
  }
  const record: RunRecord = {
    flow: flow.info.name,
    runId,
    createdAt: new Date().toISOString(),
    sourceFile: flow.file,
    code: flow.code.key,
    tags: spec.tags,
    systemTags: [`user:${currentUser()}`, `runtime:node-${process.versions.node}`, ...(spec.project ? projectTags(spec.project) : [])],
    parameters,
    ...(Object.keys(constants).length ? { constants } : {}),
    ...(Object.keys(configs).length ? { configs } : {}),
    graph: spec.graph,
    ...(spec.context && Object.keys(spec.context).length ? { context: spec.context } : {}),
    ...(spec.env && Object.keys(spec.env).length ? { env: spec.env } : {}),
    ...(spec.init?.length ? { init: spec.init } : {}),
    ...(spec.originRunId ? { originRunId: spec.originRunId } : {}),
    ...(spec.project ? { project: spec.project } : {}),
  };
  datastore.writeJson(keys.runRecord(flow.info.name, runId), record);
  return record;
}

/** Stores the class constants once per run, as Metaflow persists class attributes with the parameters. */
function storeConstants(datastore: Datastore, info: FlowInfo): Record<string, ArtifactInfo> {
  const out: Record<string, ArtifactInfo> = {};
  for (const [field, value] of info.constants) {
    let stored;
    try {
      stored = serializeArtifact(field, value);
    } catch (e) {
      throw new UserError(
        `${info.name}.${field} is a class constant, stored as an artifact of every task: ${(e as Error).message}. Declare it without a value (${field}!: T) and assign it in a step, or make it static`,
      );
    }
    datastore.putBlob(info.name, stored.info.hash, stored.bytes);
    out[field] = stored.info;
  }
  return out;
}

// `flowspec fsck`: verifies every record and blob of the datastore (or of one flow) and, asked to
// repair, removes what cannot be trusted so that `resume` reruns the tasks it affects:
//
//   a blob whose content does not hash to its name          → the blob
//   a code package whose bundle does not hash to its name   → the package (the next run or resume bundles again)
//   a task record that is damaged or names a bad blob       → the task's folder (resume reruns it)
//   a damaged attempt record                                → that file
//   a damaged status.json                                   → the file (the run then reads as crashed)
//   a damaged tag change (tags/*.json)                      → that change
//   a damaged run.json, or a parameter with a bad blob      → the whole run (it cannot be resumed)
//
// A run that loses tasks is marked failed, so `resume` without a STEP picks up from them.
import { hostname } from 'node:os';
import { isDamaged } from '../errors';
import type { Datastore } from './datastore';
import { codePackageIntact, sha256 } from './integrity';
import { identifierProblem } from '../../model/identifiers';
import { keys, readRunRecord, readRunStatus, readTaskRecord, RunStatusRecord, TaskRecord } from './records';
import { readTagChange, tagChangeKeys } from './tags';

export interface Finding {
  /** The datastore key of what is damaged. */
  key: string;
  problem: string;
  /** What --repair removed (a key), when it did. */
  removed?: string;
}

export interface FsckReport {
  findings: Finding[];
  checked: { runs: number; tasks: number; blobs: number; packages: number };
}

export function fsck(datastore: Datastore, flows: string[], repair: boolean): FsckReport {
  const report: FsckReport = { findings: [], checked: { runs: 0, tasks: 0, blobs: 0, packages: 0 } };
  const found = (key: string, problem: string, remove?: string) => {
    if (repair && remove !== undefined) datastore.remove(remove);
    report.findings.push({ key, problem, ...(repair && remove !== undefined ? { removed: remove } : {}) });
  };
  const badPackages = checkCodePackages(datastore, report, found);
  for (const flow of flows) {
    const badBlobs = checkBlobs(datastore, flow, report, found);
    for (const runId of datastore.list(keys.runs(flow))) {
      if (identifierProblem(runId)) continue;
      report.checked.runs++;
      checkRun(datastore, flow, runId, badBlobs, badPackages, report, found, repair);
    }
  }
  return report;
}

type Found = (key: string, problem: string, remove?: string) => void;

/** Every flow with a folder in the datastore. */
export function flowsIn(datastore: Datastore): string[] {
  return datastore.list('').filter((name) => !name.startsWith('.') && identifierProblem(name) === undefined);
}

function checkCodePackages(datastore: Datastore, report: FsckReport, found: Found): Set<string> {
  const bad = new Set<string>();
  for (const sha of datastore.list('.code')) {
    if (!/^[0-9a-f]{32}$/.test(sha)) continue;
    const key = keys.codePackage(sha);
    const bytes = datastore.readFile(key);
    if (bytes === undefined) continue;
    report.checked.packages++;
    if (!codePackageIntact(bytes, sha)) {
      bad.add(key);
      found(key, 'code package does not match its hash', `.code/${sha}`);
    }
  }
  return bad;
}

function checkBlobs(datastore: Datastore, flow: string, report: FsckReport, found: Found): Set<string> {
  const bad = new Set<string>();
  for (const prefix of datastore.list(keys.blobs(flow))) {
    for (const hash of datastore.list(`${keys.blobs(flow)}/${prefix}`)) {
      const key = `${keys.blobs(flow)}/${prefix}/${hash}`;
      report.checked.blobs++;
      if (sha256(datastore.readFile(key) ?? Buffer.alloc(0)) !== hash) {
        bad.add(hash);
        found(key, 'blob content does not match its hash', key);
      }
    }
  }
  return bad;
}

/** The first problem of a record's artifacts: a blob that is damaged (seen in the scan) or missing. */
function artifactProblem(
  datastore: Datastore,
  flow: string,
  artifacts: Record<string, { hash: string }>,
  badBlobs: Set<string>,
  what: string,
): string | undefined {
  for (const [name, info] of Object.entries(artifacts)) {
    if (badBlobs.has(info.hash)) return `${what} '${name}' has a damaged blob`;
    if (!datastore.hasBlob(flow, info.hash)) return `${what} '${name}' has no blob`;
  }
  return undefined;
}

function damage<T>(read: () => T): { value?: T; problem?: string } {
  try {
    return { value: read() };
  } catch (e) {
    if (isDamaged(e)) return { problem: e.message.replace(/^damaged record \S+: /, '') };
    throw e;
  }
}

function checkRun(
  datastore: Datastore,
  flow: string,
  runId: string,
  badBlobs: Set<string>,
  badPackages: Set<string>,
  report: FsckReport,
  found: Found,
  repair: boolean,
): void {
  const runKey = keys.run(flow, runId);
  const run = damage(() => readRunRecord(datastore, flow, runId));
  if (run.problem) return found(keys.runRecord(flow, runId), run.problem, runKey);
  if (!run.value) return; // being created, or only a status: nothing recorded to check
  const parameterProblem = artifactProblem(datastore, flow, run.value.parameters, badBlobs, 'parameter');
  if (parameterProblem) return found(keys.runRecord(flow, runId), parameterProblem, runKey);
  if (badPackages.has(run.value.code))
    report.findings.push({
      key: keys.runRecord(flow, runId),
      problem: `its code package ${run.value.code} is damaged (resume bundles the flow file again)`,
    });

  const status = damage(() => readRunStatus(datastore, flow, runId));
  if (status.problem) found(keys.runStatus(flow, runId), status.problem, keys.runStatus(flow, runId));
  for (const key of tagChangeKeys(datastore, flow, runId)) {
    const change = damage(() => readTagChange(datastore, key));
    if (change.problem) found(key, change.problem, key);
  }

  const removedTasks: string[] = [];
  for (const step of datastore.list(keys.steps(flow, runId))) {
    for (const taskId of datastore.list(keys.tasks(flow, runId, step))) {
      if (identifierProblem(step) || identifierProblem(taskId)) continue;
      report.checked.tasks++;
      const taskKey = keys.task(flow, runId, step, taskId);
      for (const file of datastore.list(taskKey).filter((f) => /^attempt-\d+\.json$/.test(f))) {
        const attemptKey = `${taskKey}/${file}`;
        const attempt = damage(() => datastore.readJson(attemptKey));
        if (attempt.problem) found(attemptKey, attempt.problem, attemptKey);
      }
      const task = damage(() => readTaskRecord(datastore, flow, runId, step, taskId));
      const problem =
        task.problem ?? (task.value && artifactProblem(datastore, flow, (task.value as TaskRecord).artifacts, badBlobs, 'artifact'));
      if (!problem) continue;
      found(task.problem ? keys.taskRecord(flow, runId, step, taskId) : taskKey, problem, taskKey);
      removedTasks.push(`${flow}/${runId}/${step}/${taskId}`);
    }
  }
  if (repair && removedTasks.length && status.value?.status === 'success') {
    // The run no longer has every task: resume (without a STEP) reruns the missing ones.
    const now = new Date().toISOString();
    const failed: RunStatusRecord = {
      ...status.value,
      status: 'failed',
      updatedAt: now,
      host: status.value.host ?? hostname(),
      failedTasks: removedTasks,
    };
    datastore.writeJson(keys.runStatus(flow, runId), failed);
  }
}

// Runs each task as a Slurm job (`run --with slurm`), as Metaflow's `--with kubernetes` does: the
// local scheduler stays the orchestrator and hands tasks over through the TaskExecutor seam.
//
// - Tasks handed over in the same turn of the event loop with the same sbatch options are one
//   submission: a foreach of N is one job array `--array=0-(N-1)[%max]` (split by MaxArraySize).
// - One squeue call per poll for every job of the run; the interval grows while nothing changes.
// - A job's outcome is the task record it wrote. A job that ended without one was killed by Slurm
//   (time limit, node failure, scancel): a failed attempt with Slurm's state and reason.
// - A job whose node cannot read the run (`flowspec step` exits 2) stops the run at once: the
//   datastore is not shared with the nodes, and no other job could do better.
import type { Datastore } from '../datastore';
import { keys, TaskRecord } from '../datastore/records';
import type { FlowInfo } from '../flowcode/introspect';
import type { SlurmOptions } from '../flow/stepMeta';
import type { LogSink, TaskExecutor, TaskHandle, TaskOutcome } from '../scheduler/executor';
import type { TaskSpec } from '../task/runTask';
import { jobScript } from './jobScript';
import { LogTail } from './logTail';
import { stepSbatchArgs } from './settings';
import { exitCode, jobStates, JobState, maxArraySize, sbatch, scancel } from './slurmCommands';
import { OrphanGuard } from '../scheduler/orphanGuard';

export interface SlurmExecutorOptions {
  datastore: Datastore;
  flow: FlowInfo;
  /** The flow's source file, named on each job's command line. */
  sourceFile: string;
  /** flowspec.config.json's `slurm` section. */
  defaults: SlurmOptions;
  /** How a node runs the flowspec CLI: [node, /path/to/dist/cli.js]. */
  command: string[];
  /** `--max-workers`: at most this many elements of an array run at once (`%N`). */
  arrayLimit?: number;
}

/** States in which a job has ended (squeue's long names). */
const ENDED = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'NODE_FAIL',
  'PREEMPTED',
  'OUT_OF_MEMORY',
  'BOOT_FAIL',
  'DEADLINE',
  'REVOKED',
  'SPECIAL_EXIT',
]);
/** `flowspec step` refused its input: with our own arguments, that is a run it cannot read. */
const CANNOT_READ_RUN = 2;
const POLL_MIN_MS = 250;
const POLL_MAX_MS = 2000;
/** How long a job that ended by itself may take to show its record (a shared file system's caches). */
const RECORD_GRACE_MS = 30_000;

interface Job {
  spec: TaskSpec;
  onLog: LogSink;
  sbatchArgs: string[];
  place(label: string): void;
  settle(outcome: TaskOutcome): void;
  settled: boolean;
  killed: boolean;
  /** `12` or, for an array element, `12_3`; `arrayId` is the submission's id. */
  jobId?: string;
  arrayId?: string;
  state?: string;
  logs: { stdout: LogTail; stderr: LogTail };
  exit?: number;
  endedAt?: number;
}

export class SlurmExecutor implements TaskExecutor {
  readonly capacity = Number.POSITIVE_INFINITY;
  readonly enforcesTimeouts = true;
  /** Set when the run cannot go on at all on this cluster (nodes that cannot read the datastore). */
  fatal?: string;
  /** sbatch submissions made (a foreach is one). */
  submissions = 0;
  private batch: Job[] = [];
  private readonly tracked = new Set<Job>();
  private cancels = new Set<string>();
  private arraySize?: Promise<number>;
  private pollTimer?: NodeJS.Timeout;
  private polling = false;
  private interval = POLL_MIN_MS;
  /** Cancels the run's jobs if the orchestrator dies without doing it (SIGKILL). */
  private guard?: OrphanGuard;

  constructor(private readonly o: SlurmExecutorOptions) {}

  run(spec: TaskSpec, onLog: LogSink): TaskHandle {
    let place!: (label: string) => void;
    let settle!: (outcome: TaskOutcome) => void;
    const where = new Promise<string>((resolve) => {
      place = resolve;
    });
    const outcome = new Promise<TaskOutcome>((resolve) => {
      settle = resolve;
    });
    const log = (stream: 'stdout' | 'stderr') =>
      new LogTail(this.o.datastore, keys.log(spec.flow, spec.runId, spec.step, spec.taskId, spec.retryCount, stream));
    const job: Job = {
      spec,
      onLog,
      place,
      settle,
      settled: false,
      killed: false,
      logs: { stdout: log('stdout'), stderr: log('stderr') },
      sbatchArgs: stepSbatchArgs(spec.step, this.o.flow.steps.get(spec.step)!.meta, this.o.defaults),
    };
    if (this.fatal) {
      this.finish(job, this.stoppedOutcome());
    } else {
      this.batch.push(job);
      if (this.batch.length === 1) setImmediate(() => void this.submitBatch());
    }
    return { pid: 0, slurmJob: where, outcome, kill: () => this.kill(job) };
  }

  close(): void {
    clearTimeout(this.pollTimer);
    // Jobs still queued or running (the orchestrator is leaving): they must not run on unattended.
    const left = [...this.tracked].filter((j) => !j.settled && j.jobId).map((j) => j.jobId!);
    if (left.length) void scancel(left);
    this.guard?.close();
  }

  private kill(job: Job): void {
    if (job.settled) return;
    job.killed = true;
    if (job.jobId) this.cancel(job.jobId);
    else if (this.batch.includes(job)) {
      this.batch = this.batch.filter((j) => j !== job);
      this.finish(job, { died: 'was cancelled before it was submitted' });
    }
    // else: being submitted; cancelled as soon as sbatch answers.
  }

  private cancel(jobId: string): void {
    this.cancels.add(jobId);
    if (this.cancels.size === 1) {
      setImmediate(() => {
        const ids = [...this.cancels];
        this.cancels = new Set();
        void scancel(ids);
      });
    }
  }

  // ---- submitting ------------------------------------------------------------------------------

  private async submitBatch(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    const groups = new Map<string, Job[]>();
    for (const job of batch) {
      const key = job.sbatchArgs.join('\0');
      groups.set(key, [...(groups.get(key) ?? []), job]);
    }
    const submissions: Job[][] = [];
    for (const jobs of groups.values()) {
      const size = jobs.length > 1 ? await (this.arraySize ??= maxArraySize()) : 1;
      for (let i = 0; i < jobs.length; i += size) submissions.push(jobs.slice(i, i + size));
    }
    await Promise.all(submissions.map((jobs) => this.submit(jobs)));
  }

  private async submit(jobs: Job[]): Promise<void> {
    const first = jobs[0].spec;
    const oneStep = jobs.every((j) => j.spec.step === first.step);
    const args = [
      `--job-name=${first.flow}-${first.runId}${oneStep ? `-${first.step}` : ''}`,
      // Output lives in the datastore (the task's logs); Slurm's own file would be a second copy.
      '--output=/dev/null',
      // A requeued job would run an attempt twice: a preempted job is a failed attempt, @retry decides.
      '--no-requeue',
      ...(jobs.length > 1 ? [`--array=0-${jobs.length - 1}${this.o.arrayLimit ? `%${this.o.arrayLimit}` : ''}`] : []),
      ...jobs[0].sbatchArgs,
    ];
    this.submissions++;
    let id: string;
    try {
      id = await sbatch(
        args,
        jobScript(
          jobs.map((j) => j.spec),
          { command: this.o.command, root: this.o.datastore.location, sourceFile: this.o.sourceFile },
        ),
      );
    } catch (e) {
      for (const job of jobs)
        this.finish(job, {
          died: 'was not submitted',
          exception: { type: 'SlurmSubmitError', message: `sbatch refused the job: ${(e as Error).message}` },
        });
      return;
    }
    // Every submission, ended or not: scancel of a job that has ended does nothing.
    (this.guard ??= new OrphanGuard('scancel')).add(id);
    jobs.forEach((job, i) => {
      job.arrayId = id;
      job.jobId = jobs.length > 1 ? `${id}_${i}` : id;
      job.place(job.jobId);
      this.tracked.add(job);
      this.noteState(job, { state: 'PENDING', reason: '' });
      if (job.killed) this.cancel(job.jobId);
    });
    this.schedulePoll(POLL_MIN_MS);
  }

  // ---- following ------------------------------------------------------------------------------

  private schedulePoll(ms = this.interval): void {
    if (this.pollTimer || this.polling || !this.tracked.size) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      void this.poll();
    }, ms);
  }

  private async poll(): Promise<void> {
    this.polling = true;
    let changed = false;
    try {
      const states = await jobStates([...new Set([...this.tracked].map((j) => j.arrayId!))]);
      for (const job of [...this.tracked]) {
        if (job.settled) continue; // stopped by an earlier job of this poll
        // A job the controller no longer lists has ended long ago.
        const now = states.get(job.jobId!) ?? { state: 'UNKNOWN', reason: 'no longer listed by squeue' };
        if (now.state !== job.state) {
          changed = true;
          this.noteState(job, now);
        }
        if (now.state !== 'PENDING') this.tail(job);
        if (ENDED.has(now.state) || now.state === 'UNKNOWN') await this.ended(job, now);
      }
    } finally {
      this.polling = false;
      this.interval = changed ? POLL_MIN_MS : Math.min(POLL_MAX_MS, Math.round(this.interval * 1.5));
      this.schedulePoll();
    }
  }

  private tail(job: Job): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const text = job.logs[stream].read();
      if (text) job.onLog(stream, text);
    }
  }

  /** Keeps the job's id and state with the attempt, for the client API, `dump` and the editor. */
  private noteState(job: Job, now: JobState): void {
    job.state = now.state;
    const { flow, runId, step, taskId, retryCount } = job.spec;
    this.o.datastore.writeJson(keys.attemptMetadata(flow, runId, step, taskId, retryCount), this.metadata(job, now));
  }

  private metadata(job: Job, now: JobState): Record<string, string> {
    const reason = now.reason && now.reason !== 'None' ? now.reason : undefined;
    return {
      'slurm-job-id': job.jobId!,
      'slurm-state': now.state,
      ...(now.node ? { 'slurm-node': now.node } : {}),
      ...(reason ? { 'slurm-reason': reason } : {}),
    };
  }

  private async ended(job: Job, now: JobState): Promise<void> {
    const record = this.recordOf(job.spec);
    if (record) return this.finish(job, { record });
    const metadata = this.metadata(job, now);
    const reason = metadata['slurm-reason'] ? ` (${metadata['slurm-reason']})` : '';
    if (job.killed) {
      // We cancelled it: a job Slurm has already forgotten was cancelled all the same.
      const cancelled = now.state === 'UNKNOWN' ? this.metadata(job, { state: 'CANCELLED', reason: '' }) : metadata;
      return this.finish(job, {
        died: 'was cancelled',
        metadata: cancelled,
        exception: { type: 'SlurmJobCancelled', message: `Slurm job ${job.jobId} was cancelled: the run was stopped` },
      });
    }
    if (now.state === 'COMPLETED' || now.state === 'FAILED') {
      job.exit ??= await exitCode(job.jobId!);
      if (job.exit === CANNOT_READ_RUN) return this.stopRun(job, metadata);
      job.endedAt ??= Date.now();
      if (Date.now() - job.endedAt < RECORD_GRACE_MS) return;
      return this.finish(job, {
        died: 'ended without a record',
        metadata,
        exception: {
          type: 'TaskCrashed',
          message: `Slurm job ${job.jobId} ended (${now.state}, exit code ${job.exit ?? 'unknown'}) without writing the task's record to ${this.o.datastore.location}`,
        },
      });
    }
    this.finish(job, {
      died: `was ended by Slurm`,
      metadata,
      exception: {
        type: now.state === 'TIMEOUT' ? 'TimeoutError' : 'SlurmJobKilled',
        message: `Slurm ended job ${job.jobId}: ${now.state}${reason}${now.state === 'TIMEOUT' ? ' — the step ran past its time limit (@timeout, rounded up to whole minutes)' : ''}`,
      },
    });
  }

  /** The record of this very attempt (task.json is written last, so the task fully happened). */
  private recordOf(spec: TaskSpec): TaskRecord | undefined {
    const record = this.o.datastore.readJson<TaskRecord>(keys.taskRecord(spec.flow, spec.runId, spec.step, spec.taskId));
    return record?.attempt === spec.retryCount ? record : undefined;
  }

  /** The node cannot read the run: no job can; cancel them all, fail what is in flight. */
  private stopRun(job: Job, metadata: Record<string, string>): void {
    const { flow, runId } = job.spec;
    const node = metadata['slurm-node'] ? ` on node ${metadata['slurm-node']}` : '';
    this.fatal =
      `Slurm job ${job.jobId}${node} cannot read run ${flow}/${runId} in the datastore ${this.o.datastore.location}: ` +
      'the nodes must see it (a folder shared with the cluster, or an s3:// root; see docs/scale-out.md)';
    this.finish(job, { died: 'could not read the run', metadata, exception: { type: 'DatastoreNotShared', message: this.fatal } });
    for (const other of [...this.tracked, ...this.batch]) {
      if (other.jobId) this.cancel(other.jobId);
      this.finish(other, this.stoppedOutcome());
    }
    this.batch = [];
  }

  private stoppedOutcome(): TaskOutcome {
    return { died: 'was not run', exception: { type: 'SlurmJobCancelled', message: `not run: ${this.fatal}` } };
  }

  private finish(job: Job, outcome: TaskOutcome): void {
    if (job.settled) return;
    job.settled = true;
    this.tracked.delete(job);
    if (!job.jobId) job.place('slurm: not submitted');
    job.settle(outcome);
  }
}

// The Runner API (`import { run, resume, spin } from 'flowspec/runner'`): flows and single steps
// run from a script or a test like functions, resolving to the client API's Run or Task. Each call
// starts the `flowspec` CLI as a child process (the same run a user starts, with its own worker
// pool), so a crashing flow cannot take the caller down, and `asyncRun`/`asyncResume`/`asyncSpin`
// stream its lines and can cancel it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ANY_NAMESPACE, Flow, Run, Task } from '../client';
import { openDatastore } from '../datastore';
import type { Datastore } from '../datastore';
import { keys } from '../datastore/records';
import { spinStore } from '../spin/store';

/** What every call takes. */
export interface CommonOptions {
  /** Datastore root (a folder or `s3://bucket/prefix`): a test can use a temporary folder. Default: the user's rule (`FLOWSPEC_DATASTORE_ROOT`, `.flowspec/`, ...). */
  root?: string;
  /** The flow of the file, when it holds several. */
  flow?: string;
  /** Working folder of the CLI (default: the caller's). */
  cwd?: string;
  /** Extra environment variables for the run's tasks. */
  env?: Record<string, string>;
  /** Each line the run prints, as it prints it (the async forms also stream them). */
  onLog?: (line: LogLine) => void;
}

export interface RunOptions extends CommonOptions {
  /** Parameter values by name; objects and arrays are passed as JSON. */
  params?: Record<string, unknown>;
  tags?: string[];
  maxWorkers?: number;
}

export interface ResumeOptions extends CommonOptions {
  /** Rerun from this step (default: from the failed tasks). */
  step?: string;
  /** The run to resume (default: the latest run of the flow). */
  originRunId?: string;
  tags?: string[];
  maxWorkers?: number;
}

export interface SpinOptions extends CommonOptions {
  /** The run whose task is spun (default: the latest run in which the step ran). */
  runId?: string;
  /** The task of the step (`--task`). */
  taskId?: string;
  /** Its foreach position: a number, or every index of a nested foreach, outermost first. */
  index?: number | number[];
  /** Input values to use instead of the stored ones: an object (stored as JSON), or the path of a .json file or a module exporting ARTIFACTS. */
  artifacts?: Record<string, unknown> | string;
  skipDecorators?: boolean;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  /** The line as `flowspec` prints it (`[3/train/7 (pid 4242)] loss 0.12`). */
  text: string;
}

/** The flow could not start: bad input (an unknown file, parameter, run, step...), with the CLI's one line. */
export class RunnerError extends Error {
  constructor(
    message: string,
    /** The CLI's exit code (2 for bad input). */
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'RunnerError';
  }
}

/** A run, resume or spin under way: its lines as they come, its result, and a way to stop it. */
export interface Execution<T> extends AsyncIterable<LogLine> {
  /** The Run (or spun Task) once it ended; a failed run resolves too (see its `status`). */
  readonly result: Promise<T>;
  /** Stops it (SIGINT: a run is recorded as killed); `result` then settles. */
  cancel(): void;
}

/** Runs the flow of FILE; resolves to its Run when it ended, whether it succeeded or failed. */
export function run(file: string, options: RunOptions = {}): Promise<Run> {
  return asyncRun(file, options).result;
}

/** Resumes a run of the flow of FILE (as `flowspec resume`); resolves to the new Run. */
export function resume(file: string, options: ResumeOptions = {}): Promise<Run> {
  return asyncResume(file, options).result;
}

/** Runs STEP alone with the inputs of an earlier run (as `flowspec spin`); resolves to the spun Task (see `successful`, `data`). */
export function spin(file: string, step: string, options: SpinOptions = {}): Promise<Task> {
  return asyncSpin(file, step, options).result;
}

export function asyncRun(file: string, options: RunOptions = {}): Execution<Run> {
  const args = ['run', resolve(file), ...common(options), ...tagsAndWorkers(options)];
  for (const [name, value] of Object.entries(options.params ?? {})) args.push(`--${name}=${parameterText(value)}`);
  return execute(args, options, (store, flow, id) => new Flow(flow, { datastore: store, ...ANY_NAMESPACE }).run(id), 'run');
}

export function asyncResume(file: string, options: ResumeOptions = {}): Execution<Run> {
  const args = ['resume', resolve(file), ...(options.step ? [options.step] : []), ...common(options), ...tagsAndWorkers(options)];
  if (options.originRunId !== undefined) args.push('--origin-run-id', options.originRunId);
  return execute(args, options, (store, flow, id) => new Flow(flow, { datastore: store, ...ANY_NAMESPACE }).run(id), 'run');
}

export function asyncSpin(file: string, step: string, options: SpinOptions = {}): Execution<Task> {
  const args = ['spin', resolve(file), step, ...common(options)];
  if (options.runId !== undefined) args.push('--run-id', options.runId);
  if (options.taskId !== undefined) args.push('--task', options.taskId);
  if (options.index !== undefined) args.push('--index', [options.index].flat().join(','));
  if (options.skipDecorators) args.push('--skip-decorators');
  let artifactsFile: string | undefined;
  if (typeof options.artifacts === 'string') args.push('--artifacts', resolve(options.artifacts));
  else if (options.artifacts) {
    artifactsFile = join(mkdtempSync(join(tmpdir(), 'flowspec-artifacts-')), 'artifacts.json');
    writeFileSync(artifactsFile, JSON.stringify(options.artifacts));
    args.push('--artifacts', artifactsFile);
  }
  const execution = execute(
    args,
    options,
    (store, flow, id) => {
      const task = new Flow(flow, { datastore: spinStore(store), ...ANY_NAMESPACE }).run(id).step(step).task;
      if (!task) throw new RunnerError(`the spin ${flow}/${id} of step '${step}' has no task`, 1);
      return task;
    },
    'spin',
  );
  if (artifactsFile) {
    const folder = resolve(artifactsFile, '..');
    execution.result.then(
      () => rmSync(folder, { recursive: true, force: true }),
      () => rmSync(folder, { recursive: true, force: true }),
    );
  }
  return execution;
}

function common(options: CommonOptions): string[] {
  return options.flow !== undefined ? ['--flow', options.flow] : [];
}

function tagsAndWorkers(options: { tags?: string[]; maxWorkers?: number }): string[] {
  const args = (options.tags ?? []).flatMap((t) => ['--tag', t]);
  if (options.maxWorkers !== undefined) args.push('--max-workers', String(options.maxWorkers));
  return args;
}

/** A parameter's value as the command line takes it. */
function parameterText(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** The CLI beside this bundle (dist/runner.js → dist/cli.js), or the built one when running from source. */
function cliPath(): string {
  const beside = join(__dirname, 'cli.js');
  return existsSync(beside) ? beside : join(__dirname, '..', '..', 'dist', 'cli.js');
}

function execute<T>(
  args: string[],
  options: CommonOptions,
  read: (store: Datastore, flow: string, id: string) => T,
  kind: 'run' | 'spin',
): Execution<T> {
  const idFolder = mkdtempSync(join(tmpdir(), 'flowspec-runner-'));
  const idFile = join(idFolder, 'id');
  const root = options.root !== undefined ? (options.root.startsWith('s3://') ? options.root : resolve(options.root)) : undefined;
  const child = spawn(process.execPath, [cliPath(), ...args, '--run-id-file', idFile], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, ...(root !== undefined ? { FLOWSPEC_DATASTORE_ROOT: root } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = new LineQueue();
  let lastError = '';
  for (const stream of ['stdout', 'stderr'] as const) {
    let pending = '';
    child[stream].setEncoding('utf8');
    child[stream].on('data', (chunk: string) => {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop()!;
      for (const text of parts) {
        if (stream === 'stderr' && text.startsWith('flowspec: ')) lastError = text.slice('flowspec: '.length);
        const line = { stream, text };
        options.onLog?.(line);
        lines.push(line);
      }
    });
    child[stream].on('end', () => {
      if (pending) lines.push({ stream, text: pending });
      pending = '';
    });
  }
  const result = new Promise<T>((settle, fail) => {
    child.on('error', (e) => fail(new RunnerError(`cannot start flowspec: ${e.message}`, -1)));
    child.on('close', (code, signal) => {
      lines.end();
      const id = existsSync(idFile) ? readFileSync(idFile, 'utf8').trim() : undefined;
      rmSync(idFolder, { recursive: true, force: true });
      try {
        if (!id) {
          const why = signal ? `stopped by ${signal}` : lastError || `flowspec exited with code ${code}`;
          throw new RunnerError(why, code ?? -1);
        }
        const store = openDatastore(root);
        settle(read(store, flowOf(kind === 'spin' ? spinStore(store) : store, args[1], id, options.flow), id));
      } catch (e) {
        fail(e);
      }
    });
  });
  let cancelled = false;
  return {
    result,
    cancel: () => {
      // Once: a second SIGINT would stop the CLI before it records the run as killed.
      if (cancelled || child.exitCode !== null || child.signalCode !== null) return;
      cancelled = true;
      child.kill('SIGINT');
    },
    [Symbol.asyncIterator]: () => lines.iterator(),
  };
}

/** The flow of FILE that has the run (or spin) `id`: the one asked for, else the one whose record names FILE. */
function flowOf(store: Datastore, file: string, id: string, asked: string | undefined): string {
  if (asked !== undefined) return asked;
  const mine = store.list('').filter((flow) => {
    if (flow.startsWith('.')) return false;
    try {
      return store.readJson<{ sourceFile?: string }>(keys.runRecord(flow, id))?.sourceFile === file;
    } catch {
      return false;
    }
  });
  if (mine.length !== 1) throw new RunnerError(`cannot tell which flow of ${file} run ${id} belongs to: pass the flow option`, 2);
  return mine[0];
}

/** Lines pushed by the child, read by any number of `for await` loops (each sees every line). */
class LineQueue {
  private lines: LogLine[] = [];
  private done = false;
  private waiting: Array<() => void> = [];

  push(line: LogLine): void {
    this.lines.push(line);
    this.wake();
  }

  end(): void {
    this.done = true;
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiting.splice(0)) w();
  }

  iterator(): AsyncIterator<LogLine> {
    let at = 0;
    return {
      next: async () => {
        while (at >= this.lines.length && !this.done) await new Promise<void>((r) => this.waiting.push(r));
        return at < this.lines.length ? { value: this.lines[at++], done: false } : { value: undefined, done: true };
      },
    };
  }
}

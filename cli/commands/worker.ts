// A warm worker process of the local scheduler (internal command `__worker`): runs the tasks it
// is sent, one at a time, and reports their output and records over IPC. It ends with its parent:
// on IPC disconnect, or killed by the pool's orphan guard when a busy step holds the event loop
// (runtime/scheduler/orphanGuard.ts); and it writes nothing to the datastore once the parent is
// gone, so a crashed run gets no records after its crash. A worker whose step timed out retires
// after reporting it (the step's pending code must not run inside the next task). A worker that a
// spin started writes to that spin's store (runtime/spin/store.ts). Before its first task, a worker
// of `flowspec run` may be asked to check the flow file (the pre-run check, cli/validate.ts).
import * as inspector from 'node:inspector';
import { UserError } from '../../runtime/errors';
import type { Datastore } from '../../runtime/datastore';
import { parentAlive } from '../../runtime/scheduler/orphanGuard';
import { taskDatastore } from '../../runtime/spin/store';
import { TaskRunner } from '../../runtime/task/runTask';
import { stepLeftRunning } from '../../runtime/task/stepTimeout';
import type { WorkerMessage, WorkerRequest } from '../../runtime/scheduler/workerPool';
import { checkedFile } from '../../runtime/checkCache';
import { loadAnalyzer } from '../loadAnalyzer';
import { Command, defineSpec, parse } from '../command';

const spec = defineSpec({
  name: '__worker',
  positionals: '',
  options: { 'wait-for-debugger': { type: 'boolean', help: 'hold the first task until a debugger attaches (run --inspect)' } },
  summary: 'a warm worker process of the local scheduler',
  internal: true,
});

/** The datastore, with every write first checking that the scheduler is still there. */
function whileParentLives(datastore: Datastore, parent: number): Datastore {
  const writes = new Set(['putBlob', 'writeJson', 'writeJsonAt', 'createExclusive', 'writeFile', 'append', 'remove']);
  // One function per method, made on first use (a task calls them many times).
  const methods = new Map<string | symbol, unknown>();
  return new Proxy(datastore, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      let method = methods.get(name);
      if (!method) {
        method = writes.has(name as string)
          ? (...args: unknown[]) => {
              if (!parentAlive(parent)) process.kill(process.pid, 'SIGKILL');
              return value.apply(target, args);
            }
          : value.bind(target);
        methods.set(name, method);
      }
      return method;
    },
  });
}

async function main(argv: string[]): Promise<number> {
  const { values } = parse(spec, argv);
  if (!process.send) throw new UserError('__worker is internal: the scheduler starts it');
  const parent = process.ppid;
  process.once('disconnect', () => process.exit(0));
  process.setSourceMapsEnabled(true);
  // Under `run --inspect`, hold the first task until a debugger is attached, so that breakpoints
  // set in the editor are in place before any step runs. (Only then: a debugger that attaches to
  // child processes by itself, like VS Code's auto attach, never releases a waiting process.)
  if (values['wait-for-debugger']) {
    process.stderr.write('Waiting for a debugger to attach...\n');
    inspector.waitForDebugger();
  }
  const runner = new TaskRunner(whileParentLives(taskDatastore(), parent));
  const send = (m: WorkerMessage) => process.send!(m);
  let queue = Promise.resolve();
  process.on('message', (m: WorkerRequest) => {
    if (m.type === 'check') {
      queue = queue.then(() => {
        const answer = check(m.file, m.text);
        // The scheduler may have gone meanwhile (the flow did not load): nobody to answer.
        if (process.connected) send(answer);
      });
      return;
    }
    if (m.type !== 'task') return;
    queue = queue.then(async () => {
      try {
        const record = await runner.run(m.spec, (stream, text) => send({ type: 'log', stream, text }));
        if (!stepLeftRunning()) send({ type: 'done', record });
        // A step that timed out may still have code pending here: the pool starts a fresh worker instead.
        else process.send!({ type: 'done', record, retire: true } satisfies WorkerMessage, () => process.exit(0));
      } catch (e) {
        // The task could not be recorded (a full disk, a damaged input record): the scheduler says so.
        send({ type: 'error', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      }
    });
  });
  await new Promise<void>(() => {}); // runs until the scheduler disconnects
  return 0;
}

/** The pre-run check's analysis of a flow file (WorkerPool.check), with the analyzer loaded here on first use. */
function check(file: string, text: string): WorkerMessage {
  try {
    return { type: 'checked', file: checkedFile(loadAnalyzer().analyzeText(file, text)) };
  } catch (e) {
    return { type: 'checked', error: e instanceof Error ? e.message : String(e) };
  }
}

export const command: Command = { spec, main };

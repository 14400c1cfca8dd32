// A warm worker process of the local scheduler (internal command `__worker`): runs the tasks it
// is sent, one at a time, and reports their output and records over IPC.
import { openDatastore } from '../../runtime/datastore';
import { TaskRunner, TaskSpec } from '../../runtime/task/runTask';
import type { WorkerMessage } from '../../runtime/scheduler/workerPool';

export async function main(argv: string[]): Promise<number> {
  if (!process.send) throw new Error('__worker is started by the scheduler');
  process.setSourceMapsEnabled(true);
  // Under `run --inspect`, hold the first task until a debugger is attached, so that breakpoints
  // set in the editor are in place before any step runs. (Only then: a debugger that attaches to
  // child processes by itself, like VS Code's auto attach, never releases a waiting process.)
  if (argv.includes('--wait-for-debugger')) {
    const inspector = await import('node:inspector');
    process.stderr.write('Waiting for a debugger to attach...\n');
    inspector.waitForDebugger();
  }
  const runner = new TaskRunner(openDatastore());
  const send = (m: WorkerMessage) => process.send!(m);
  let queue = Promise.resolve();
  process.on('message', (m: { type: 'task'; spec: TaskSpec }) => {
    if (m.type !== 'task') return;
    queue = queue.then(async () => {
      const record = await runner.run(m.spec, (stream, text) => send({ type: 'log', stream, text }));
      send({ type: 'done', record });
    });
  });
  await new Promise<void>((resolve) => process.once('disconnect', resolve));
  return 0;
}

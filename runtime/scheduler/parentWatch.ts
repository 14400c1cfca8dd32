// A worker must not outlive the scheduler that started it: when `flowspec run` is killed, a task
// still running (a sleep, a busy loop) would otherwise go on and write its record into a run that
// has crashed. A watcher thread checks the parent process every POLL_MS, independently of the
// task's event loop (a busy loop never yields), and kills this process the moment the parent is gone.
import { Worker } from 'node:worker_threads';

const POLL_MS = 100;

const WATCHER = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== workerData.parent) process.kill(process.pid, 'SIGKILL');
}, workerData.pollMs);
`;

/** Whether the process that started this one is still our parent (an orphan is adopted by another). */
export function parentAlive(parent: number): boolean {
  return process.ppid === parent;
}

/** Starts the watcher thread; it does not keep the process alive by itself. */
export function exitWithParent(parent = process.ppid): void {
  const watcher = new Worker(WATCHER, { eval: true, workerData: { parent, pollMs: POLL_MS } });
  watcher.unref();
}

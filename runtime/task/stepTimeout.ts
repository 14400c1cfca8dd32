// @timeout inside the task, as Metaflow raises TimeoutException in the step: a step that runs too
// long gets a TimeoutError that the task records like any error of the step, so @retry retries it
// and @catchError keeps what the step assigned before it. A step that awaits is stopped by a timer
// of this thread; a step that keeps the thread busy (a loop, Atomics.wait) is interrupted by a
// watchdog thread, which asks V8 through the inspector to terminate the running JavaScript. A step
// blocked inside native code (execSync) cannot be interrupted: the scheduler kills its process.
import { Worker } from 'node:worker_threads';

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** How long after the deadline the watchdog interrupts a busy step (a step that awaits is stopped on time by the timer). */
const INTERRUPT_AFTER_MS = 200;

// One Int32 says who ended the current step: generation * 4 + phase, changed only by compare-and-swap.
const RUNNING = 0;
const ANSWERED = 1;
const INTERRUPTED = 2;

/** The watchdog thread's code: on { generation, ms }, after ms, interrupt the main thread unless the step was answered. */
const WATCHDOG = `
const { parentPort, workerData } = require('node:worker_threads');
const { Session } = require('node:inspector');
const state = new Int32Array(workerData);
let timer;
parentPort.on('message', ({ generation, ms }) => {
  clearTimeout(timer);
  if (!generation) return;
  timer = setTimeout(() => {
    if (Atomics.compareExchange(state, 0, generation * 4 + ${RUNNING}, generation * 4 + ${INTERRUPTED}) !== generation * 4 + ${RUNNING}) return;
    const session = new Session();
    session.connectToMainThread();
    session.post('Runtime.terminateExecution', () => session.disconnect());
  }, ms);
});
`;

let watchdog: { worker: Worker; state: Int32Array } | undefined;
let generation = 0;
let leftRunning = false;

function startWatchdog(): { worker: Worker; state: Int32Array } {
  const shared = new SharedArrayBuffer(4);
  const worker = new Worker(WATCHDOG, { eval: true, workerData: shared });
  worker.unref(); // the process ends when its own work does
  return { worker, state: new Int32Array(shared) };
}

/**
 * Calls the step and resolves with what it returns; rejects with its error, or with a TimeoutError
 * once `ms` have passed. The step starts from a microtask, so that an interrupt unwinds only the
 * step's own frames and never the caller's.
 */
export function runWithTimeout<T>(call: () => T | Promise<T>, ms: number, step: string): Promise<T> {
  const dog = (watchdog ??= startWatchdog());
  const gen = ++generation;
  Atomics.store(dog.state, 0, gen * 4 + RUNNING);
  dog.worker.postMessage({ generation: gen, ms: ms + INTERRUPT_AFTER_MS });
  const answer = () => Atomics.compareExchange(dog.state, 0, gen * 4 + RUNNING, gen * 4 + ANSWERED) === gen * 4 + RUNNING;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Reached when the step awaited past its deadline, or after the watchdog interrupted it.
      answer();
      leftRunning = true;
      reject(new TimeoutError(`step '${step}' timed out after ${ms / 1000} s (@timeout)`));
    }, ms);
    const settle = (outcome: () => void) => {
      if (!answer()) return; // interrupted: the timer reports it
      clearTimeout(timer);
      dog.worker.postMessage({ generation: 0 });
      outcome();
    };
    queueMicrotask(() => {
      try {
        Promise.resolve(call()).then(
          (value) => settle(() => resolve(value)),
          (error) => settle(() => reject(error)),
        );
      } catch (error) {
        settle(() => reject(error));
      }
    });
  });
}

/**
 * True once a step of this process timed out: its code may still be pending (timers, awaits) and
 * would run inside the next task, so a worker that ran it retires.
 */
export function stepLeftRunning(): boolean {
  return leftRunning;
}

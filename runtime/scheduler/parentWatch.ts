// Workers must not outlive the scheduler that started them: when `flowspec run` is killed, a task
// still running would otherwise go on, and a busy loop never yields its event loop to notice.
//
// Two guards. In the scheduler, one small shell process per worker pool holds the read end of a
// pipe that only the scheduler writes to; the kernel closes it when the scheduler dies, however it
// dies, and the shell then kills the workers it was told about. (It replaced a watcher thread in
// every worker: a Node thread costs ~80 ms of CPU to start, which delayed each split's first tasks;
// the shell costs a few ms once per run and polls nothing.) In each worker, every datastore write
// first checks that its parent is still there, so a crashed run gets no record after its crash.
import { ChildProcess, spawn } from 'node:child_process';

/** Whether the process that started this one is still our parent (an orphan is adopted by another). */
export function parentAlive(parent: number): boolean {
  return process.ppid === parent;
}

// Reads `+PID` / `-PID` lines; at end of input (the scheduler is gone) kills the PIDs it still holds.
const WATCHER = `
pids=" "
while read -r line; do
  case "$line" in
    +*) pids="$pids\${line#+} " ;;
    -*) kept=" "; for p in $pids; do [ "$p" = "\${line#-}" ] || kept="$kept$p "; done; pids="$kept" ;;
  esac
done
[ -n "\${pids# }" ] && kill -9 $pids 2>/dev/null
exit 0
`;

/** The scheduler's side: tell the watcher about each worker; `close` when the pool ends normally. */
export class WorkerWatcher {
  private readonly shell: ChildProcess | undefined;

  constructor() {
    // No POSIX shell on Windows: there, only the workers' own write guard applies.
    if (process.platform === 'win32') return;
    this.shell = spawn('/bin/sh', ['-c', WATCHER], { stdio: ['pipe', 'ignore', 'ignore'] });
    this.shell.on('error', () => {
      /* no shell: the write guard still applies */
    });
    this.shell.stdin!.on('error', () => {
      /* the watcher is gone: nothing to tell it */
    });
    this.shell.unref();
    (this.shell.stdin as unknown as { unref?: () => void }).unref?.();
  }

  add(pid: number | undefined): void {
    if (pid) this.shell?.stdin?.write(`+${pid}\n`);
  }

  remove(pid: number | undefined): void {
    if (pid) this.shell?.stdin?.write(`-${pid}\n`);
  }

  /** The pool is closing its workers itself: the watcher ends without killing anything. */
  close(): void {
    this.shell?.kill('SIGKILL');
  }
}

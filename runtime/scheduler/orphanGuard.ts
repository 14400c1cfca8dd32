// Nothing a run started may outlive the scheduler that started it: when `flowspec run` is killed
// (even with SIGKILL, which it cannot catch), its local workers must stop — a busy loop never
// yields its event loop to notice — and its Slurm jobs must not run on unattended.
//
// The guard is one small shell process that holds the read end of a pipe only the scheduler writes
// to. The kernel closes the pipe when the scheduler dies, however it dies; the shell then ends
// what it was told about: `kill -9` for worker processes, `scancel` for Slurm jobs. It costs a few
// ms once per run and polls nothing. (It replaced a watcher thread in every worker: a Node thread
// costs ~80 ms of CPU to start, which delayed each split's first tasks.) Each worker also checks
// its parent before every datastore write, so a crashed run gets no record after its crash.
import { ChildProcess, spawn } from 'node:child_process';

/** Whether the process that started this one is still our parent (an orphan is adopted by another). */
export function parentAlive(parent: number): boolean {
  return process.ppid === parent;
}

// Reads `+ID` / `-ID` lines; at end of input (the scheduler is gone) ends the IDs it still holds
// with $FLOWSPEC_GUARD_END (a command, split into words).
const GUARD = `
ids=" "
while read -r line; do
  case "$line" in
    +*) ids="$ids\${line#+} " ;;
    -*) kept=" "; for i in $ids; do [ "$i" = "\${line#-}" ] || kept="$kept$i "; done; ids="$kept" ;;
  esac
done
[ -n "\${ids# }" ] && $FLOWSPEC_GUARD_END $ids >/dev/null 2>&1
exit 0
`;

/** How the guard ends what is left: local processes, or Slurm jobs (an array's id cancels all its elements). */
export type GuardEnd = 'kill -9' | 'scancel';

/** The scheduler's side: tell the guard what to end; `close` when the run ends normally. */
export class OrphanGuard {
  private readonly shell: ChildProcess | undefined;

  constructor(end: GuardEnd) {
    // No POSIX shell on Windows: there, only the workers' own write guard applies.
    if (process.platform === 'win32') return;
    this.shell = spawn('/bin/sh', ['-c', GUARD], { stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, FLOWSPEC_GUARD_END: end } });
    this.shell.on('error', () => {
      /* no shell: the write guard still applies */
    });
    this.shell.stdin!.on('error', () => {
      /* the guard is gone: nothing to tell it */
    });
    // The guard never keeps the scheduler alive.
    this.shell.unref();
    (this.shell.stdin as unknown as { unref?: () => void }).unref?.();
  }

  add(id: string | number | undefined): void {
    if (id) this.shell?.stdin?.write(`+${id}\n`);
  }

  remove(id: string | number | undefined): void {
    if (id) this.shell?.stdin?.write(`-${id}\n`);
  }

  /** The scheduler ends what it started itself: the guard goes without ending anything. */
  close(): void {
    this.shell?.kill('SIGKILL');
  }
}

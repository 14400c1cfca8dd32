// The spin process the Spin command keeps ready (`flowspec __spin-standby`, cli/commands/spin-standby.ts):
// Node, the CLI, esbuild and the task's worker process already started, so that a click on Spin pays
// for the spin alone. One process per spin: the next one starts once a spin is shown, and the one
// kept is used only when it was started the same way (Node, CLI, folder, environment, and for an
// s3:// datastore the project's datastore settings) and still lives. Debug Spin starts its own
// process under the inspector instead. No vscode import: bench/spin.ts drives it as the extension does.
import { ChildProcess, spawn } from 'node:child_process';
import type { CliInvocation } from '../config';

export class SpinStandby {
  private ready?: { key: string; child: ChildProcess; since: number };

  /**
   * A spin process for `inv` (the CLI with `__spin-standby`), waiting for its arguments (`start`):
   * the one kept ready when it matches (`keptFor`: how long ago it was started, in ms), else one
   * started now. `epoch` changes when what the process read at its start may have changed (the
   * project's datastore facts).
   */
  take(inv: CliInvocation, epoch: number): { child: ChildProcess; keptFor?: number } {
    const ready = this.ready;
    this.ready = undefined;
    if (ready && ready.key === keyOf(inv, epoch) && alive(ready.child)) return { child: ready.child, keptFor: Date.now() - ready.since };
    if (ready) release(ready.child);
    return { child: launch(inv) };
  }

  /** Starts the process for the next spin, unless a matching one is ready. */
  prepare(inv: CliInvocation, epoch: number): void {
    const key = keyOf(inv, epoch);
    if (this.ready?.key === key && alive(this.ready.child)) return;
    if (this.ready) release(this.ready.child);
    this.ready = { key, child: launch(inv), since: Date.now() };
  }

  dispose(): void {
    if (this.ready) release(this.ready.child);
    this.ready = undefined;
  }
}

/** Hands a process of `take` the arguments of `flowspec spin`, which it runs as the CLI would. */
export function startSpin(child: ChildProcess, args: string[]): void {
  child.stdin!.end(`${JSON.stringify(args)}\n`);
}

function launch(inv: CliInvocation): ChildProcess {
  const child = spawn(inv.command, inv.args, { cwd: inv.cwd, env: inv.env, stdio: ['pipe', 'pipe', 'pipe'] });
  // A process that fails to start reports it to whoever takes it (its 'error' and 'close').
  child.on('error', () => {});
  return child;
}

function keyOf(inv: CliInvocation, epoch: number): string {
  return JSON.stringify([inv.command, inv.args, inv.cwd, inv.env, epoch]);
}

function alive(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null && child.stdin?.writable === true;
}

/** Ends a process that will not be used: without a line on stdin it stops its worker and exits. */
function release(child: ChildProcess): void {
  child.stdout?.resume();
  child.stderr?.resume();
  child.stdin?.end();
}

// The extension's commands. Each takes optional arguments so it can be driven without prompts
// (tests, other extensions, keybindings), e.g.
//   flowspec.run     { uri, flow, parameters?: { name: value }, maxWorkers?, with?: 'slurm' }  → RunResult
//   flowspec.resume  { uri, flow, originRunId?, step? }                        → RunResult
//   flowspec.debug   { uri, flow, parameters? }                                → boolean (session started)
//   flowspec.showGraph { uri, flow }                                           → { flow, steps }
//   flowspec.saveParams { uri, flow, parameters?, refs?, confirm? }            → the params file's path
//   flowspec.addTags / flowspec.removeTags (runNode, tags?: string[])          → the run's user tags after
// `refs` (run, debug, saveParams) are params-file refs: { name: { ref: 'flows.F.3', value: 'outputs.x' } }.
// Without arguments they work on the active editor and ask for what is missing.
// One module per concern: run.ts (run, debug, save params), resume.ts, runsActions.ts (the Runs
// view's actions), answers.ts (parameters), targets.ts (which file and flow).
import * as vscode from 'vscode';
import type { CommandContext } from './context';
import { resume } from './resume';
import { debug, run, saveParams } from './run';
import { addTags, copyPathspec, deleteRun, goToStep, openArtifact, openTaskLogs, removeTags } from './runsActions';
import { FlowArgs, target } from './targets';

export type { CommandContext } from './context';
export type { RunArgs, SaveParamsArgs } from './run';
export type { ResumeArgs } from './resume';
export type { FlowArgs } from './targets';
export { resume } from './resume';
export { showFailedTask } from './runsActions';

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  const c = (id: string, f: (...args: any[]) => unknown) => vscode.commands.registerCommand(id, f);
  return [
    c('flowspec.run', (arg) => run(ctx, arg)),
    c('flowspec.resume', (arg) => resume(ctx, arg)),
    c('flowspec.debug', (arg) => debug(ctx, arg)),
    c('flowspec.showGraph', (arg) => showGraph(ctx, arg)),
    c('flowspec.saveParams', (arg) => saveParams(ctx, arg)),
    c('flowspec.refreshRuns', () => ctx.tree.refresh()),
    c('flowspec.resumeRun', (node) => resume(ctx, node)),
    c('flowspec.deleteRun', (node, options) => deleteRun(ctx, node, options)),
    c('flowspec.addTags', (node, tags) => addTags(ctx, node, tags)),
    c('flowspec.removeTags', (node, tags) => removeTags(ctx, node, tags)),
    c('flowspec.copyPathspec', copyPathspec),
    c('flowspec.openTaskLogs', openTaskLogs),
    c('flowspec.openArtifact', (node) => openArtifact(ctx, node)),
    c('flowspec.goToStep', (node) => goToStep(ctx, node)),
    c('flowspec.cancelRuns', () => ctx.runner.cancelAll()),
  ];
}

async function showGraph(ctx: CommandContext, arg?: FlowArgs): Promise<{ flow: string; steps: number } | undefined> {
  const t = await target(ctx, arg);
  if (!t) return undefined;
  const panel = await ctx.graphs.show(t.uri, t.flow.name);
  return { flow: panel.flow, steps: panel.data?.steps.length ?? t.flow.steps.length };
}

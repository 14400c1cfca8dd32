// ↻ Resume: which run (failed ones first), from which step, then `flowspec resume`.
import * as vscode from 'vscode';
import { formatAge } from '../../model/format';
import { maxWorkersArgs } from '../config';
import type { RunSummary } from '../reader/protocol';
import { expectedTaskCount } from '../runLog';
import type { RunResult } from '../runner';
import { FlowNode, RunNode } from '../runs/nodes';
import type { CommandContext } from './context';
import { FlowArgs, isArgs, saveFirst, target } from './targets';

export interface ResumeArgs extends FlowArgs {
  originRunId?: string;
  step?: string;
}

/** Runs the resume prompt lists (failed ones first, then up to 10 others). */
const RESUMABLE_RUNS = 30;
const OTHER_RUNS = 10;

export async function resume(ctx: CommandContext, arg?: ResumeArgs | FlowNode | RunNode): Promise<RunResult | undefined> {
  const t = await target(ctx, arg);
  if (!t) return undefined;
  const flow = t.flow.name;
  const given = isArgs<ResumeArgs>(arg) ? arg : undefined;
  const origin = arg instanceof RunNode ? arg.run.id : (given?.originRunId ?? (await pickRun(ctx, t.uri, flow)));
  if (!origin) return undefined;
  let step: string | undefined;
  if (given && 'step' in given) step = given.step;
  else {
    const items: Array<vscode.QuickPickItem & { step?: string }> = [
      { label: '$(debug-restart) From the failed step', description: 'reuse every task that succeeded before it' },
      ...t.flow.steps.map((s) => ({ label: `$(arrow-right) From ${s.name}`, description: s.kind, step: s.name })),
    ];
    const pick = await vscode.window.showQuickPick(items, {
      title: `Resume ${flow} run ${origin}: from which step?`,
      ignoreFocusOut: true,
    });
    if (!pick) return undefined;
    step = pick.step;
  }
  await saveFirst(t.uri);
  return ctx.runner.start({
    file: t.uri,
    flow,
    command: 'resume',
    args: [...(step ? [step] : []), '--flow', flow, '--origin-run-id', origin, ...maxWorkersArgs()],
    expectedTasks: expectedTaskCount(t.flow),
    title: `Resuming ${flow} run ${origin}`,
    originRunId: origin,
  });
}

/** Asks which run to resume: the failed ones (latest first), then others to re-run from a step. */
async function pickRun(ctx: CommandContext, file: vscode.Uri, flow: string): Promise<string | undefined> {
  const runs = await ctx.store.runsFor(file, flow, RESUMABLE_RUNS).catch(() => []);
  if (!runs.length) {
    void vscode.window.showInformationMessage(`${flow} has no runs to resume yet.`);
    return undefined;
  }
  const failed = runs.filter((r) => ['failed', 'killed', 'crashed'].includes(r.state));
  const others = runs.filter((r) => !failed.includes(r)).slice(0, OTHER_RUNS);
  const item = (r: RunSummary) => ({
    label: `${r.state === 'success' ? '$(pass)' : '$(error)'} Run ${r.id}`,
    description: `${r.state} · ${r.createdAt !== undefined ? formatAge(new Date(r.createdAt)) : ''}`,
    id: r.id,
  });
  const items: Array<vscode.QuickPickItem & { id?: string }> = [
    ...(failed.length ? [{ label: 'failed runs', kind: vscode.QuickPickItemKind.Separator }, ...failed.map(item)] : []),
    ...(others.length ? [{ label: 'other runs (re-run from a step)', kind: vscode.QuickPickItemKind.Separator }, ...others.map(item)] : []),
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: `Resume ${flow}: which run?`,
    placeHolder: failed.length ? 'A failed run (the latest is first)' : 'No failed runs: pick a run to re-run from a step',
    ignoreFocusOut: true,
  });
  return pick?.id;
}

// Hover: a step (kind, doc, transitions, incoming steps) or an artifact (where it is assigned on
// the paths that reach this step).
import type { Hover, Position } from 'vscode-languageserver';
import { AnalysisResult, computeDataFlow, incomingSteps, FlowModel, StepModel } from '../../analyzer';
import { targetAt } from './locate';

export function hover(result: AnalysisResult, p: Position): Hover | null {
  const t = targetAt(result, p);
  if (!t) return null;
  const value = t.kind === 'step' ? stepHover(t.flow, t.step) : artifactHover(t.flow, t.step, t.name);
  return { contents: { kind: 'markdown', value }, range: t.range };
}

function transitionText(step: StepModel): string {
  const t = step.transition;
  if (!t) return step.name === 'end' ? 'the last step' : 'no transition yet';
  if (t.kind === 'switch' && t.cases) {
    return `switch on \`${t.condition ?? '?'}\`: ${Object.entries(t.cases)
      .map(([k, v]) => `${k} → \`${v}\``)
      .join(', ')}`;
  }
  if (t.kind === 'foreach') return `foreach \`${t.foreach ?? '?'}\` → \`${t.targets[0]}\``;
  return `→ ${t.targets.map((x) => `\`${x}\``).join(', ')}`;
}

function stepHover(flow: FlowModel, step: StepModel): string {
  const lines = [`**step** \`${step.name}\` (${step.kind}) of \`${flow.name}\``];
  if (step.doc) lines.push('', step.doc);
  lines.push('', `next: ${transitionText(step)}`);
  const incoming = incomingSteps(flow, step.name);
  lines.push(
    '',
    `incoming: ${incoming.length ? incoming.map((x) => `\`${x}\``).join(', ') : step.name === 'start' ? 'the run starts here' : 'none'}`,
  );
  if (step.decorators.length) lines.push('', `decorators: ${step.decorators.map((d) => `@${d}`).join(' ')}`);
  if (step.assigns.length) lines.push('', `assigns: ${step.assigns.map((a) => `\`${a}\``).join(', ')}`);
  return lines.join('\n');
}

function artifactHover(flow: FlowModel, step: StepModel, name: string): string {
  const param = flow.parameters.find((p) => p.field === name);
  if (param) {
    return [
      `**parameter** \`${param.name}\` (${param.type}${param.required ? ', required' : ''})`,
      ...(param.help ? ['', param.help] : []),
      ...(param.defaultText ? ['', `default: \`${param.defaultText}\``] : []),
    ].join('\n');
  }
  if (flow.members[name] === 'constant') return `**constant** \`${name}\`: a class field, readable in every step`;
  const lines = [`**artifact** \`${name}\``];
  const df = computeDataFlow(flow);
  const st = df.entry.get(step.name)?.artifacts.get(name);
  const local = step.assignments.filter((a) => a.name === name);
  if (st && st.sites.size) lines.push('', `on entry to \`${step.name}\`, assigned in: ${[...st.sites].map((s) => `\`${s}\``).join(', ')}`);
  else if (st?.lost) lines.push('', `not available on entry to \`${step.name}\`: join \`${st.lost.join}\` neither assigns nor merges it`);
  else if (!local.length) lines.push('', `not assigned on any path to \`${step.name}\``);
  if (local.length) lines.push('', `assigned here in \`${step.name}\` (line ${local.map((a) => a.range.start.line + 1).join(', ')})`);
  const everywhere = flow.steps.filter((s) => s.assigns.includes(name)).map((s) => `\`${s.name}\``);
  if (everywhere.length) lines.push('', `assigned in the flow by: ${everywhere.join(', ')}`);
  return lines.join('\n');
}

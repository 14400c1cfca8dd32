// Hover: a step (kind, doc, transitions, incoming steps); an artifact (its type, the steps that
// assign it on the paths to here, its value in the latest run with a link that opens it); a
// parameter (type, help, default, the value the latest run used). The latest run's facts are read
// by the server (server/lastRun) and passed in: this stays a pure function.
import type { Hover, Position } from 'vscode-languageserver';
import {
  AnalysisResult,
  FlowArtifactTypes,
  FlowModel,
  FlowSymbol,
  incomingSteps,
  reachingSites,
  StepModel,
  symbolAt,
  computeDataFlow,
} from '../../analyzer';
import { formatAge, formatBytes } from '../../model/format';
import type { LastRunArtifact, LastRunParameter } from '../lastRun';
import { stepTargetAt } from './locate';

type ArtifactSymbol = Extract<FlowSymbol, { kind: 'artifact' }>;

/** What hover asks of the latest runs for the symbol at a position. */
export type LastRunQuestion =
  { kind: 'artifact'; flow: string; steps: string[]; name: string } | { kind: 'parameter'; flow: string; name: string };

export type LastRunAnswer = LastRunArtifact | LastRunParameter;

/** Longest type text hover shows; a longer one is cut with `…`. */
const MAX_TYPE_CHARS = 200;

/** The command the extension registers to open an artifact's value (`flowspec.openArtifact`). */
export const OPEN_ARTIFACT_COMMAND = 'flowspec.openArtifact';

/** The latest-run question for the artifact or parameter at the position, if any. */
export function lastRunQuestion(result: AnalysisResult, text: string, p: Position): LastRunQuestion | undefined {
  if (stepTargetAt(result, p)) return undefined;
  const symbol = symbolAt(result, text, p);
  if (symbol?.kind === 'parameter') return { kind: 'parameter', flow: symbol.flow.name, name: symbol.parameter.name };
  if (symbol?.kind !== 'artifact') return undefined;
  return { kind: 'artifact', flow: symbol.flow.name, steps: valueSteps(symbol), name: symbol.name };
}

/** The steps whose task shows the value read at the symbol, best first. */
function valueSteps(symbol: ArtifactSymbol): string[] {
  const sites = reachingSites(symbol);
  const first = symbol.branch ?? (symbol.occurrence.role === 'field' ? 'end' : symbol.step.name);
  return [...new Set([first, ...sites])];
}

/** The document hovered: its URI (for links) and its text. */
export interface HoverDocument {
  uri: string;
  text: string;
}

/**
 * The hover at a position. `types`: the artifact types of the document's flows as their generated
 * declarations give them (server/artifactTypes), so an artifact shows the type TypeScript sees.
 */
export function hover(
  result: AnalysisResult,
  doc: HoverDocument,
  p: Position,
  lastRun?: LastRunAnswer,
  types?: FlowArtifactTypes[],
): Hover | null {
  const t = stepTargetAt(result, p);
  if (t) return { contents: { kind: 'markdown', value: stepHover(t.flow, t.step) }, range: t.range };
  const symbol = symbolAt(result, doc.text, p);
  if (!symbol) return null;
  let value: string;
  let range;
  if (symbol.kind === 'artifact') {
    const type = types?.find((f) => f.name === symbol.flow.name)?.artifacts.find((a) => a.name === symbol.name)?.type;
    value = artifactHover(symbol, doc, type, lastRun as LastRunArtifact | undefined);
    range = symbol.occurrence.range;
  } else if (symbol.kind === 'parameter') {
    value = parameterHover(symbol.flow, symbol.parameter, lastRun as LastRunParameter | undefined);
    range = symbol.range;
  } else {
    value = `**constant** \`${symbol.name}\`: a class field, readable in every step`;
    range = symbol.range;
  }
  return { contents: { kind: 'markdown', value }, range };
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

function parameterHover(flow: FlowModel, param: FlowModel['parameters'][number], lastRun: LastRunParameter | undefined): string {
  const lines = [`**parameter** \`${param.name}\` (${param.type}${param.required ? ', required' : ''}) of \`${flow.name}\``];
  if (param.help) lines.push('', param.help);
  if (param.defaultText) lines.push('', `default: \`${param.defaultText}\``);
  if (lastRun) lines.push('', `latest run ${runText(lastRun)}: \`${lastRun.preview}\``);
  return lines.join('\n');
}

function artifactHover(symbol: ArtifactSymbol, doc: HoverDocument, type: string | undefined, lastRun: LastRunArtifact | undefined): string {
  const { flow, step, name } = symbol;
  const assignments = reachingAssignments(symbol);
  const shown = type && type.length > MAX_TYPE_CHARS ? `${type.slice(0, MAX_TYPE_CHARS)}…` : type;
  const lines = [`**artifact** \`${name}\`${shown ? `: \`${shown}\`` : ''}`];
  const where = whereText(symbol);
  if (assignments.length) {
    const links = assignments.map(({ step: s, a }) => `[\`${s}\` line ${a.range.start.line + 1}](${doc.uri}#L${a.range.start.line + 1})`);
    lines.push('', `${where}, assigned in: ${[...new Set(links)].join(', ')}`);
  } else {
    const lost = computeDataFlow(flow).entry.get(step.name)?.artifacts.get(name)?.lost;
    lines.push(
      '',
      lost
        ? `not available in \`${step.name}\`: join \`${lost.join}\` neither assigns nor merges it`
        : `${where}: not assigned on any path`,
    );
  }
  if (lastRun) lines.push('', artifactValueText(lastRun, name));
  return lines.join('\n');
}

/** The assignments (`this.x = …` in a step or a helper it calls) that can reach the symbol. */
function reachingAssignments(symbol: ArtifactSymbol): Array<{ step: string; a: StepModel['assignments'][number] }> {
  const sites = reachingSites(symbol);
  return symbol.flow.steps
    .filter((s) => sites.includes(s.name))
    .flatMap((s) => s.assignments.filter((a) => a.name === symbol.name).map((a) => ({ step: s.name, a })));
}

function whereText(symbol: ArtifactSymbol): string {
  const { step, occurrence, branch } = symbol;
  switch (occurrence.role) {
    case 'input':
      return branch ? `from branch \`${branch}\` into \`${step.name}\`` : `on the inputs of \`${step.name}\``;
    case 'merge':
      return `on the inputs of \`${step.name}\``;
    case 'foreach':
    case 'condition':
    case 'assign':
      return `when \`${step.name}\` ends`;
    case 'field':
      return 'in the flow';
    case 'read':
      return `in \`${step.name}\``;
  }
}

function runText(r: LastRunAnswer): string {
  return `\`${r.run}\` (${r.status}, ${formatAge(new Date(r.createdAt))})`;
}

function artifactValueText(r: LastRunArtifact, name: string): string {
  const args = encodeURIComponent(JSON.stringify([{ root: r.root, taskPathspec: r.task, name }]));
  const tasks = r.tasks > 1 ? ` (1 of ${r.tasks} tasks)` : '';
  return [
    `latest run ${runText(r)}, task \`${r.task}\`${tasks}:`,
    '',
    '```',
    r.preview,
    '```',
    `${r.type}, ${formatBytes(r.size)} · [Open value](command:${OPEN_ARTIFACT_COMMAND}?${args} "Open ${r.task}/${name}")`,
  ].join('\n');
}

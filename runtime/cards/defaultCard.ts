// The default card's own sections (after any components the step appended): the task's timing,
// its parameters, its artifacts (numbers as a small chart, rows of flat objects as a table,
// anything else pretty-printed), the flow's graph with this step highlighted, and the logs' tail.
import type { ArtifactInfo } from '../datastore/artifacts';
import type { StaticStep } from '../datastore/records';
import { Artifact, componentData, LineChart, prettyValue, Table } from './components';
import type { ComponentData } from './data';

export interface TaskFacts {
  pathspec: string;
  step: string;
  status: 'success' | 'failed' | 'running';
  attempt: number;
  startedAt: string;
  finishedAt?: string;
  exception?: { type: string; message: string };
  parameters: Record<string, unknown>;
  /** Artifacts in the order the step has them; `load` reads a value. */
  artifacts: Array<{ name: string; info: ArtifactInfo; load: () => unknown }>;
  graph: Record<string, StaticStep>;
  stdout: string;
  stderr: string;
}

/** Values larger than this are described by their preview only (as Metaflow's max_artifact_size). */
const MAX_SHOWN_ARTIFACT_BYTES = 20 * 1024 * 1024;
const LOG_TAIL_LINES = 40;
const MAX_TABLE_ROWS = 100;
const MAX_CHART_POINTS = 5000;

export function defaultSections(task: TaskFacts, deadline: number): ComponentData[] {
  return [
    section('Task', [timing(task)]),
    section(
      'Parameters',
      Object.keys(task.parameters).length
        ? [componentData(Table.fromObjects(Object.entries(task.parameters).map(([name, value]) => ({ name, value: prettyValue(value) }))))]
        : [{ type: 'text', text: 'This flow has no parameters.' }],
    ),
    section('Artifacts', artifactViews(task, deadline)),
    section('Graph', [
      {
        type: 'graph',
        highlight: task.step,
        steps: Object.entries(task.graph).map(([name, s]) => ({ name, kind: s.kind, targets: s.targets })),
      },
    ]),
    section('Logs', [
      { type: 'log', title: 'stdout (last lines)', text: tail(task.stdout) },
      ...(task.stderr.trim() ? [{ type: 'log' as const, title: 'stderr (last lines)', text: tail(task.stderr) }] : []),
    ]),
  ];
}

function section(title: string, components: ComponentData[]): ComponentData {
  return { type: 'section', title, components };
}

function timing(task: TaskFacts): ComponentData {
  const rows: Array<[string, string]> = [
    ['task', task.pathspec],
    ['status', task.status],
    ['attempt', String(task.attempt)],
    ['started', task.startedAt],
  ];
  if (task.finishedAt) {
    rows.push(['finished', task.finishedAt]);
    rows.push(['duration', `${((Date.parse(task.finishedAt) - Date.parse(task.startedAt)) / 1000).toFixed(3)} s`]);
  }
  if (task.exception) rows.push(['error', `${task.exception.type}: ${task.exception.message}`]);
  return componentData(new Table(rows, { headers: ['', ''] }));
}

function artifactViews(task: TaskFacts, deadline: number): ComponentData[] {
  if (!task.artifacts.length)
    return [{ type: 'text', text: task.status === 'failed' ? 'The task failed before storing artifacts.' : 'This task has no artifacts.' }];
  const out: ComponentData[] = [];
  for (const { name, info, load } of task.artifacts) {
    if (Date.now() > deadline) {
      out.push({
        type: 'error',
        title: 'Card timeout',
        message: `the card's time ran out before artifact '${name}'; the remaining artifacts are not shown (raise @card({ timeout }))`,
      });
      break;
    }
    out.push(artifactView(name, info, load));
  }
  return out;
}

function artifactView(name: string, info: ArtifactInfo, load: () => unknown): ComponentData {
  const title = `${name} (${info.type})`;
  if (info.size > MAX_SHOWN_ARTIFACT_BYTES)
    return { type: 'artifact', name: title, text: `${info.preview}\n(${info.size} bytes: too large to show in full)` };
  let value: unknown;
  try {
    value = load();
  } catch (e) {
    return { type: 'error', title: `Artifact '${name}'`, message: `could not be loaded: ${(e as Error).message}` };
  }
  if (isNumberSeries(value)) {
    const shown = value.slice(0, MAX_CHART_POINTS);
    return section(title, [
      componentData(new LineChart({ y: shown, xLabel: 'index', yLabel: name })),
      { type: 'text', text: summary(value) },
    ]);
  }
  if (isRowsOfFlatObjects(value)) {
    const table = componentData(Table.fromObjects(value.slice(0, MAX_TABLE_ROWS)));
    const more: ComponentData[] =
      value.length > MAX_TABLE_ROWS ? [{ type: 'text', text: `first ${MAX_TABLE_ROWS} of ${value.length} rows` }] : [];
    return section(title, [table, ...more]);
  }
  return componentData(new Artifact(value, { name: title }));
}

function isNumberSeries(value: unknown): value is number[] {
  return Array.isArray(value) && value.length >= 2 && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}

function isRowsOfFlatObjects(value: unknown): value is Array<Record<string, unknown>> {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (row) =>
        typeof row === 'object' &&
        row !== null &&
        Object.getPrototypeOf(row) === Object.prototype &&
        Object.values(row).every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v)),
    )
  );
}

function summary(values: number[]): string {
  let min = Infinity,
    max = -Infinity,
    sum = 0;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  const shown = values.length > MAX_CHART_POINTS ? ` (chart: first ${MAX_CHART_POINTS})` : '';
  return `${values.length} numbers${shown}: min ${min}, max ${max}, mean ${+(sum / values.length).toPrecision(6)}, last ${values[values.length - 1]}`;
}

function tail(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return lines.length > LOG_TAIL_LINES ? lines.slice(-LOG_TAIL_LINES).join('\n') : text.replace(/\n$/, '');
}

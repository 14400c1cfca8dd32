// Renderers of the flow graph: JSON (the webview and `flowspec graph`), Graphviz dot, Mermaid,
// and the `flowspec show` text. Pure functions of the model.
import type { FlowModel, GraphEdge, StepKind } from '../model/flowModel';
import { foreachLabel, graphEdges, stepOrder } from './graph';

export interface GraphJson {
  name: string;
  nodes: Array<{ name: string; kind: StepKind; doc: string | null; line: number }>;
  edges: GraphEdge[];
  parameters: Array<{ name: string; type: string; default?: unknown; required: boolean; help?: string }>;
}

/** The graph as plain data; `line` is 1-based. Nodes in `stepOrder`. */
export function graphJson(flow: FlowModel): GraphJson {
  const byName = new Map(flow.steps.map((s) => [s.name, s]));
  return {
    name: flow.name,
    nodes: stepOrder(flow).map((n) => {
      const s = byName.get(n)!;
      return { name: s.name, kind: s.kind, doc: s.doc ?? null, line: s.range.start.line + 1 };
    }),
    edges: graphEdges(flow),
    parameters: flow.parameters.map((p) => ({
      name: p.name,
      type: p.type,
      ...(p.default !== undefined ? { default: p.default } : {}),
      required: p.required,
      ...(p.help !== undefined ? { help: p.help } : {}),
    })),
  };
}

const q = (s: string) => JSON.stringify(s);

const DOT_SHAPE: Record<StepKind, string> = {
  start: 'oval',
  end: 'oval',
  linear: 'box',
  split: 'box',
  foreach: 'box',
  switch: 'diamond',
  join: 'box',
};

/** Graphviz dot, one `digraph` per flow. */
export function renderDot(flow: FlowModel): string {
  const lines = [`digraph ${q(flow.name)} {`, '  rankdir=TB;', '  node [shape=box, style=rounded, fontname="Helvetica"];'];
  const byName = new Map(flow.steps.map((s) => [s.name, s]));
  for (const n of stepOrder(flow)) {
    const s = byName.get(n)!;
    lines.push(`  ${q(n)} [label=${q(n)}, shape=${DOT_SHAPE[s.kind]}];`);
  }
  for (const e of graphEdges(flow)) {
    const attrs: string[] = [];
    if (e.kind === 'foreach') attrs.push('style=bold', `label=${q(e.label ? `foreach ${e.label}` : 'foreach')}`);
    else if (e.kind === 'switch') attrs.push('style=dashed', `label=${q(e.label ?? '')}`);
    lines.push(`  ${q(e.from)} -> ${q(e.to)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

const MERMAID_SHAPE: Record<StepKind, [string, string]> = {
  start: ['([', '])'],
  end: ['([', '])'],
  linear: ['[', ']'],
  split: ['[', ']'],
  foreach: ['[[', ']]'],
  switch: ['{', '}'],
  join: ['[/', '\\]'],
};

/** Mermaid flowchart text. Node ids are prefixed: `end` is a Mermaid keyword. */
export function renderMermaid(flow: FlowModel): string {
  const id = (n: string) => 'step_' + n.replace(/[^A-Za-z0-9_]/g, '_');
  const label = (s: string) => `"${s.replace(/"/g, '#quot;')}"`;
  const byName = new Map(flow.steps.map((s) => [s.name, s]));
  const lines = ['flowchart TD'];
  for (const n of stepOrder(flow)) {
    const [open, close] = MERMAID_SHAPE[byName.get(n)!.kind];
    lines.push(`  ${id(n)}${open}${label(n)}${close}`);
  }
  for (const e of graphEdges(flow)) {
    if (e.kind === 'foreach') lines.push(`  ${id(e.from)} ==>|${label(e.label ? `foreach ${e.label}` : 'foreach')}| ${id(e.to)}`);
    else if (e.kind === 'switch') lines.push(`  ${id(e.from)} -.->|${label(e.label ?? '')}| ${id(e.to)}`);
    else lines.push(`  ${id(e.from)} --> ${id(e.to)}`);
  }
  return lines.join('\n') + '\n';
}

/** `flowspec show`: the steps in order with their docs and transitions, in Metaflow's style. */
export function renderShow(flow: FlowModel): string {
  const byName = new Map(flow.steps.map((s) => [s.name, s]));
  const out: string[] = [];
  if (flow.doc) out.push(flow.doc, '');
  for (const n of stepOrder(flow)) {
    const s = byName.get(n)!;
    out.push(`Step ${s.name}`);
    if (s.doc) for (const l of s.doc.split('\n')) out.push(`    ${l}`.trimEnd());
    const t = s.transition;
    if (t) {
      if (t.kind === 'switch' && t.cases) {
        const cases = Object.entries(t.cases)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ');
        out.push(`    => ${cases}${t.condition ? ` (switch on ${t.condition})` : ''}`);
      } else if (t.kind === 'foreach') {
        out.push(`    => ${t.targets.join(', ')}${foreachLabel(t) ? ` (foreach ${foreachLabel(t)})` : ''}`);
      } else {
        out.push(`    => ${t.targets.join(', ')}`);
      }
    }
    out.push('');
  }
  return out.join('\n');
}

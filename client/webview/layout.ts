// Lays a flow graph out with dagre. Pure (runs in the webview and in unit tests under Node).
import dagre from '@dagrejs/dagre';
import type { GraphData } from '../graph/graphData';

export interface NodeBox {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface EdgePath {
  from: string;
  to: string;
  kind: string;
  label?: string;
  points: Array<{ x: number; y: number }>;
  labelAt?: { x: number; y: number };
}
export interface Layout {
  nodes: NodeBox[];
  edges: EdgePath[];
  width: number;
  height: number;
}

export const NODE_HEIGHT = 46;
const MIN_WIDTH = 96;
const PAD_X = 28;

/** Text width in pixels; the webview measures with a canvas, tests use the default estimate. */
export type Measure = (text: string, font: 'label' | 'detail') => number;
const estimate: Measure = (text, font) => text.length * (font === 'label' ? 7.8 : 6.6);

export function nodeWidth(step: GraphData['steps'][number], measure: Measure = estimate): number {
  const second = step.detail ?? step.kind;
  return Math.ceil(Math.max(MIN_WIDTH, measure(step.name, 'label') + PAD_X, measure(second, 'detail') + PAD_X));
}

export function edgeLabel(e: GraphData['edges'][number]): string | undefined {
  if (e.label) return e.label;
  return undefined;
}

export function layoutGraph(data: Pick<GraphData, 'steps' | 'edges' | 'direction'>, measure: Measure = estimate): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: data.direction, nodesep: 28, ranksep: 44, edgesep: 14, marginx: 24, marginy: 24 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const s of data.steps) g.setNode(s.name, { width: nodeWidth(s, measure), height: NODE_HEIGHT });
  data.edges.forEach((e, i) => {
    const label = edgeLabel(e);
    const size = label ? { width: measure(label, 'detail') + 8, height: 16, labelpos: 'c' as const } : {};
    // A step that never reaches anything is still drawn; edges to unknown steps were dropped before.
    if (g.hasNode(e.from) && g.hasNode(e.to)) g.setEdge(e.from, e.to, { ...size, minlen: 1 }, `e${i}`);
  });
  dagre.layout(g);
  const nodes = data.steps.map((s): NodeBox => {
    const n = g.node(s.name);
    return { name: s.name, x: n.x ?? 0, y: n.y ?? 0, width: n.width, height: n.height };
  });
  const edges: EdgePath[] = [];
  data.edges.forEach((e, i) => {
    const ed = g.edge({ v: e.from, w: e.to, name: `e${i}` });
    if (!ed) return;
    edges.push({
      from: e.from,
      to: e.to,
      kind: e.kind,
      label: edgeLabel(e),
      points: ed.points ?? [],
      labelAt: ed.x !== undefined && ed.y !== undefined && edgeLabel(e) ? { x: ed.x, y: ed.y } : undefined,
    });
  });
  const gl = g.graph();
  return { nodes, edges, width: gl.width ?? 0, height: gl.height ?? 0 };
}

/** An SVG path through dagre's points, smoothed with quadratic curves at the bends. */
export function pathData(points: Array<{ x: number; y: number }>): string {
  if (!points.length) return '';
  const f = (n: number) => Math.round(n * 10) / 10;
  let d = `M${f(points[0].x)},${f(points[0].y)}`;
  if (points.length === 2) return d + ` L${f(points[1].x)},${f(points[1].y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i];
    const n = points[i + 1];
    const mx = (p.x + n.x) / 2;
    const my = (p.y + n.y) / 2;
    d += ` Q${f(p.x)},${f(p.y)} ${i === points.length - 2 ? `${f(n.x)},${f(n.y)}` : `${f(mx)},${f(my)}`}`;
  }
  return d;
}

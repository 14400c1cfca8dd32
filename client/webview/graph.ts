/// <reference lib="dom" />
// The graph preview's webview script (bundled as a browser IIFE to dist/webview/graph.js).
// Receives plain data (GraphData) from the extension, lays it out with dagre and draws SVG with
// pan (drag), zoom (wheel, buttons) and fit; clicking a node asks the extension to reveal the step.
import type { FromWebview, GraphData, StepStatus, ToWebview } from '../graph/graphData';
import { Layout, NODE_HEIGHT, layoutGraph, pathData } from './layout';

declare function acquireVsCodeApi(): { postMessage(m: FromWebview): void; getState(): unknown; setState(s: unknown): void };
const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';

interface View {
  x: number;
  y: number;
  k: number;
}
interface State {
  flow?: string;
  view?: View;
}

const $ = <T extends Element>(id: string) => document.getElementById(id) as unknown as T;
const svg = $<SVGSVGElement>('svg');
const viewport = $<SVGGElement>('viewport');
const canvas = $<HTMLDivElement>('canvas');
let state: State = (vscode.getState() as State) ?? {};
let view: View = state.view ?? { x: 0, y: 0, k: 1 };
let current: { data: GraphData; layout: Layout } | undefined;

function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  parent?: Element,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
}
function html<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string, parent?: Element): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  parent?.appendChild(e);
  return e;
}

// Text measuring with the editor's font, so boxes fit their labels.
const ctx = document.createElement('canvas').getContext('2d');
const fontFamily = getComputedStyle(document.body).getPropertyValue('--vscode-font-family') || 'sans-serif';
function measure(text: string, font: 'label' | 'detail'): number {
  if (!ctx) return text.length * (font === 'label' ? 7.8 : 6.6);
  ctx.font = font === 'label' ? `600 13px ${fontFamily}` : `11px ${fontFamily}`;
  return ctx.measureText(text).width;
}

function applyView(): void {
  viewport.setAttribute('transform', `translate(${view.x},${view.y}) scale(${view.k})`);
  $<HTMLSpanElement>('zoom').textContent = `${Math.round(view.k * 100)}%`;
  state = { ...state, view };
  vscode.setState(state);
}

function fit(): void {
  if (!current) return;
  const { width, height } = current.layout;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (!width || !height || !w || !h) return;
  const k = Math.min(1.25, w / width, h / height);
  if (k >= 0.55) {
    view = { k, x: (w - width * k) / 2, y: (h - height * k) / 2 };
  } else {
    // Too big to read when fitted (hundreds of steps): start readable, at the start step.
    const k2 = 0.8;
    const start = current.layout.nodes.find((n) => n.name === 'start') ?? current.layout.nodes[0];
    view =
      current.data.direction === 'LR'
        ? { k: k2, x: 24, y: h / 2 - (start?.y ?? 0) * k2 }
        : { k: k2, x: w / 2 - (start?.x ?? 0) * k2, y: 24 };
  }
  applyView();
}

function zoomAt(factor: number, cx: number, cy: number): void {
  const k = Math.max(0.1, Math.min(3, view.k * factor));
  const f = k / view.k;
  view = { k, x: cx - (cx - view.x) * f, y: cy - (cy - view.y) * f };
  applyView();
}

const STATUS_TEXT: Record<StepStatus, string> = {
  success: 'succeeded',
  failed: 'failed',
  running: 'running',
  pending: 'not run yet',
  skipped: 'not run',
};

function render(data: GraphData): void {
  const layout = layoutGraph(data, measure);
  const firstOfFlow = state.flow !== data.flow || !current;
  current = { data, layout };
  document.body.classList.toggle('stale', !!data.stale);
  $<HTMLElement>('title').textContent = data.flow;
  $<HTMLElement>('file').textContent = data.file;
  renderRun(data);
  renderProblems(data);

  while (viewport.firstChild) viewport.removeChild(viewport.firstChild);
  const edges = el('g', { class: 'edges' }, viewport);
  const nodes = el('g', { class: 'nodes' }, viewport);
  for (const e of layout.edges) {
    const g = el('g', { class: `edge kind-${e.kind}`, 'data-from': e.from, 'data-to': e.to }, edges);
    el('path', { d: pathData(e.points), 'marker-end': 'url(#arrow)' }, g);
    if (e.label && e.labelAt) {
      const t = el('text', { x: e.labelAt.x, y: e.labelAt.y + 4, 'text-anchor': 'middle', class: 'edge-label' }, g);
      t.textContent = e.label;
    }
  }
  const byStep = new Map<string, typeof data.diagnostics>();
  for (const d of data.diagnostics) if (d.step) byStep.set(d.step, [...(byStep.get(d.step) ?? []), d]);
  for (const n of layout.nodes) {
    const step = data.steps.find((s) => s.name === n.name)!;
    const status: StepStatus | undefined = data.run
      ? (data.run.steps[n.name] ?? (data.run.status === 'running' ? 'pending' : 'skipped'))
      : undefined;
    const diags = byStep.get(n.name) ?? [];
    const worst = diags.some((d) => d.severity === 'error') ? 'error' : diags.length ? 'warning' : '';
    const spun = data.spin?.step === n.name ? data.spin : undefined;
    const g = el(
      'g',
      {
        class: ['node', `kind-${step.kind}`, status ? `status-${status}` : '', worst ? `has-${worst}` : '', spun ? 'spun' : '']
          .filter(Boolean)
          .join(' '),
        transform: `translate(${n.x - n.width / 2},${n.y - n.height / 2})`,
        'data-step': n.name,
        tabindex: 0,
        role: 'button',
        'aria-label': `${n.name}, ${step.kind}${status ? `, ${STATUS_TEXT[status]}` : ''}${diags.length ? `, ${diags.length} problem(s)` : ''}`,
      },
      nodes,
    );
    el('rect', { class: 'box', width: n.width, height: n.height, rx: 8, ry: 8 }, g);
    el('rect', { class: 'stripe', width: 5, height: n.height - 2, x: 1, y: 1, rx: 2 }, g);
    const label = el('text', { class: 'label', x: n.width / 2, y: 20, 'text-anchor': 'middle' }, g);
    label.textContent = n.name;
    const detail = el('text', { class: 'detail', x: n.width / 2, y: 36, 'text-anchor': 'middle' }, g);
    const count = data.run?.taskCounts[n.name];
    detail.textContent =
      (step.detail ?? step.kind) +
      (count && count > 1 ? ` · ${count} tasks` : '') +
      (step.decorators.length ? ` · @${step.decorators.join(' @')}` : '');
    if (data.run?.cards?.[n.name]) {
      // Opens the step's card (a running task's, live); see the pointerup handler.
      const b = el(
        'g',
        {
          class: 'card-badge',
          transform: `translate(${n.width - 40},${n.height - 9})`,
          role: 'button',
          'aria-label': `open the card of ${n.name}`,
        },
        g,
      );
      el('rect', { width: 34, height: 15, rx: 7 }, b);
      const t = el('text', { x: 17, y: 11, 'text-anchor': 'middle' }, b);
      t.textContent = 'card';
    }
    if (spun) {
      // The step spun last: a tag on the node's top edge with how its artifacts changed.
      const b = el('g', { class: `spin-badge${spun.successful ? '' : ' failed'}`, transform: 'translate(10,-8)' }, g);
      const text = `spun ${spun.spinId}: ${spun.successful ? (spun.changed ? `${spun.changed} changed` : 'no change') : 'failed'}`;
      el('rect', { width: text.length * 6 + 10, height: 15, rx: 7 }, b);
      const t = el('text', { x: 5, y: 11 }, b);
      t.textContent = text;
    }
    if (worst) {
      const b = el('g', { class: `badge ${worst}`, transform: `translate(${n.width - 4},4)` }, g);
      el('circle', { r: 9 }, b);
      const t = el('text', { 'text-anchor': 'middle', y: 4 }, b);
      t.textContent = diags.length > 1 ? String(diags.length) : '!';
    }
    const title = el('title', {}, g);
    title.textContent = [
      `${n.name} (${step.kind})${status ? ` — ${STATUS_TEXT[status]}` : ''}`,
      spun ? `spun as ${spun.spinId}${spun.successful ? `: ${spun.changed} artifact(s) changed` : ': failed'}` : undefined,
      step.doc,
      ...diags.map((d) => `${d.severity}: ${d.message} [${d.code}]`),
    ]
      .filter(Boolean)
      .join('\n');
  }
  $<HTMLElement>('empty').hidden = data.steps.length > 0;
  if (firstOfFlow) {
    state = { ...state, flow: data.flow };
    fit();
  } else applyView();
}

function renderRun(data: GraphData): void {
  const run = $<HTMLElement>('run');
  run.className = data.run ? `run run-${data.run.status}` : 'run';
  run.textContent = data.run
    ? `latest run ${data.run.id}: ${data.run.status === 'success' ? 'succeeded' : data.run.status}`
    : 'no runs yet';
}

function renderProblems(data: GraphData): void {
  const box = $<HTMLElement>('problems');
  box.textContent = '';
  const stale = data.stale
    ? html('div', 'problem stale-note', `${data.flow} is no longer in ${data.file}: showing its last graph`, box)
    : undefined;
  void stale;
  // Problems not attached to a step are listed here; the others are on their nodes (and listed too).
  for (const d of data.diagnostics) {
    const row = html('div', `problem ${d.severity}`, undefined, box);
    html('span', `icon ${d.severity}`, d.severity === 'information' ? 'i' : '!', row);
    html('span', 'msg', d.message, row);
    html('span', 'where', `${d.step ? d.step + ' · ' : ''}line ${d.line + 1} · ${d.code}`, row);
    row.tabIndex = 0;
    row.addEventListener('click', () => vscode.postMessage({ type: 'revealLine', line: d.line }));
  }
}

// Pan by dragging the background; a press on a node that does not move is a click.
let drag: { x: number; y: number; vx: number; vy: number; moved: boolean; node?: string; card?: boolean } | undefined;
svg.addEventListener('pointerdown', (e) => {
  const node = (e.target as Element).closest('.node')?.getAttribute('data-step') ?? undefined;
  const card = (e.target as Element).closest('.card-badge') !== null;
  drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false, node, card };
  svg.setPointerCapture(e.pointerId);
});
svg.addEventListener('pointermove', (e) => {
  if (!drag) return;
  const dx = e.clientX - drag.x;
  const dy = e.clientY - drag.y;
  if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
  if (drag.moved) {
    view = { ...view, x: drag.vx + dx, y: drag.vy + dy };
    applyView();
    svg.classList.add('panning');
  }
});
svg.addEventListener('pointerup', () => {
  if (drag && !drag.moved && drag.node)
    vscode.postMessage(drag.card ? { type: 'openCard', step: drag.node } : { type: 'reveal', step: drag.node });
  drag = undefined;
  svg.classList.remove('panning');
});
svg.addEventListener('keydown', (e) => {
  const node = (e.target as Element).closest?.('.node')?.getAttribute('data-step');
  if (node && (e.key === 'Enter' || e.key === ' ')) {
    e.preventDefault();
    vscode.postMessage({ type: 'reveal', step: node });
  }
});
svg.addEventListener(
  'wheel',
  (e) => {
    e.preventDefault();
    const r = svg.getBoundingClientRect();
    // Ctrl/Cmd + wheel (and a trackpad pinch, which reports ctrlKey) zooms at the pointer; the wheel
    // alone scrolls, like any long document (Shift + wheel scrolls sideways).
    if (e.ctrlKey || e.metaKey) zoomAt(Math.exp(-e.deltaY / 300), e.clientX - r.left, e.clientY - r.top);
    else if (e.shiftKey) {
      view = { ...view, x: view.x - (e.deltaX || e.deltaY) };
      applyView();
    } else {
      view = { ...view, x: view.x - e.deltaX, y: view.y - e.deltaY };
      applyView();
    }
  },
  { passive: false },
);

$<HTMLButtonElement>('fit').addEventListener('click', fit);
$<HTMLButtonElement>('zoomIn').addEventListener('click', () => zoomAt(1.25, canvas.clientWidth / 2, canvas.clientHeight / 2));
$<HTMLButtonElement>('zoomOut').addEventListener('click', () => zoomAt(0.8, canvas.clientWidth / 2, canvas.clientHeight / 2));
$<HTMLButtonElement>('direction').addEventListener('click', () => {
  const direction = current?.data.direction === 'LR' ? 'TB' : 'LR';
  state = { ...state, flow: undefined }; // re-fit after the turn
  vscode.postMessage({ type: 'direction', direction });
});
$<HTMLButtonElement>('runFlow').addEventListener('click', () => vscode.postMessage({ type: 'run' }));
window.addEventListener('resize', () => {
  if (current && state.view === undefined) fit();
});

window.addEventListener('message', (e: MessageEvent<ToWebview>) => {
  if (e.data?.type === 'graph') render(e.data.data);
});
void NODE_HEIGHT;
vscode.postMessage({ type: 'ready' });

/// <reference lib="dom" />
// Card data → DOM. Markdown goes through markdown-it with raw HTML off (so text can never become
// markup or script); charts through Vega-Embed with Vega's expression interpreter, which needs no
// eval and so runs under a CSP without 'unsafe-eval'. Nothing here reaches the network.
import MarkdownIt from 'markdown-it';
import embed from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import type { CardData, ComponentData, GraphStep } from '../data';

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: true });

export function renderCard(root: HTMLElement, card: CardData): void {
  document.title = card.title;
  const parts: Node[] = [element('h1', 'fs-title', card.title), element('p', 'fs-status', '')];
  const status = parts[1] as HTMLElement;
  status.append(
    card.status === 'running' ? element('span', 'running', 'running · ') : '',
    `updated ${new Date(card.updatedAt).toLocaleString()}`,
  );
  for (const c of card.components) parts.push(component(c));
  root.replaceChildren(...parts);
}

function component(c: ComponentData): HTMLElement {
  const box = element('div', `fs-component fs-c-${c.type}`);
  try {
    fill(box, c);
  } catch (e) {
    box.replaceChildren(errorBox('This component could not be shown', (e as Error).message));
  }
  return box;
}

function fill(box: HTMLElement, c: ComponentData): void {
  switch (c.type) {
    case 'markdown':
      box.innerHTML = markdown.render(c.text);
      return;
    case 'text':
      box.textContent = c.text;
      return;
    case 'artifact':
      if (c.name) box.append(element('div', 'fs-label', c.name));
      box.append(element('pre', 'fs-pre', c.text));
      return;
    case 'log':
      box.append(element('div', 'fs-label', c.title), element('pre', 'fs-pre', c.text || '(empty)'));
      return;
    case 'error':
      box.append(errorBox(c.title, c.message));
      return;
    case 'table':
      box.append(table(c));
      return;
    case 'image': {
      const figure = element('figure', 'fs-image');
      const img = document.createElement('img');
      img.src = `data:${c.mime};base64,${c.base64}`;
      img.alt = c.label ?? 'image';
      figure.append(img);
      if (c.label) figure.append(element('figcaption', '', c.label));
      box.append(figure);
      return;
    }
    case 'vega':
      chart(box, c.spec);
      return;
    case 'progress': {
      const bar = document.createElement('progress');
      bar.max = c.max;
      bar.value = c.value;
      const percent = c.max ? Math.round((100 * c.value) / c.max) : 0;
      box.append(bar, element('span', '', `${c.label ? `${c.label}: ` : ''}${c.value} / ${c.max} (${percent}%)`));
      return;
    }
    case 'section':
      box.append(element('h2', '', c.title), ...c.components.map(component));
      return;
    case 'graph':
      box.append(graph(c.steps, c.highlight));
      return;
    default:
      box.append(errorBox('Unknown component', `this viewer does not know components of type '${(c as { type: string }).type}'`));
  }
}

function table(c: Extract<ComponentData, { type: 'table' }>): HTMLElement {
  const t = element('table', 'fs-table');
  if (c.headers?.some((h) => h !== '')) {
    const row = element('tr');
    for (const h of c.headers) row.append(element('th', '', h));
    t.append(element('thead', '', undefined, row));
  }
  const body = element('tbody');
  for (const cells of c.rows) {
    const row = element('tr');
    for (const cell of cells) {
      const td = element('td');
      if (cell.type === 'text') td.textContent = cell.text;
      else td.append(component(cell));
      row.append(td);
    }
    body.append(row);
  }
  t.append(body);
  return t;
}

function chart(box: HTMLElement, spec: Record<string, unknown>): void {
  const target = element('div', 'fs-vega');
  box.append(target);
  const style = getComputedStyle(document.body);
  const ink = style.color;
  const config = {
    background: null,
    view: { stroke: null },
    axis: { labelColor: ink, titleColor: ink, domainColor: ink, tickColor: ink, gridColor: ink, gridOpacity: 0.15 },
    legend: { labelColor: ink, titleColor: ink },
    title: { color: ink },
  };
  embed(target, { ...spec, config: { ...config, ...(spec.config as object | undefined) } } as never, {
    actions: false,
    renderer: 'svg',
    ast: true,
    expr: expressionInterpreter,
  }).catch((e: Error) => box.replaceChildren(errorBox('The chart could not be drawn', e.message)));
}

const SVG = 'http://www.w3.org/2000/svg';
const BOX_W = 120,
  BOX_H = 28,
  GAP_X = 24,
  GAP_Y = 36;

/** The flow's steps by depth from `start` (longest path, loops ignored), one row per depth. */
function graph(steps: GraphStep[], highlight: string): Element {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const depth = new Map<string, number>([['start', 0]]);
  const order: string[] = ['start'];
  for (let i = 0; i < order.length; i++) {
    const from = order[i];
    for (const to of byName.get(from)?.targets ?? []) {
      const d = depth.get(from)! + 1;
      if (depth.has(to) && depth.get(to)! >= d) continue;
      if (d > steps.length) continue; // a loop: stop deepening
      depth.set(to, d);
      order.push(to);
    }
  }
  for (const s of steps) if (!depth.has(s.name)) depth.set(s.name, 0);
  const rows = new Map<number, string[]>();
  for (const s of steps) rows.set(depth.get(s.name)!, [...(rows.get(depth.get(s.name)!) ?? []), s.name]);
  const widest = Math.max(1, ...[...rows.values()].map((r) => r.length));
  const width = widest * (BOX_W + GAP_X);
  const pos = new Map<string, { x: number; y: number }>();
  for (const [d, names] of rows) {
    const rowWidth = names.length * (BOX_W + GAP_X);
    names.forEach((name, i) => pos.set(name, { x: (width - rowWidth) / 2 + i * (BOX_W + GAP_X) + GAP_X / 2, y: d * (BOX_H + GAP_Y) + 4 }));
  }
  const height = (Math.max(0, ...rows.keys()) + 1) * (BOX_H + GAP_Y);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `the flow's graph, step ${highlight} highlighted`);
  for (const s of steps) {
    for (const t of s.targets) {
      const a = pos.get(s.name),
        b = pos.get(t);
      if (!a || !b) continue;
      svg.append(svgElement('line', { x1: a.x + BOX_W / 2, y1: a.y + BOX_H, x2: b.x + BOX_W / 2, y2: b.y }));
    }
  }
  for (const s of steps) {
    const p = pos.get(s.name)!;
    const g = svgElement('g', { class: s.name === highlight ? 'here' : '' });
    g.append(svgElement('rect', { x: p.x, y: p.y, width: BOX_W, height: BOX_H, rx: 5 }));
    const label = svgElement('text', { x: p.x + BOX_W / 2, y: p.y + BOX_H / 2 + 4, 'text-anchor': 'middle' });
    label.textContent = s.name.length > 16 ? `${s.name.slice(0, 15)}…` : s.name;
    g.append(label);
    svg.append(g);
  }
  return svg;
}

function svgElement(tag: string, attrs: Record<string, string | number>): SVGElement {
  const e = document.createElementNS(SVG, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function errorBox(title: string, message: string): HTMLElement {
  const box = element('div', 'fs-error');
  box.append(element('b', '', title), element('span', '', message));
  return box;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, cls = '', text?: string, ...children: Node[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  e.append(...children);
  return e;
}

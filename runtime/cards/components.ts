// Card components (`import { Markdown, Table, ... } from 'flowspec/cards'`). Each one turns into
// plain data (data.ts) when the card is stored, so a component changed after it was appended
// (ProgressBar.update, LineChart.add) shows its latest state at the next refresh.
// A component that cannot be turned into data becomes an error block on the card: card problems
// never fail the task (as in Metaflow).
import { inspect } from 'node:util';
import type { ComponentData } from './data';

const COMPONENT = Symbol.for('flowspec.cardComponent');

/** Largest image a card holds; a larger one is replaced by a message (cards must stay openable). */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

export abstract class CardComponent {
  readonly [COMPONENT] = true;
  /** The component's name in messages (class names do not survive bundling). */
  abstract readonly kind: string;
  /** The component as plain data, as it is now. */
  abstract toData(): ComponentData;
  /**
   * Changes what the component shows (`current.card.components[id].update(...)`, then `refresh()`);
   * components that can be updated say how. As Metaflow's components, the others throw.
   */
  update(..._args: any[]): void {
    throw new Error(`a ${this.kind} cannot be updated: replace it (current.card.components[id] = new ${this.kind}(...))`);
  }
}

/** True for any card component, also one made by another copy of this module. */
export function isCardComponent(value: unknown): value is CardComponent {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[COMPONENT] === true;
}

/** The component's data, or an error block saying why there is none. */
export function componentData(value: unknown, where = 'a card component'): ComponentData {
  if (!isCardComponent(value)) {
    return {
      type: 'error',
      title: 'Unknown component',
      message: `${where} is ${describe(value)}, not a card component: use Markdown, Table, Image, VegaChart, LineChart, BarChart, ProgressBar, Artifact or Error from 'flowspec/cards'`,
    };
  }
  try {
    return value.toData();
  } catch (e) {
    return { type: 'error', title: `${value.kind} could not be shown`, message: e instanceof globalThis.Error ? e.message : String(e) };
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  return `a ${typeof value}`;
}

/** Markdown text (CommonMark; raw HTML in it is shown as text, never run). */
export class Markdown extends CardComponent {
  readonly kind = 'Markdown';
  constructor(public text: string) {
    super();
  }
  update(text: string): void {
    this.text = text;
  }
  toData(): ComponentData {
    return { type: 'markdown', text: String(this.text) };
  }
}

export interface TableOptions {
  headers?: string[];
}

/** Rows of cells; a cell is a plain value (shown as text) or another component. */
export class Table extends CardComponent {
  readonly kind = 'Table';
  constructor(
    public rows: unknown[][] = [],
    public options: TableOptions = {},
  ) {
    super();
  }

  /** A table of objects: one column per key (of the first objects), one row per object. */
  static fromObjects(objects: Array<Record<string, unknown>>): Table {
    const headers = [...new Set(objects.flatMap((o) => Object.keys(o)))];
    return new Table(
      objects.map((o) => headers.map((h) => o[h])),
      { headers },
    );
  }

  addRow(row: unknown[]): void {
    this.rows.push(row);
  }

  toData(): ComponentData {
    const headers = this.options.headers?.map(String);
    const rows = this.rows.map((row, r) =>
      (Array.isArray(row) ? row : [row]).map((cell, c) =>
        cellData(cell, `cell [row ${r}, ${headers?.[c] !== undefined ? `column '${headers[c]}'` : `column ${c}`}]`),
      ),
    );
    return { type: 'table', headers, rows };
  }
}

function cellData(cell: unknown, where: string): ComponentData {
  if (isCardComponent(cell)) return componentData(cell, where);
  if (cell === null || cell === undefined) return { type: 'text', text: '' };
  if (typeof cell === 'string') return { type: 'text', text: cell };
  if (typeof cell === 'number' || typeof cell === 'boolean' || typeof cell === 'bigint') return { type: 'text', text: String(cell) };
  if (cell instanceof Date) return { type: 'text', text: cell.toISOString() };
  if (typeof cell === 'function' || typeof cell === 'symbol') {
    return {
      type: 'error',
      title: 'Not serializable',
      message: `${where} is a ${typeof cell}: a table cell must be a plain value or a card component`,
    };
  }
  try {
    return { type: 'text', text: JSON.stringify(cell) };
  } catch (e) {
    return { type: 'error', title: 'Not serializable', message: `${where} cannot be shown: ${(e as Error).message}` };
  }
}

export interface ImageOptions {
  label?: string;
  mime?: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'image/svg+xml';
}

/** PNG, JPEG, GIF, WebP or SVG bytes (a Buffer, Uint8Array or ArrayBuffer). */
export class Image extends CardComponent {
  readonly kind = 'Image';
  private readonly bytes: Buffer;

  constructor(
    bytes: Buffer | Uint8Array | ArrayBuffer,
    public options: ImageOptions = {},
  ) {
    super();
    this.bytes = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes);
  }

  /** An SVG document given as text. */
  static fromSvg(svg: string, options: Omit<ImageOptions, 'mime'> = {}): Image {
    return new Image(Buffer.from(svg, 'utf8'), { ...options, mime: 'image/svg+xml' });
  }

  /**
   * A canvas of node-canvas, @napi-rs/canvas or skia-canvas (anything with `toBuffer('image/png')`),
   * or one with `toDataURL()`.
   */
  static fromCanvas(
    canvas: { toBuffer?: (mime: 'image/png') => Buffer; toDataURL?: (mime?: string) => string },
    options: Omit<ImageOptions, 'mime'> = {},
  ): Image {
    if (typeof canvas.toBuffer === 'function') return new Image(canvas.toBuffer('image/png'), { ...options, mime: 'image/png' });
    if (typeof canvas.toDataURL === 'function') {
      const m = /^data:(image\/[a-z+]+);base64,(.*)$/s.exec(canvas.toDataURL('image/png'));
      if (m) return new Image(Buffer.from(m[2], 'base64'), { ...options, mime: m[1] as ImageOptions['mime'] });
    }
    throw new TypeError('Image.fromCanvas needs a canvas with toBuffer() or toDataURL()');
  }

  toData(): ComponentData {
    if (this.bytes.length > MAX_IMAGE_BYTES) {
      throw new globalThis.Error(
        `the image is ${megabytes(this.bytes.length)}, more than a card holds (${megabytes(MAX_IMAGE_BYTES)}): make it smaller or store it as an artifact`,
      );
    }
    const mime = this.options.mime ?? sniffImageType(this.bytes);
    if (!mime) throw new globalThis.Error('the bytes are not a PNG, JPEG, GIF, WebP or SVG image');
    return { type: 'image', mime, base64: this.bytes.toString('base64'), label: this.options.label };
  }
}

function megabytes(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function sniffImageType(b: Buffer): string | undefined {
  if (b[0] === 0x89 && b.toString('latin1', 1, 4) === 'PNG') return 'image/png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.toString('latin1', 0, 4) === 'GIF8') return 'image/gif';
  if (b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/.test(b.toString('utf8', 0, 512))) return 'image/svg+xml';
  return undefined;
}

/** A Vega-Lite spec (https://vega.github.io/vega-lite/), rendered with Vega-Embed; data must be inline (`data.values`). */
export class VegaChart extends CardComponent {
  readonly kind = 'VegaChart';
  constructor(public spec: Record<string, unknown>) {
    super();
  }
  update(spec: Record<string, unknown>): void {
    this.spec = spec;
  }
  toData(): ComponentData {
    if (typeof this.spec !== 'object' || this.spec === null) throw new TypeError('a VegaChart needs a Vega-Lite spec object');
    const data = this.spec.data as { url?: unknown } | undefined;
    if (data && typeof data === 'object' && 'url' in data)
      throw new globalThis.Error('a card loads nothing remote: give the chart its data inline (data.values), not data.url');
    return { type: 'vega', spec: JSON.parse(JSON.stringify(this.spec)) };
  }
}

export interface LineChartOptions {
  x?: number[];
  y?: number[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
}

/** A line of y over x (x defaults to 0, 1, 2, ...); `add(x, y)` extends it, for live plots. */
export class LineChart extends CardComponent {
  readonly kind = 'LineChart';
  readonly x: number[];
  readonly y: number[];

  constructor(public options: LineChartOptions = {}) {
    super();
    this.y = [...(options.y ?? [])];
    this.x = options.x ? [...options.x] : this.y.map((_, i) => i);
  }

  add(x: number, y: number): void {
    this.x.push(x);
    this.y.push(y);
  }

  toData(): ComponentData {
    const { title, xLabel = 'x', yLabel = 'y' } = this.options;
    return new VegaChart({
      ...(title ? { title } : {}),
      width: 'container',
      data: { values: this.y.map((y, i) => ({ x: this.x[i], y })) },
      mark: { type: 'line', point: this.y.length <= 50 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: xLabel },
        y: { field: 'y', type: 'quantitative', title: yLabel },
      },
    }).toData();
  }
}

export interface BarChartOptions {
  labels: string[];
  values: number[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
}

/** One bar per label. */
export class BarChart extends CardComponent {
  readonly kind = 'BarChart';
  constructor(public options: BarChartOptions) {
    super();
  }
  toData(): ComponentData {
    const { labels, values, title, xLabel = '', yLabel = 'value' } = this.options;
    return new VegaChart({
      ...(title ? { title } : {}),
      width: 'container',
      data: { values: labels.map((label, i) => ({ label: String(label), value: values[i] })) },
      mark: 'bar',
      encoding: {
        x: { field: 'label', type: 'nominal', title: xLabel, sort: null },
        y: { field: 'value', type: 'quantitative', title: yLabel },
      },
    }).toData();
  }
}

export interface ProgressBarOptions {
  max?: number;
  value?: number;
  label?: string;
}

/** A bar from 0 to `max`; `update(value)` then `current.card.refresh()` moves it. */
export class ProgressBar extends CardComponent {
  readonly kind = 'ProgressBar';
  value: number;
  max: number;
  label?: string;

  constructor(options: ProgressBarOptions = {}) {
    super();
    this.max = options.max ?? 100;
    this.value = options.value ?? 0;
    this.label = options.label;
  }

  update(value: number, label?: string): void {
    this.value = value;
    if (label !== undefined) this.label = label;
  }

  toData(): ComponentData {
    return { type: 'progress', value: Number(this.value), max: Number(this.max), label: this.label };
  }
}

/** Any value, pretty-printed. */
export class Artifact extends CardComponent {
  readonly kind = 'Artifact';
  constructor(
    public value: unknown,
    public options: { name?: string } = {},
  ) {
    super();
  }
  toData(): ComponentData {
    return { type: 'artifact', name: this.options.name, text: prettyValue(this.value) };
  }
}

/** A value as a person reads it, bounded so a huge value cannot swell a card. */
export function prettyValue(value: unknown): string {
  const text = inspect(value, { depth: 4, maxArrayLength: 100, maxStringLength: 2000, breakLength: 100, sorted: false });
  return text.length > 20_000 ? `${text.slice(0, 20_000)}\n… (${text.length - 20_000} more characters)` : text;
}

/** An error block: a title and a message. Also exported as `Error`. */
export class ErrorComponent extends CardComponent {
  readonly kind = 'Error';
  constructor(
    public title: string,
    public message = '',
  ) {
    super();
  }
  toData(): ComponentData {
    return { type: 'error', title: String(this.title), message: String(this.message) };
  }
}

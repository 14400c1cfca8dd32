// The JSON form of a card: what the task stores next to the card's HTML, what the viewer renders
// (in a browser, in the card server and in the editor's webview) and what `task.cards` returns.
// Plain data only, so it crosses process and webview boundaries as it is.

export type ComponentData =
  | { type: 'markdown'; text: string }
  | { type: 'text'; text: string }
  | { type: 'table'; headers?: string[]; rows: ComponentData[][] }
  | { type: 'image'; mime: string; base64: string; label?: string }
  | { type: 'vega'; spec: Record<string, unknown> }
  | { type: 'progress'; value: number; max: number; label?: string }
  | { type: 'artifact'; name?: string; text: string }
  | { type: 'error'; title: string; message: string }
  | { type: 'section'; title: string; components: ComponentData[] }
  | { type: 'graph'; steps: GraphStep[]; highlight: string }
  | { type: 'log'; title: string; text: string };

export interface GraphStep {
  name: string;
  kind: string;
  targets: string[];
}

export const CARD_TYPES = ['default', 'blank'] as const;
export type CardType = (typeof CARD_TYPES)[number];

export interface CardData {
  format: 'flowspec-card/1';
  /** The `id` given to `@card({ id })`, if any. */
  id?: string;
  type: CardType;
  /** Position of the card's decorator on the step (0 for the first @card). */
  index: number;
  /** The task's pathspec, FLOW/RUN/STEP/TASK. */
  pathspec: string;
  title: string;
  /** `running` while the task may still refresh it; `final` once the task has ended. */
  status: 'running' | 'final';
  updatedAt: string;
  components: ComponentData[];
}

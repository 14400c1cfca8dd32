// `import { Markdown, Table, ... } from 'flowspec/cards'`: the card components a step appends
// (`current.card.append(...)`), and `getCards` to read the cards of past tasks.
import { Flow, NotFoundError, Task } from '../client';
import type { ClientOptions } from '../client';
import type { StoredCard } from './store';

export {
  CardComponent,
  Markdown,
  Table,
  Image,
  VegaChart,
  LineChart,
  BarChart,
  ProgressBar,
  Artifact,
  ErrorComponent,
  ErrorComponent as Error,
  MAX_IMAGE_BYTES,
} from './components';
export type { TableOptions, ImageOptions, LineChartOptions, BarChartOptions, ProgressBarOptions } from './components';
export type { CardData, ComponentData, CardType } from './data';
export type { CardHandle, CardComponents, CurrentCard } from './session';
export type { StoredCard as Card } from './store';

/** The cards of a task: a `Task` of the client API, or its pathspec `FLOW/RUN/STEP/TASK`. */
export function getCards(task: Task | string, options: ClientOptions = {}): StoredCard[] {
  if (typeof task !== 'string') return task.cards;
  const [flow, runId, step, taskId] = task.split('/');
  if (!flow || !runId || !step || !taskId) throw new NotFoundError(`'${task}' is not a task pathspec: expected FLOW/RUN/STEP/TASK`);
  const found = new Flow(flow, options)
    .run(runId)
    .step(step)
    .tasks()
    .find((t) => t.id === taskId);
  if (!found) throw new NotFoundError(`no task ${task}`);
  return found.cards;
}

// What the "value from an earlier run" picker lists, read with the runtime's client API: the
// successful runs of every flow in a datastore, newest first, and the artifacts of one run under
// the `value:` path a params-file ref names them by (runtime/params/refs.ts resolves the same
// paths). No vscode import; tested against a datastore written by the runtime.
import { ANY_NAMESPACE, Flow, Run } from '../../runtime/client';
import { formatAge } from '../../model/format';
import { summarizeTexts, valueToText } from '../parameters';
import type { ArtifactChoice, RunChoice } from '../prompts';

/** Tasks listed per step: a foreach of thousands would make the list unusable (and slow over S3). */
const MAX_TASKS_PER_STEP = 50;

/** The successful runs of every flow in the datastore, newest first (at most `limit`). */
export function successfulRuns(root: string, limit = 50, now = new Date()): RunChoice[] {
  const found: Array<{ run: Run; created: Date }> = [];
  for (const flow of safe(() => Flow.list({ root })) ?? []) {
    let n = 0;
    // runs() is newest first within a flow: stop once this flow cannot make the cut.
    for (const run of safe(() => flow.runs()) ?? []) {
      if (n >= limit) break;
      if (!safe(() => run.successful)) continue;
      const created = safe(() => run.createdAt);
      if (!created) continue;
      found.push({ run, created });
      n++;
    }
  }
  return found
    .sort((a, b) => b.created.getTime() - a.created.getTime())
    .slice(0, limit)
    .map(({ run, created }) => {
      const params = safe(() => run.parameters) ?? {};
      const texts = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, valueToText(v)]));
      return { flow: run.flow, id: run.id, description: [formatAge(created, now), summarizeTexts(texts, 60)].filter(Boolean).join(' · ') };
    });
}

/**
 * The artifacts of a run as ref paths: the end task's as `outputs.<name>`, then each other step's
 * (in launch order) as `<step>.<name>`, or `<step>[i].<name>` when the step has several tasks.
 * A value that travels unchanged (same name and content hash) is listed once, under its first
 * path: most of a flow's artifacts reach `end` as they were. The run's
 * parameters come after each task's other artifacts.
 */
export function runArtifacts(root: string, flow: string, runId: string): ArtifactChoice[] {
  const run = new Flow(flow, { root, ...ANY_NAMESPACE }).run(runId);
  const params = new Set(Object.keys(safe(() => run.record.parameters) ?? {}));
  const out: ArtifactChoice[] = [];
  const seen = new Set<string>();
  const add = (prefix: string, task: { pathspec: string; artifacts: Record<string, { hash: string; type: string; preview: string }> }) => {
    // The run's own parameters are artifacts too, but rarely what is wanted: after the others.
    const entries = Object.entries(task.artifacts);
    for (const [name, a] of [...entries.filter(([n]) => !params.has(n)), ...entries.filter(([n]) => params.has(n))]) {
      const key = `${name}\0${a.hash}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ path: `${prefix}.${name}`, task: task.pathspec, type: a.type, preview: a.preview });
    }
  };
  const end = run.endTask;
  if (end) add('outputs', end);
  for (const step of run.steps()) {
    if (step.name === 'end') continue;
    const tasks = step.tasks();
    // Indices are positions in tasks(), which is what `<step>[i]` resolves against.
    tasks.slice(0, MAX_TASKS_PER_STEP).forEach((task, i) => add(tasks.length > 1 ? `${step.name}[${i}]` : step.name, task));
  }
  return out;
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

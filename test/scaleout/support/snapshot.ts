// What a run produced, independent of where it ran and of how its tasks were numbered: per step and
// split position, each task's artifacts (values) and output. Two runs of the same flow with the same
// parameters have equal snapshots whatever scheduler or datastore ran them.
import { Run } from '../../../runtime/client';

export interface TaskSnapshot {
  artifacts: Record<string, unknown>;
  stdout: string;
  status: string;
}

export function snapshot(run: Run): Record<string, TaskSnapshot> {
  const out: Record<string, TaskSnapshot> = {};
  for (const step of run.steps()) {
    for (const task of step.tasks()) {
      const record = task.record!;
      const position = record.stack.map((f) => f.index).join('.');
      const artifacts: Record<string, unknown> = {};
      for (const [name, a] of Object.entries(task.artifacts)) artifacts[name] = withoutStack(a.value);
      out[`${step.name}[${position}]`] = { artifacts, stdout: task.stdout, status: record.status };
    }
  }
  return out;
}

/** Error artifacts (@catchError) carry a stack whose paths depend on where the code was loaded from. */
function withoutStack(value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value) && 'stack' in value) {
    const { stack: _stack, ...rest } = value as Record<string, unknown>;
    return rest;
  }
  return value;
}

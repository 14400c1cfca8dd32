// The batch script of one submission: N tasks of a run, one per array index (a foreach is one
// array), each running `flowspec step` against the run's datastore. The per-task values are bash
// arrays indexed by SLURM_ARRAY_TASK_ID, so the script stays small for a foreach of 1,000.
import type { TaskSpec } from '../task/runTask';

export interface ScriptContext {
  /** The command that runs the flowspec CLI on a node: [node, /path/to/dist/cli.js]. */
  command: string[];
  /** The datastore root, absolute (or s3://): what every task reads and writes. */
  root: string;
  /** The flow's source file (named by `flowspec step`; the code comes from the run's package). */
  sourceFile: string;
}

/** Quotes a word for bash: single quotes, with `'` written as `'\''`. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

const bashArray = (name: string, values: string[]) => `${name}=(${values.map(shellQuote).join(' ')})`;

export function jobScript(tasks: TaskSpec[], ctx: ScriptContext): string {
  const first = tasks[0];
  return [
    '#!/bin/bash',
    `# flowspec: ${tasks.length} task(s) of ${first.flow}/${first.runId}; array index i runs task i of the lists below.`,
    bashArray(
      'steps',
      tasks.map((t) => t.step),
    ),
    bashArray(
      'task_ids',
      tasks.map((t) => t.taskId),
    ),
    bashArray(
      'input_paths',
      tasks.map((t) => t.inputPaths.join(',')),
    ),
    bashArray(
      'split_indices',
      tasks.map((t) => (t.splitIndex === undefined ? '' : String(t.splitIndex))),
    ),
    bashArray(
      'retry_counts',
      tasks.map((t) => String(t.retryCount)),
    ),
    'i=${SLURM_ARRAY_TASK_ID:-0}',
    'job=${SLURM_ARRAY_JOB_ID:+${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}}',
    'split=${split_indices[$i]}',
    `export FLOWSPEC_DATASTORE_ROOT=${shellQuote(ctx.root)}`,
    [
      'exec',
      ...ctx.command.map(shellQuote),
      'step',
      shellQuote(ctx.sourceFile),
      '"${steps[$i]}"',
      '--flow',
      shellQuote(first.flow),
      '--run-id',
      shellQuote(first.runId),
      '--task-id',
      '"${task_ids[$i]}"',
      '--input-paths',
      '"${input_paths[$i]}"',
      '${split:+--split-index "$split"}',
      '--retry-count',
      '"${retry_counts[$i]}"',
      '--metadata',
      '"slurm-job-id=${job:-$SLURM_JOB_ID}"',
      '--metadata',
      '"slurm-node=${SLURMD_NODENAME:-}"',
    ].join(' '),
    '',
  ].join('\n');
}

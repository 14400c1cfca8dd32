// What `run --with` / `resume --with` take: `slurm` (tasks as Slurm jobs). A Metaflow user's other
// `--with` values get the FlowSpec way to the same end instead of a bare refusal.
import { UserError } from '../runtime/errors';
import { displayPath } from '../runtime/flowcode/loadFlow';
import { printable } from './terminal';

/** Metaflow's `--with` values that FlowSpec reaches another way: what to use instead, for FILE. */
const INSTEAD: Record<string, (file: string) => string> = {
  kubernetes: (file) => `to run on Kubernetes, write an Argo Workflows template: flowspec argo create ${file}`,
  'argo-workflows': (file) => `to run on Argo Workflows: flowspec argo create ${file}`,
  batch: (file) => `AWS Batch is not supported: run the tasks on Slurm (--with slurm) or on Kubernetes (flowspec argo create ${file})`,
  retry: () => 'decorate the steps in the file instead: @retry({ times })',
  catch: () => 'decorate the steps in the file instead: @catchError({ var })',
  timeout: () => 'decorate the steps in the file instead: @timeout({ seconds })',
  card: () => 'decorate the steps in the file instead: @card()',
  resources: () => 'decorate the steps in the file instead: @resources({ cpu, memory })',
};

/** The executor `--with` asks for (undefined: the local worker pool); anything else is one line saying what to use. */
export function parseWith(value: unknown, file: string): 'slurm' | undefined {
  if (value === undefined) return undefined;
  if (value === 'slurm') return 'slurm';
  const text = String(value);
  const name = text.split(':')[0];
  const instead = Object.hasOwn(INSTEAD, name) ? `: ${INSTEAD[name](displayPath(file))}` : '';
  throw new UserError(`--with takes 'slurm' (tasks as Slurm jobs), not '${printable(text)}'${instead}`);
}

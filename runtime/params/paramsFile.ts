// `--params PFILE`: parameter values from a YAML or JSON file, in the manner of Polyaxon's params.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Datastore } from '../datastore';
import { UserError } from '../errors';
import type { FlowInfo } from '../flowcode/introspect';
import type { GivenValue } from '../flowcode/parameterValues';

export interface ParamsFileValues {
  values: Map<string, GivenValue>;
  context?: Record<string, unknown>;
}

export async function loadParamsFile(path: string, flow: FlowInfo, _datastore: Datastore): Promise<ParamsFileValues> {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `no such params file: ${path}` : `params file ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new UserError(`params file ${path}: expected a mapping of parameter names to entries`);
  const known = new Set(flow.parameters.map((p) => p.decl.name));
  const values = new Map<string, GivenValue>();
  for (const [name, entry] of Object.entries(doc as Record<string, unknown>)) {
    if (!known.has(name)) throw new UserError(`params file ${path}: '${name}' is not a parameter of ${flow.name}`);
    if (entry === null || typeof entry !== 'object' || !('value' in entry)) throw new UserError(`params file ${path}: entry '${name}' needs a 'value'`);
    values.set(name, { value: (entry as { value: unknown }).value, source: `params file ${path}`, typed: true });
  }
  return { values };
}

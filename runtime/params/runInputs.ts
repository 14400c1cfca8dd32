// What a new run takes from the command line and a params file: the parameters' values (with
// their sources), context values, exported environment variables and init copies. Shared by
// `run` and `init-run`, so a run started by an engine gets what a local run gets.
import type { Datastore } from '../datastore';
import type { FlowInfo } from '../flowcode/introspect';
import { ResolvedParameter, resolveParameters } from '../flowcode/parameterValues';
import type { NewRun } from '../scheduler/createRun';
import { loadParamsFile, ParamsFileValues } from './paramsFile';

export async function runInputs(
  flow: FlowInfo,
  commandLine: Array<{ name: string; value: string | true }>,
  paramsFile: string | undefined,
  datastore: Datastore,
): Promise<Pick<NewRun, 'parameters' | 'context' | 'env' | 'init'>> {
  const fromFile = paramsFile ? await loadParamsFile(paramsFile, flow, datastore) : undefined;
  const parameters = resolveParameters(flow, commandLine, fromFile?.values);
  return { parameters, context: fromFile?.context, env: fromFile && exportedEnv(fromFile, parameters), init: fromFile?.init };
}

/** `toEnv` entries: the final value of each (after the command line had its say), as text. */
function exportedEnv(file: ParamsFileValues, parameters: ResolvedParameter[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, variable] of file.toEnv) {
    const value = parameters.find((p) => p.info.decl.name === name)?.value ?? file.context[name];
    env[variable] = typeof value === 'string' ? value : JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  }
  return env;
}

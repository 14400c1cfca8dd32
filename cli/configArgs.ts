// `--config NAME FILE` and `--config-value NAME JSON` of run and init-run (Metaflow's options of
// the same names): each takes two values, so they are taken out of the arguments before the
// command's parser sees them. A lone `--config VALUE` stays: the value of a parameter named config.
import { applyConfigs } from '../runtime/flowcode/applyConfigs';
import type { LoadedFlow } from '../runtime/flowcode/loadFlow';
import { GivenConfigs, ResolvedConfig, resolveConfigs } from '../runtime/params/configValues';
import { UserError } from '../runtime/errors';
import { loadParamsFileConfigs } from '../runtime/params/paramsFile';
import type { OptionSpecs } from './command';

/** The two options, for a command's table (usage and --help); parsed by takeConfigArgs. */
export const CONFIG_OPTIONS = {
  config: {
    type: 'string',
    value: 'NAME FILE',
    multiple: true,
    help: "config NAME's file instead of its default (JSON, or the config's parser)",
  },
  'config-value': { type: 'string', value: 'NAME JSON', multiple: true, help: "config NAME's value as JSON" },
} as const satisfies OptionSpecs;

/** The config options of argv, and argv without them. */
export function takeConfigArgs(argv: string[]): { argv: string[]; given: GivenConfigs } {
  const given: GivenConfigs = { files: new Map(), values: new Map() };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const option = argv[i];
    const [name, value] = [argv[i + 1], argv[i + 2]];
    const pair = name !== undefined && value !== undefined && !name.startsWith('--') && !value.startsWith('--');
    if ((option === '--config' || option === '--config-value') && pair) {
      const into = option === '--config' ? given.files : given.values;
      if (into.has(name)) throw new UserError(`${option} ${name} is given twice`);
      into.set(name, value);
      i += 2;
    } else if (option === '--config-value') {
      throw new UserError('--config-value needs a name and a value: --config-value NAME JSON');
    } else {
      rest.push(option);
    }
  }
  return { argv: rest, given };
}

/**
 * Reads the flow's configs for a new run (the command line's, else the params file's config
 * entries, else the defaults) and puts their values where the flow used configExpr. A
 * `--config VALUE` that was not a pair (`lone`) is a parameter's value when the flow has a
 * parameter named config; otherwise it lacks its FILE.
 */
export async function readRunConfigs(
  flow: LoadedFlow,
  given: GivenConfigs,
  lone: string[] | undefined,
  extras: Array<{ name: string; value: string | true }>,
  paramsFile?: string,
): Promise<ResolvedConfig[]> {
  if (lone?.length) {
    if (!flow.info.parameters.some((p) => p.decl.name === 'config'))
      throw new UserError('--config needs a name and a file: --config NAME FILE');
    for (const value of lone) extras.push({ name: 'config', value });
  }
  const fromParams = paramsFile !== undefined ? loadParamsFileConfigs(paramsFile, flow.info) : undefined;
  const configs = await resolveConfigs(flow.info, { ...given, ...(fromParams ? { paramsFile: fromParams } : {}) }, { flowFile: flow.file });
  applyConfigs(flow.info, Object.fromEntries(configs.map((c) => [c.decl.name, c.value])));
  return configs;
}

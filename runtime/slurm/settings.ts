// What sbatch is told for a step: the `slurm` section of flowspec.config.json (defaults), then the
// step's @slurm, @resources and @timeout. Pure: no Slurm command runs here.
import { loadProjectConfig } from '../config';
import { UserError } from '../errors';
import type { StepMeta, SlurmOptions, ResourcesOptions } from '../flow/stepMeta';

const STRING_KEYS = ['partition', 'account', 'qos', 'time', 'constraint'] as const;

/** The `slurm` section of the project's flowspec.config.json, checked; {} when there is none. */
export function slurmDefaults(cwd = process.cwd()): SlurmOptions {
  const loaded = loadProjectConfig(cwd);
  const section = loaded?.config.slurm;
  if (section === undefined) return {};
  const where = `${loaded!.file}: "slurm"`;
  if (!section || typeof section !== 'object' || Array.isArray(section))
    throw new UserError(`${where} must be an object such as { "partition": "gpu" }`);
  const out: SlurmOptions = {};
  for (const [key, value] of Object.entries(section)) {
    if ((STRING_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'string' || !value)
        throw new UserError(`${where}.${key} must be a non-empty string, not ${JSON.stringify(value)}`);
      out[key as (typeof STRING_KEYS)[number]] = value;
    } else if (key === 'extra') {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
        throw new UserError(`${where}.extra must be a list of sbatch arguments, e.g. ["--exclusive"]`);
      out.extra = value;
    } else {
      throw new UserError(`${where} has an unknown key '${key}' (known: ${[...STRING_KEYS, 'extra'].join(', ')})`);
    }
  }
  return out;
}

/** Whether the project names Slurm settings (the editor then offers "Run on Slurm"). */
export function hasSlurmSection(cwd = process.cwd()): boolean {
  try {
    return loadProjectConfig(cwd)?.config.slurm !== undefined;
  } catch {
    return false;
  }
}

/**
 * sbatch's arguments for a step's tasks: @slurm over the defaults (field by field; `extra` adds
 * to the defaults'), @timeout as `--time` unless @slurm names one, @resources as CPUs, memory, GPUs.
 */
export function stepSbatchArgs(step: string, meta: StepMeta, defaults: SlurmOptions): string[] {
  const own = meta.slurm ?? {};
  const args: string[] = [];
  for (const key of ['partition', 'account', 'qos', 'constraint'] as const) {
    const value = own[key] ?? defaults[key];
    if (value) args.push(`--${key}=${value}`);
  }
  const time = own.time ?? slurmMinutes(meta) ?? defaults.time;
  if (time) args.push(`--time=${time}`);
  args.push(...resourceArgs(step, meta.resources));
  return [...args, ...(defaults.extra ?? []), ...(own.extra ?? [])];
}

/** @timeout in whole minutes, rounded up: Slurm's time limits have no seconds. */
function slurmMinutes(meta: StepMeta): string | undefined {
  const t = meta.timeout;
  if (!t) return undefined;
  const seconds = (t.seconds ?? 0) + 60 * (t.minutes ?? 0) + 3600 * (t.hours ?? 0);
  return seconds > 0 ? String(Math.ceil(seconds / 60)) : undefined;
}

function resourceArgs(step: string, r: ResourcesOptions | undefined): string[] {
  if (!r) return [];
  const args: string[] = [];
  if (r.cpu !== undefined) args.push(`--cpus-per-task=${cpus(step, r.cpu)}`);
  if (r.memory !== undefined) args.push(`--mem=${memory(step, r.memory)}`);
  if (r.gpu) {
    if (!Number.isInteger(r.gpu) || r.gpu < 0)
      throw new UserError(`step '${step}': @resources gpu must be a whole number, not ${JSON.stringify(r.gpu)}`);
    args.push(`--gres=gpu:${r.gpu}`);
  }
  return args;
}

/** CPUs as Slurm counts them (whole ones): 2 → 2, '500m' (a Kubernetes quantity) → 1. */
function cpus(step: string, cpu: number | string): number {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(String(cpu));
  if (!m) throw new UserError(`step '${step}': @resources cpu must be a number of CPUs (or '500m'), not ${JSON.stringify(cpu)}`);
  return Math.max(1, Math.ceil(Number(m[1]) / (m[2] ? 1000 : 1)));
}

/** Memory for `--mem`: a number is MB (as Metaflow's); '4Gi' or '4G' → '4G'. */
function memory(step: string, mem: number | string): string {
  const m = /^(\d+(?:\.\d+)?)\s*(?:([KMGT])i?)?$/.exec(String(mem));
  if (!m) throw new UserError(`step '${step}': @resources memory must be MB or a quantity like '4Gi', not ${JSON.stringify(mem)}`);
  return `${Math.ceil(Number(m[1]))}${m[2] ?? 'M'}`;
}

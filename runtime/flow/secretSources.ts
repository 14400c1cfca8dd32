// What `@secrets({ sources })` names, parsed when the flow loads: each source gives one environment
// variable of the task. As Metaflow's secret specs, a source is 'TYPE.ID' or an object:
//   'env.API_TOKEN'                 the variable API_TOKEN of the machine running the task
//   'file./run/secrets/db_password' a file on that machine (its text, one trailing newline dropped) → DB_PASSWORD
//   'dotenv.API_TOKEN'              a key of the .env-style file named by `secrets.dotenv` in flowspec.config.json
//   'kubernetes.db-creds/password'  a key of a Kubernetes secret: argo create references it (secretKeyRef)
//   { type, id, key?, env? }        the same, `env` naming the variable to set
import { basename } from 'node:path';
import { UserError } from '../errors';
import { ENV_NAME } from './envName';

export const SECRET_TYPES = ['env', 'file', 'dotenv', 'kubernetes'] as const;
export type SecretType = (typeof SECRET_TYPES)[number];

export interface SecretSourceObject {
  type: SecretType;
  /** The variable (env), the path (file), the key (dotenv), the secret's name (kubernetes). */
  id: string;
  /** kubernetes: the key inside the secret. */
  key?: string;
  /** The variable the task gets (default: from the id or key). */
  env?: string;
}

export type SecretSource = string | SecretSourceObject;

/** A parsed source: where the value comes from and the variable it becomes. */
export interface SecretSpec {
  type: SecretType;
  id: string;
  key?: string;
  env: string;
  /** How messages name it: `env.API_TOKEN`, `kubernetes.db-creds/password`. */
  label: string;
}

function fromString(text: string): SecretSourceObject {
  const dot = text.indexOf('.');
  if (dot <= 0) throw new UserError(`@secrets: '${text}' is not a source: write TYPE.ID, TYPE one of ${SECRET_TYPES.join(', ')}`);
  const type = text.slice(0, dot) as SecretType;
  const id = text.slice(dot + 1);
  if (type === 'kubernetes') {
    const slash = id.lastIndexOf('/');
    if (slash <= 0 || slash === id.length - 1) throw new UserError(`@secrets: '${text}' needs kubernetes.SECRET/KEY`);
    return { type, id: id.slice(0, slash), key: id.slice(slash + 1) };
  }
  return { type, id };
}

/** The variable a file's secret becomes: its name, upper case, non-word characters as `_`. */
function fileVariable(path: string): string {
  return basename(path)
    .replace(/\.[^.]*$/, '')
    .replace(/\W+/g, '_')
    .toUpperCase();
}

export function parseSecretSource(source: SecretSource): SecretSpec {
  const s = typeof source === 'string' ? fromString(source) : source;
  if (typeof s !== 'object' || s === null) throw new UserError('@secrets: each source is a string TYPE.ID or { type, id }');
  if (!SECRET_TYPES.includes(s.type)) throw new UserError(`@secrets: unknown source type '${String(s.type)}' (${SECRET_TYPES.join(', ')})`);
  if (typeof s.id !== 'string' || !s.id) throw new UserError(`@secrets: a ${s.type} source needs an id`);
  if (s.type === 'kubernetes' && !s.key) throw new UserError(`@secrets: kubernetes source '${s.id}' needs the key inside the secret`);
  const label = `${s.type}.${s.id}${s.key ? `/${s.key}` : ''}`;
  const env = s.env ?? (s.type === 'file' ? fileVariable(s.id) : s.type === 'kubernetes' ? s.key! : s.id);
  if (!ENV_NAME.test(env))
    throw new UserError(`@secrets: source ${label} would set '${env}', which is not an environment variable name; give { env: 'NAME' }`);
  return { type: s.type, id: s.id, ...(s.key ? { key: s.key } : {}), env, label };
}

/** Every source of a @secrets, refusing two that set one variable (Metaflow's rule). */
export function parseSecretSources(sources: unknown): SecretSpec[] {
  if (!Array.isArray(sources)) throw new UserError("@secrets needs { sources: ['env.NAME', ...] }");
  const specs = sources.map((s) => parseSecretSource(s as SecretSource));
  const seen = new Map<string, string>();
  for (const spec of specs) {
    const other = seen.get(spec.env);
    if (other) throw new UserError(`@secrets: ${other} and ${spec.label} both set ${spec.env}`);
    seen.set(spec.env, spec.label);
  }
  return specs;
}

// @secrets at task time: fetching each source's value on the machine running the task, and the
// Redactor that keeps those values out of everything the task stores (logs, errors, cards) and
// refuses an artifact that holds one. Values live only in the task's process environment.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadProjectConfig } from '../config';
import type { SecretSpec } from '../flow/secretSources';

/** A secret that could not be fetched: names the source and the key, never a value. */
export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretError';
  }
}

/** One fetched secret: the variable it is in and where it came from. */
export interface FetchedSecret {
  env: string;
  label: string;
  value: string;
}

/** Reads a `.env`-style file: `KEY=VALUE` lines, `#` comments, an optional `export `, quoted values. */
export function parseDotenv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    out.set(m[1], value);
  }
  return out;
}

/** The .env file of flowspec.config.json (`secrets.dotenv`, relative to that file), read once per fetch. */
function dotenvOf(label: string): { file: string; values: Map<string, string> } {
  const loaded = loadProjectConfig();
  const named = (loaded?.config.secrets as { dotenv?: unknown } | undefined)?.dotenv;
  if (!loaded || typeof named !== 'string')
    throw new SecretError(`secret ${label}: no .env file is configured; set "secrets": { "dotenv": "FILE" } in flowspec.config.json`);
  const file = resolve(loaded.dir, named);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SecretError(`secret ${label}: cannot read ${file}, the .env file named in ${loaded.file}`);
  }
  return { file, values: parseDotenv(text) };
}

function fetchOne(spec: SecretSpec, dotenv: () => { file: string; values: Map<string, string> }): string {
  switch (spec.type) {
    case 'env': {
      const value = process.env[spec.id];
      if (value === undefined) throw new SecretError(`secret ${spec.label}: the variable ${spec.id} is not set on this machine`);
      return value;
    }
    case 'file': {
      try {
        return readFileSync(spec.id, 'utf8').replace(/\r?\n$/, '');
      } catch (e) {
        throw new SecretError(`secret ${spec.label}: cannot read the file ${spec.id} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
    case 'dotenv': {
      const { file, values } = dotenv();
      const value = values.get(spec.id);
      if (value === undefined) throw new SecretError(`secret ${spec.label}: ${file} has no key ${spec.id}`);
      return value;
    }
    case 'kubernetes': {
      // The pod's spec maps the secret's key to the variable (secretKeyRef): the value is there or nowhere.
      const value = process.env[spec.env];
      if (value === undefined)
        throw new SecretError(
          `secret ${spec.label}: key ${spec.key} of Kubernetes secret ${spec.id} is not in this task's environment (${spec.env}); pods of \`flowspec argo create\`'s template get it`,
        );
      return value;
    }
  }
}

/** Fetches every secret of the step, before it runs; the first that is missing fails the task. */
export function fetchSecrets(specs: SecretSpec[]): FetchedSecret[] {
  let dotenv: ReturnType<typeof dotenvOf> | undefined;
  const readDotenv = (label: string) => () => (dotenv ??= dotenvOf(label));
  return specs.map((spec) => ({ env: spec.env, label: spec.label, value: fetchOne(spec, readDotenv(spec.label)) }));
}

/** Keeps secret values out of what a task stores. */
export class Redactor {
  private secrets: FetchedSecret[] = [];

  add(fetched: FetchedSecret[]): void {
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets = [...this.secrets, ...fetched.filter((s) => s.value !== '')].sort((a, b) => b.value.length - a.value.length);
  }

  get active(): boolean {
    return this.secrets.length > 0;
  }

  /** Text with every secret value replaced by `[secret NAME]`. */
  text(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s.value).join(`[secret ${s.env}]`);
    return out;
  }

  /** Plain data (a card's components) with every secret value replaced, in strings at any depth. */
  data<T>(data: T): T {
    if (!this.active) return data;
    return JSON.parse(JSON.stringify(data), (_key, value) => (typeof value === 'string' ? this.text(value) : value)) as T;
  }

  /** Refuses an artifact whose stored bytes hold a secret value (as text in any of v8's encodings, or UTF-8 bytes). */
  checkArtifact(name: string, bytes: Buffer): void {
    for (const s of this.secrets) {
      const forms = [Buffer.from(s.value, 'utf8'), Buffer.from(s.value, 'utf16le')];
      if (/^[\u0000-\u00ff]*$/.test(s.value)) forms.push(Buffer.from(s.value, 'latin1'));
      if (forms.some((f) => bytes.includes(f)))
        throw new SecretError(
          `artifact '${name}' holds the value of secret ${s.env} (${s.label}); a secret never goes to the datastore: read process.env.${s.env} where it is needed instead of storing it`,
        );
    }
  }
}

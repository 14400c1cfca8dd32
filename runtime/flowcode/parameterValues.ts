// Resolves the values of a run's parameters. Precedence: command line > params file >
// FLOWSPEC_RUN_<NAME> environment variable > default.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../errors';
import { checkParameterValue, defaultValue, parseParameterValue } from '../flow/parameters';
import type { IncludedFile } from '../datastore/records';
import type { FlowInfo, ParameterInfo } from './introspect';
import { configExprPath, isConfigExpr } from '../flow/config';

export interface ResolvedParameter {
  info: ParameterInfo;
  value: unknown;
  source: string;
  ref?: { task: string; artifact: string };
  /** For an IncludeFile parameter: the file it read. */
  file?: IncludedFile;
}

/** The file an IncludeFile parameter read (called once its content was read, so it exists). */
function includedFile(path: string, cwd: string): { file: IncludedFile } {
  const full = resolve(cwd, path);
  return { file: { path: full, size: statSync(full).size } };
}

/** A value given for a parameter before typing: a string (command line, env) or a typed value (params file). */
export interface GivenValue {
  value: string | unknown;
  source: string;
  typed?: boolean;
  ref?: { task: string; artifact: string };
}

export function envVarName(name: string): string {
  return `FLOWSPEC_RUN_${name.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;
}

export function resolveParameters(
  flow: FlowInfo,
  commandLine: Array<{ name: string; value: string | true }>,
  fromFile: Map<string, GivenValue> = new Map(),
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): ResolvedParameter[] {
  const byName = new Map(flow.parameters.map((p) => [p.decl.name, p]));
  const given = new Map<string, GivenValue>();
  for (const { name, value } of commandLine) {
    const p = byName.get(name) ?? byName.get(name.replace(/-/g, '_'));
    if (!p) {
      const known = flow.parameters.map((q) => `--${q.decl.name}`).join(', ');
      throw new UserError(`unknown parameter --${name} for ${flow.name}${known ? ` (parameters: ${known})` : ' (it has no parameters)'}`);
    }
    given.set(p.decl.name, { value: value === true ? (p.decl.type === 'boolean' ? 'true' : '') : value, source: 'command line' });
  }
  return flow.parameters.map((info) => {
    const { decl } = info;
    const chosen =
      given.get(decl.name) ??
      fromFile.get(decl.name) ??
      (env[envVarName(decl.name)] !== undefined
        ? { value: env[envVarName(decl.name)]!, source: `environment ${envVarName(decl.name)}` }
        : undefined);
    if (chosen) {
      if (chosen.typed) {
        checkParameterValue(decl, chosen.value, chosen.source);
        return { info, value: chosen.value, source: chosen.source, ...(chosen.ref ? { ref: chosen.ref } : {}) };
      }
      const value = parseParameterValue(decl, String(chosen.value), cwd);
      return { info, value, source: chosen.source, ...(decl.type === 'file' ? includedFile(String(chosen.value), cwd) : {}) };
    }
    const value = defaultValue(decl, cwd);
    if (value === undefined && decl.required) throw new UserError(`missing required parameter --${decl.name} for ${flow.name}`);
    if (value !== undefined && value !== null) checkParameterValue(decl, value);
    const file = decl.type === 'file' && value !== undefined ? includedFile(String(decl.default), cwd) : {};
    return { info, value: value ?? null, source: 'default', ...file };
  });
}

/** `run --help`: one block per parameter. */
export function describeParameters(flow: FlowInfo): string {
  if (!flow.parameters.length) return `${flow.name} has no parameters.\n`;
  const lines = [`Parameters of ${flow.name}:`];
  for (const { decl } of flow.parameters) {
    const attrs = [
      decl.type,
      decl.required ? 'required' : undefined,
      decl.default === undefined
        ? undefined
        : isConfigExpr(decl.default)
          ? `default: configExpr('${configExprPath(decl.default)}')`
          : `default: ${JSON.stringify(decl.default)}`,
    ].filter(Boolean);
    lines.push(`  --${decl.name} VALUE  (${attrs.join(', ')})`);
    if (decl.help) lines.push(`      ${decl.help}`);
  }
  for (const { decl } of flow.configs) {
    const from =
      decl.default !== undefined ? `default file ${decl.default}` : decl.defaultValue !== undefined ? 'default value' : 'no default';
    lines.push(
      `  --config ${decl.name} FILE  (config, ${decl.parser === 'yaml' ? 'YAML' : typeof decl.parser === 'function' ? 'own parser' : 'JSON'}, ${from}${decl.required ? ', required' : ''})`,
    );
    if (decl.help) lines.push(`      ${decl.help}`);
  }
  return lines.join('\n') + '\n';
}

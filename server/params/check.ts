// Diagnostics and hover for a params file: the problems runtime/params/document.ts finds, then the
// checks against the flow it is for (unknown parameters, literal types) and the datastore (refs).
// Pure: the flow files and the datastore come through the injected host and ref lookup.
import { basename, dirname, resolve } from 'node:path';
import { preview } from '../../runtime/datastore/artifacts';
import {
  EntryRange,
  headerTarget,
  isParamsFileName,
  ParamsDocument,
  ParamsEntry,
  parseParamsDocument,
} from '../../runtime/params/document';
import { closest, FlowDiagnostic, FlowModel, ParameterModel, Range } from '../../analyzer';
import { associate, Association, ParamsHost } from './associate';
import { artifactFits, TYPE_OF_CONSTRUCTOR, typeNoun, valueFits } from '../../model/parameters';
import { LineIndex } from '../../model/lineIndex';
import { parseRunRef } from '../../model/runRef';
import { configTextErrorLine } from '../../model/configText';

/** What a ref points at, or why it cannot be resolved. */
export type RefOutcome =
  | { ok: true; task: string; artifact: string; type: string; preview: string; size: number }
  /** `on`: the field at fault; 'store' when the datastore could not be read (no diagnostic then). */
  | { ok: false; message: string; on: 'ref' | 'value' | 'store' };

/** Resolves `ref`/`value` against the datastore; `currentFlow` is the flow `runs.<ID>` refers to. */
export type RefLookup = (ref: string, valuePath: string, currentFlow: string | undefined) => RefOutcome | undefined;

export interface ParamsAnalysis {
  doc: ParamsDocument;
  association: Association;
  diagnostics: FlowDiagnostic[];
  /** Entry name → its ref's outcome (for hover). */
  refs: Map<string, RefOutcome>;
}

export const PARAMS_CODES = [
  'params-syntax',
  'params-entry',
  'params-flow',
  'params-unknown-parameter',
  'params-type',
  'params-ref',
  'params-config',
] as const;

/** Analyses a YAML/JSON document; undefined when it is not a params file. */
export function analyzeParams(path: string, text: string, host: ParamsHost, refs?: RefLookup): ParamsAnalysis | undefined {
  // Most YAML/JSON files are not params files (package-lock.json...): say so without parsing.
  if (!mayBeParamsFile(path, text)) return undefined;
  const doc = parseParamsDocument(text);
  const association = associate(path, doc, host);
  if (!association) return undefined;
  const lines = new LineIndex(text);
  const diagnostics: FlowDiagnostic[] = [];
  const flow = association.flow;
  const push = (code: string, severity: FlowDiagnostic['severity'], message: string, range: EntryRange, data?: Record<string, unknown>) => {
    diagnostics.push({
      code,
      severity,
      message,
      range: lines.range(range),
      ...(flow ? { flow: flow.name } : {}),
      ...(data ? { data } : {}),
    });
  };
  for (const p of doc.problems) push(p.syntax ? 'params-syntax' : 'params-entry', 'error', p.message, p.range);
  if (association.problem) push('params-flow', 'warning', association.problem.message, association.problem.range);
  const results = new Map<string, RefOutcome>();
  for (const entry of doc.entries) {
    if (entry.toInit) continue;
    if (isConfigEntry(entry)) {
      const problem = flow && configEntryProblem(path, entry, flow, host);
      if (problem) push('params-config', 'error', problem.message, problem.on === 'key' ? entry.keyRange : fieldRange(entry, 'config'));
      continue;
    }
    const param = flow?.parameters.find((p) => p.name === entry.name);
    if (flow && !param && !entry.contextOnly) {
      const names = flow.parameters.map((p) => p.name);
      const suggestion = closest(entry.name, names);
      const list = `parameters: ${names.join(', ') || 'none'}`;
      push(
        'params-unknown-parameter',
        'error',
        suggestion
          ? `'${entry.name}' is not a parameter of ${flow.name}: did you mean '${suggestion}'? (${list})`
          : `'${entry.name}' is not a parameter of ${flow.name} (${list}); use contextOnly: true to pass other values`,
        entry.keyRange,
        { parameters: names, ...(suggestion ? { suggestion } : {}) },
      );
    }
    const checked = param && !entry.contextOnly && typeKnown(param) ? param : undefined;
    if (entry.ref) {
      // `runs.<ID>` is a run of the file's own flow: unknown until a flow is chosen. A value that
      // is not a string is already a params-entry problem.
      const resolvable = typeof entry.value === 'string' && (parseRunRef(entry.ref)?.flow !== undefined || flow);
      const outcome = refs && resolvable ? refs(entry.ref, entry.value as string, flow?.name) : undefined;
      if (!outcome) continue;
      results.set(entry.name, outcome);
      if (!outcome.ok) {
        if (outcome.on !== 'store') push('params-ref', 'error', `'${entry.name}': ${outcome.message}`, fieldRange(entry, outcome.on));
      } else if (checked && !artifactFits(checked.type, outcome)) {
        push(
          'params-type',
          'error',
          `'${entry.name}': ${outcome.task}.${outcome.artifact} is ${outcome.preview} (${outcome.type}), not ${typeNoun(checked.type)}`,
          fieldRange(entry, 'value'),
        );
      }
    } else if (checked && 'value' in entry && !valueFits(checked.type, entry.value)) {
      push(
        'params-type',
        'error',
        `'${entry.name}': ${preview(entry.value)} is not ${typeNoun(checked.type)}${hint(checked.type, entry.value)}`,
        fieldRange(entry, 'value'),
      );
    }
  }
  return { doc, association, diagnostics, refs: results };
}

const isConfigEntry = (entry: ParamsEntry) => entry.config !== undefined || 'configValue' in entry;

/** What is wrong with a config entry: a name that is no config of the flow, a file that is not there or does not parse. */
function configEntryProblem(
  path: string,
  entry: ParamsEntry,
  flow: FlowModel,
  host: ParamsHost,
): { message: string; on: 'key' | 'config' } | undefined {
  const configs = flow.configs ?? [];
  const config = configs.find((c) => c.name === entry.name);
  if (!config) {
    if (configs.some((c) => c.computedName)) return undefined;
    const suggestion = closest(
      entry.name,
      configs.map((c) => c.name),
    );
    const list = configs.length ? `configs: ${configs.map((c) => c.name).join(', ')}` : 'it declares no Config';
    return {
      on: 'key',
      message: `'${entry.name}' is not a config of ${flow.name}${suggestion ? `: did you mean '${suggestion}'?` : ''} (${list})`,
    };
  }
  if (entry.config === undefined || config.format === 'custom') return undefined;
  const parsed = host.configFile(resolve(dirname(path), entry.config), config.format);
  if (!parsed) return { on: 'config', message: `config '${entry.name}': no file ${entry.config} (the path is relative to this file)` };
  return parsed.ok ? undefined : { on: 'config', message: configTextErrorLine(`config '${entry.name}' (${entry.config})`, parsed.error) };
}

function mayBeParamsFile(path: string, text: string): boolean {
  return isParamsFileName(basename(path)) || headerTarget(text) !== undefined || text.includes('$flow');
}

function fieldRange(entry: ParamsEntry, field: string): EntryRange {
  return entry.fieldRanges[field] ?? entry.range;
}

/**
 * The analyzer knows the runtime type for sure: declared with `type:`, or a literal default, or
 * no default (a string). A default it cannot read leaves the type to run time: no type check.
 */
function typeKnown(p: ParameterModel): boolean {
  if (p.declaration === 'IncludeFile') return true;
  if (p.typeText !== undefined) return Object.hasOwn(TYPE_OF_CONSTRUCTOR, p.typeText.trim().split('.').pop()!);
  return p.defaultText === undefined || p.defaultKind !== undefined;
}

function hint(type: ParameterModel['type'], value: unknown): string {
  if (type === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return `; quote it: '${String(value)}'`;
  if ((type === 'number' || type === 'int') && typeof value === 'string' && value.trim() !== '' && valueFits(type, Number(value)))
    return `; remove the quotes: ${value.trim()}`;
  if (type === 'boolean' && typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
    return `; remove the quotes: ${value.trim().toLowerCase()}`;
  if (type === 'boolean' && typeof value === 'string') return ' (true or false)';
  return '';
}

/** Hover on an entry's key or value (or on the header): markdown and the range it is about. */
export function paramsHover(analysis: ParamsAnalysis, text: string, offset: number): { markdown: string; range: Range } | undefined {
  const lines = new LineIndex(text);
  const within = (r: EntryRange) => offset >= r[0] && offset <= r[1];
  const { doc, association } = analysis;
  if (doc.target && within(doc.target.range)) return { markdown: associationText(association), range: lines.range(doc.target.range) };
  // A block value's range runs to the next key: a key wins, and a value's end is exclusive.
  const onKey = doc.entries.find((e) => within(e.keyRange));
  const entry = onKey ?? doc.entries.find((e) => offset >= e.range[0] && offset < e.range[1]);
  if (!entry) return undefined;
  const range = lines.range(onKey ? entry.keyRange : entry.range);
  const flow = association.flow;
  const out: string[] = [];
  if (entry.toInit) {
    const v = (entry.value ?? {}) as { files?: string[]; dirs?: string[] };
    out.push(
      `**init files** \`${entry.name}\`: copied into each task's working folder before the step starts${entry.connection ? ` (from connection \`${entry.connection}\`)` : ''}`,
    );
    if (v.files?.length) out.push('', `files: ${v.files.map((f) => `\`${f}\``).join(', ')}`);
    if (v.dirs?.length) out.push('', `folders: ${v.dirs.map((f) => `\`${f}\``).join(', ')}`);
    return { markdown: out.join('\n'), range };
  }
  if (isConfigEntry(entry)) {
    const config = flow?.configs?.find((c) => c.name === entry.name);
    out.push(
      config
        ? `**config** \`${config.name}\` of \`${flow!.name}\`${config.help ? `\n\n${config.help}` : ''}`
        : `**config entry** \`${entry.name}\``,
      '',
      entry.config !== undefined
        ? `read from \`${entry.config}\` (relative to this file) instead of its default${config?.defaultFile ? ` \`${config.defaultFile}\`` : ''}`
        : `value: \`${preview(entry.configValue)}\``,
      '',
      '`--config` / `--config-value` on the command line win over this entry',
    );
    return { markdown: out.join('\n'), range };
  }
  const param = flow?.parameters.find((p) => p.name === entry.name);
  if (entry.contextOnly)
    out.push(`**context value** \`${entry.name}\`: not a parameter; steps read it as \`current.context.${entry.name}\``);
  else if (param) out.push(parameterText(flow!, param));
  else if (flow) out.push(`\`${entry.name}\` is not a parameter of \`${flow.name}\``);
  else out.push(`**entry** \`${entry.name}\``, '', associationText(association));
  if (entry.ref) {
    const r = analysis.refs.get(entry.name);
    const from = `\`${entry.name}\` ← `;
    const why =
      !flow && parseRunRef(entry.ref)?.flow === undefined ? 'no flow chosen for this file' : 'the datastore is not read from the editor';
    if (!r) out.push('', `${from}\`${entry.ref}\` / \`${String(entry.value)}\` (not resolved: ${why})`);
    else if (r.ok) out.push('', `${from}${r.task}.${r.artifact} = ${r.preview}`);
    else out.push('', `${from}${r.on === 'ref' ? '' : `${entry.ref}: `}${r.message}`);
  } else if (!entry.contextOnly && 'value' in entry) {
    out.push('', `value: \`${preview(entry.value)}\``);
  }
  if (entry.toEnv) out.push('', `exported to every task as \`$${entry.toEnv}\``);
  return { markdown: out.join('\n'), range };
}

function parameterText(flow: FlowModel, p: ParameterModel): string {
  const lines = [`**parameter** \`${p.name}\` (${p.type}${p.required ? ', required' : ''}) of \`${flow.name}\``];
  if (p.help) lines.push('', p.help);
  if (p.defaultText) lines.push('', `default: \`${p.defaultText}\``);
  return lines.join('\n');
}

function associationText(a: Association): string {
  if (a.problem) return a.problem.message;
  if (a.flow) {
    const how = a.via === 'target' ? 'named by this file' : 'the flow in this folder whose parameters match the entries best';
    return `params for \`${a.flow.name}\` (${how}); parameters: ${a.flow.parameters.map((p) => `\`${p.name}\``).join(', ') || 'none'}`;
  }
  const tied = a.candidates.filter((c) => c.covered === a.candidates[0]?.covered).map((c) => `\`${c.flow.name}\``);
  return `no single flow for this file (${tied.join(', ')} match its entries equally): name one in the first line, \`# flowspec: <flow.ts> <FlowName>\`, or with \`"$flow"\` in JSON`;
}

// Hover on a config: `this.cfg.model.name` in a step, `configExpr('cfg.model.name')` in decorator
// options or a default, and the `cfg = Config(...)` field itself show the value that path has in
// the config's default file (where a run started in the project reads it). Pure but for reading
// that file (analyzer/configFiles.ts, cached by modification time).
import type { Hover, Position } from 'vscode-languageserver';
import { AnalysisResult, ConfigModel, contains, defaultConfigFile, flowAt, FlowModel, Range } from '../../analyzer';
import { configValueAtKeys, splitConfigPath } from '../../model/configPath';
import { configTextErrorLine } from '../../model/configText';
import { LineIndex } from '../../model/lineIndex';

/** Longest value shown, in lines of its JSON. */
const MAX_LINES = 30;

/** A config path at the position: the config, the keys up to the hovered one, and their range. */
interface ConfigPathAt {
  config: ConfigModel;
  keys: string[];
  range: Range;
}

/** The hover of the config path at the position, or null when there is none (other hovers then answer). */
export function configHover(result: AnalysisResult, path: string, text: string, p: Position): Hover | null {
  const flow = flowAt(result, p);
  if (!flow?.configs?.length) return null;
  const at = configExprAt(flow, p) ?? thisPathAt(flow, text, p) ?? fieldAt(flow, p);
  if (!at) return null;
  return { contents: { kind: 'markdown', value: configValueText(path, at) }, range: at.range };
}

function configExprAt(flow: FlowModel, p: Position): ConfigPathAt | undefined {
  const expr = flow.configExprs?.find((e) => contains(e.range, p));
  if (!expr) return undefined;
  const { name, keys } = splitConfigPath(expr.path);
  const config = flow.configs!.find((c) => c.name === name);
  return config && { config, keys, range: expr.range };
}

function fieldAt(flow: FlowModel, p: Position): ConfigPathAt | undefined {
  const config = flow.configs!.find((c) => contains(c.nameRange, p) || contains(flow.memberRanges[c.field], p));
  return config && { config, keys: [], range: config.nameRange };
}

const THIS_PATH = /\bthis\s*\.\s*([A-Za-z_$][\w$]*)((?:\s*\??\.\s*[A-Za-z_$][\w$]*)*)/g;
const SEGMENT = /[A-Za-z_$][\w$]*/g;

/** `this.cfg.model.name` on the position's line, up to the key hovered. */
function thisPathAt(flow: FlowModel, text: string, p: Position): ConfigPathAt | undefined {
  const lines = new LineIndex(text);
  const lineStart = lines.offset({ line: p.line, character: 0 });
  const lineText = text.slice(lineStart).split('\n', 1)[0];
  for (const m of lineText.matchAll(THIS_PATH)) {
    const config = flow.configs!.find((c) => c.field === m[1]);
    if (!config) continue;
    const fieldStart = m.index! + m[0].indexOf(m[1], 4);
    const segments = [{ name: m[1], start: fieldStart }];
    const rest = m[2];
    const restStart = m.index! + m[0].length - rest.length;
    for (const s of rest.matchAll(SEGMENT)) segments.push({ name: s[0], start: restStart + s.index! });
    const hovered = segments.findIndex((s) => p.character >= s.start && p.character <= s.start + s.name.length);
    if (hovered < 0) continue;
    const end = segments[hovered].start + segments[hovered].name.length;
    const keys = segments.slice(1, hovered + 1).map((s) => s.name);
    return {
      config,
      keys,
      range: { start: { line: p.line, character: m.index! }, end: { line: p.line, character: end } },
    };
  }
  return undefined;
}

function configValueText(path: string, at: ConfigPathAt): string {
  const { config, keys } = at;
  const lines = [`**config** \`${config.name}\`${keys.length ? ` · \`${keys.join('.')}\`` : ''}`];
  if (config.help) lines.push('', config.help);
  const file = defaultConfigFile(path, config);
  if (file.state === 'parsed') {
    const value = configValueAtKeys(file.value, keys);
    if (value.found) lines.push('', `in its default file \`${config.defaultFile}\`:`, '', '```json', shown(value.value), '```');
    else lines.push('', `\`${config.defaultFile}\` has no key \`${value.missing}\``);
    lines.push('', 'a run given `--config` or a params file reads another file');
  } else if (file.state === 'invalid') {
    lines.push('', configTextErrorLine(`\`${config.defaultFile}\``, file.error));
  } else if (file.state === 'missing') {
    lines.push('', `no file \`${config.defaultFile}\` in the project root or next to the flow file`);
  } else {
    lines.push('', valueSourceText(config));
  }
  return lines.join('\n');
}

function valueSourceText(config: ConfigModel): string {
  if (config.defaultFile === undefined)
    return 'read when a run starts (`--config`, `--config-value` or a params file; it has no default file)';
  return `read from \`${config.defaultFile}\` with the flow's own parser when a run starts`;
}

/** The value as JSON, cut at MAX_LINES lines. */
function shown(value: unknown): string {
  const json = JSON.stringify(value, null, 2) ?? String(value);
  const lines = json.split('\n');
  return lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `… (${lines.length - MAX_LINES} more lines)`].join('\n') : json;
}

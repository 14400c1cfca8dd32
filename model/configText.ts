// How a config file's JSON or YAML text becomes a config's value, or one error naming the line and
// the key nearest it. The runtime reads configs with it when a run starts; the analyzer checks a
// flow's default config files with it, so both report the same line.
import { parse as parseYaml } from 'yaml';

/** A config's built-in formats (a parser function of the flow's own is the runtime's alone). */
export type ConfigFormat = 'json' | 'yaml';

/** Why a config text does not parse: the message, and where when it is known (1-based line). */
export interface ConfigTextError {
  format: ConfigFormat;
  message: string;
  line?: number;
  /** The last key before the error (JSON). */
  key?: string;
}

export type ConfigTextResult = { ok: true; value: unknown } | { ok: false; error: ConfigTextError };

/** The line (1-based) of a character offset. */
function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** The last `"key":` before an offset: where a JSON error sits. */
function keyBefore(text: string, offset: number): string | undefined {
  const keys = [...text.slice(0, offset).matchAll(/"((?:[^"\\]|\\.)*)"\s*:/g)];
  return keys.length ? keys[keys.length - 1][1] : undefined;
}

/**
 * Where JSON.parse failed: V8 says `at position N`, or for an unexpected token shows the text
 * around it (`Unexpected token 't', ..."ten chars t..." is not valid JSON`), found again here.
 */
function errorOffset(text: string, message: string): number | undefined {
  const at = /position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  const token = /^Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON$/.exec(message);
  if (!token) return undefined;
  const [, char, cut, context] = token;
  const start = text.indexOf(context);
  if (start < 0) return undefined;
  return start + (cut ? 10 : context.indexOf(char));
}

/** The message of a JSON error without where it is (said apart) or the text around it. */
function jsonMessage(message: string): string {
  return message
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/ in JSON at position \d+/, '')
    .replace(/^(Unexpected token '[\s\S]'), [\s\S]* is not valid JSON$/, '$1');
}

function parseJson(text: string): ConfigTextResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const raw = (e as Error).message;
    const message = jsonMessage(raw);
    const offset = errorOffset(text, raw);
    if (offset === undefined) return { ok: false, error: { format: 'json', message: message.split('\n')[0] } };
    const key = keyBefore(text, offset);
    return { ok: false, error: { format: 'json', message, line: lineOf(text, offset), ...(key !== undefined ? { key } : {}) } };
  }
}

function parseYamlText(text: string): ConfigTextResult {
  try {
    return { ok: true, value: parseYaml(text) };
  } catch (e) {
    const line = (e as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    const message = (e as Error).message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return { ok: false, error: { format: 'yaml', message, ...(line !== undefined ? { line } : {}) } };
  }
}

export function parseConfigText(text: string, format: ConfigFormat): ConfigTextResult {
  return format === 'json' ? parseJson(text) : parseYamlText(text);
}

/** `<what>, line 3 (after key 'lr'): not JSON (...)`: the one line a bad config file gets. */
export function configTextErrorLine(what: string, error: ConfigTextError): string {
  const where = `${error.line !== undefined ? `, line ${error.line}` : ''}${error.key !== undefined ? ` (after key '${error.key}')` : ''}`;
  return `${what}${where}: not ${error.format === 'json' ? 'JSON' : 'YAML'} (${error.message})`;
}

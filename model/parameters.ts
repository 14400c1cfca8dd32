// Parameter types and values: one definition for the runtime (which parses what a user gives on the
// command line, in the environment or in a params file), the analyzer (which reads declarations),
// the params-file checks of the language server and the extension's Run prompts.

export type ParameterType = 'string' | 'number' | 'int' | 'boolean' | 'json' | 'file';

/** `Parameter(name, { type: X })`: the type each constructor name stands for. */
export const TYPE_OF_CONSTRUCTOR: Readonly<Record<string, ParameterType>> = {
  String: 'string',
  Number: 'number',
  Int: 'int',
  Boolean: 'boolean',
  JSONType: 'json',
};

/** The type in a sentence ("… is not an integer"). */
export function typeNoun(type: ParameterType): string {
  return type === 'int' ? 'an integer' : type === 'json' ? 'JSON' : `a ${type}`;
}

/** A `Parameter` without `type` has the type of its default (`typeof default`, or 'null'). */
export function typeOfDefault(kind: string | undefined): ParameterType {
  switch (kind) {
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'json';
    default:
      return 'string';
  }
}

const TRUE_WORDS = ['true', '1', 'yes', 'y', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'n', 'off'];

/** Text that does not parse to the parameter's type; the message names the text, not the parameter. */
export class ParameterValueError extends Error {}

/**
 * Parses the text given for a parameter (command line, environment, Run prompt) into its value.
 * A 'file' parameter's text is its path, returned as it is (reading the file is the runtime's).
 */
export function parseParameterText(type: ParameterType, raw: string): unknown {
  const text = raw.trim();
  switch (type) {
    case 'number': {
      const n = text === '' ? NaN : Number(text);
      if (!Number.isFinite(n)) throw new ParameterValueError(`'${raw}' is not a number`);
      return n;
    }
    case 'int': {
      // Digits only: `2.5`, `1e2` and `0x10` are refused, though Number() reads them.
      const n = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(n)) throw new ParameterValueError(`'${raw}' is not an integer`);
      return n;
    }
    case 'boolean': {
      const word = text.toLowerCase();
      if (TRUE_WORDS.includes(word)) return true;
      if (FALSE_WORDS.includes(word)) return false;
      throw new ParameterValueError(`'${raw}' is not a boolean (true or false)`);
    }
    case 'json':
      return parseJsonText(raw);
    default:
      return raw;
  }
}

/** A JSON parameter's text (or a JSON default written as a string). */
export function parseJsonText(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new ParameterValueError(`not valid JSON: ${(e as Error).message.replace(/^JSON\.parse: /, '')}`);
  }
}

/** Whether a value that did not come from text (a default, a params-file literal) fits the type. */
export function valueFits(type: ParameterType, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'int':
      return Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

/**
 * The same check on an artifact of an earlier run from its recorded type (`number`, `Array(3)`, …)
 * and preview, without loading its value (the editor's "value from an earlier run" picker).
 */
export function artifactFits(type: ParameterType, a: { type: string; preview: string }): boolean {
  switch (type) {
    case 'string':
      return a.type === 'string';
    case 'number':
      return a.type === 'number' && !/^-?(NaN|Infinity)$/.test(a.preview);
    case 'int':
      return a.type === 'number' && /^-?\d+$/.test(a.preview);
    case 'boolean':
      return a.type === 'boolean';
    default:
      return true;
  }
}

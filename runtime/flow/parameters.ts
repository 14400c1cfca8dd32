// Parameter declarations (`Parameter`, `IncludeFile`, `JSONType`, `Int`) and the parsing of their values.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ParameterType,
  ParameterValueError,
  parseJsonText,
  parseParameterText,
  typeNoun,
  typeOfDefault,
  valueFits,
} from '../../model/parameters';
import { preview } from '../datastore/artifacts';
import { UserError } from '../errors';

/** Marker type for parameters whose values are JSON. */
export const JSONType = Symbol.for('flowspec.JSONType');
export type JSONType = typeof JSONType;

/** Marker type for parameters whose values are integers (`--n 2.5` is refused). */
export const Int = Symbol.for('flowspec.Int');
export type Int = typeof Int;

type TypeOption = StringConstructor | NumberConstructor | BooleanConstructor | typeof JSONType | typeof Int;

export interface ParameterOptions<T = unknown> {
  help?: string;
  default?: T;
  required?: boolean;
  type?: TypeOption;
}

export interface IncludeFileOptions {
  help?: string;
  default?: string;
  required?: boolean;
  /** Text (default) gives a string; false gives a Buffer. */
  isText?: boolean;
  encoding?: BufferEncoding;
}

const PARAMETER = Symbol.for('flowspec.parameter');

export interface ParameterDeclaration {
  [PARAMETER]: true;
  name: string;
  type: ParameterType;
  help?: string;
  default?: unknown;
  required: boolean;
  isText?: boolean;
  encoding?: BufferEncoding;
}

export function isParameterDeclaration(v: unknown): v is ParameterDeclaration {
  return typeof v === 'object' && v !== null && (v as any)[PARAMETER] === true;
}

function typeName(options: ParameterOptions): ParameterType {
  switch (options.type) {
    case String:
      return 'string';
    case Number:
      return 'number';
    case Int:
      return 'int';
    case Boolean:
      return 'boolean';
    case JSONType:
      return 'json';
    case undefined:
      break;
    default:
      throw new Error(`unsupported parameter type ${String(options.type)}`);
  }
  return typeOfDefault(options.default === null ? 'null' : typeof options.default);
}

/**
 * Declares a parameter of the flow. Typed as the value it gives inside steps, so
 * `alpha = Parameter('alpha', { default: 0.01 })` reads as a number in `this.alpha`, and a
 * `JSONType` parameter as whatever its JSON holds. `type: Int` takes only integers.
 */
export function Parameter(name: string, options: ParameterOptions & { type: typeof JSONType }): any;
export function Parameter(name: string, options: ParameterOptions<string> & { type: StringConstructor }): string;
export function Parameter(name: string, options: ParameterOptions<number> & { type: NumberConstructor | typeof Int }): number;
export function Parameter(name: string, options: ParameterOptions<boolean> & { type: BooleanConstructor }): boolean;
export function Parameter<T = any>(name: string, options?: ParameterOptions<T>): T;
export function Parameter<T = any>(name: string, options: ParameterOptions<T> = {}): T {
  const decl: ParameterDeclaration = {
    [PARAMETER]: true,
    name,
    type: typeName(options),
    help: options.help,
    default: options.default,
    required: options.required ?? false,
  };
  return decl as unknown as T;
}

/** Declares a parameter whose value is a local file path, read at run start and stored as an artifact. */
export function IncludeFile(name: string, options: IncludeFileOptions = {}): any {
  const decl: ParameterDeclaration = {
    [PARAMETER]: true,
    name,
    type: 'file',
    help: options.help,
    default: options.default,
    required: options.required ?? false,
    isText: options.isText ?? true,
    encoding: options.encoding,
  };
  return decl;
}

/** Turns a command-line (or environment) string into the parameter's value, or throws a UserError. */
export function parseParameterValue(decl: ParameterDeclaration, raw: string, cwd = process.cwd()): unknown {
  if (decl.type === 'file') return readIncludedFile(decl, raw, cwd);
  return asUserError(decl, () => parseParameterText(decl.type, raw));
}

function asUserError(decl: ParameterDeclaration, parse: () => unknown): unknown {
  try {
    return parse();
  } catch (e) {
    if (e instanceof ParameterValueError) throw new UserError(`parameter '${decl.name}': ${e.message}`);
    throw e;
  }
}

function readIncludedFile(decl: ParameterDeclaration, path: string, cwd: string): string | Buffer {
  const full = resolve(cwd, path);
  try {
    const bytes = readFileSync(full);
    return decl.isText ? bytes.toString(decl.encoding ?? 'utf8') : bytes;
  } catch (e) {
    throw new UserError(
      `parameter '${decl.name}': cannot read file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/** The value a parameter takes when nothing is given for it. */
export function defaultValue(decl: ParameterDeclaration, cwd = process.cwd()): unknown {
  if (decl.default === undefined) return undefined;
  if (decl.type === 'json' && typeof decl.default === 'string') return asUserError(decl, () => parseJsonText(decl.default as string));
  if (decl.type === 'file') return readIncludedFile(decl, String(decl.default), cwd);
  return decl.default;
}

/** Checks a value that did not come from a string (a default, a params file) against the type. */
export function checkParameterValue(decl: ParameterDeclaration, value: unknown, source?: string): void {
  if (!valueFits(decl.type, value))
    throw new UserError(`parameter '${decl.name}': ${preview(value)}${source ? ` (from ${source})` : ''} is not ${typeNoun(decl.type)}`);
}

// Where a flow file's generated artifact types live (`.flowspec-types/` beside its project's
// tsconfig.json) and which texts they were generated from (the flow file's, and its configs' default
// files'): shared by the generator (analyzer/typesProgram.ts) and the extension's TypeScript server
// plugin (client/tsPlugin), which feeds the editor's TypeScript only the files generated from the
// texts it has.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { mayContainFlow } from './flowModel';

/** The folder, beside the project's tsconfig.json, that holds the generated declarations. */
export const TYPES_DIR = '.flowspec-types';

export interface TypesProject {
  /** The folder of the tsconfig (or of the flow file when there is none). */
  root: string;
  tsconfig?: string;
  /** The project's tsconfig includes TYPES_DIR: tsc sees the files, and check and run keep them fresh. */
  includesTypes: boolean;
}

/** The project a flow file (or a folder) belongs to: the nearest tsconfig.json above it. */
export function typesProject(fileOrDir: string): TypesProject {
  const full = path.resolve(fileOrDir);
  const start = existsSync(full) && statSync(full).isDirectory() ? full : path.dirname(full);
  const tsconfig = nearestTsconfig(start);
  if (!tsconfig) return { root: start, includesTypes: false };
  let includesTypes = false;
  try {
    includesTypes = readFileSync(tsconfig, 'utf8').includes(TYPES_DIR);
  } catch {
    // an unreadable tsconfig opts in to nothing
  }
  return { root: path.dirname(tsconfig), tsconfig, includesTypes };
}

function nearestTsconfig(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const candidate = path.join(d, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(d) === d) return undefined;
  }
}

/** Where the declarations of `file` go; undefined for a file outside its project's folder or a generated one. */
export function typesFileOf(project: TypesProject, file: string): string | undefined {
  const rel = path.relative(project.root, path.resolve(file));
  if (rel.startsWith('..') || path.isAbsolute(rel) || rel.startsWith(TYPES_DIR)) return undefined;
  return path.join(
    project.root,
    TYPES_DIR,
    rel.replace(/\.(c|m)?tsx?$/, (ext) => `.d${ext.replace('x', '')}`),
  );
}

/** The project folder of a generated file (the folder that holds its TYPES_DIR). */
export function typesRootOf(out: string): string {
  const parts = path.resolve(out).split(path.sep);
  return parts.slice(0, parts.lastIndexOf(TYPES_DIR)).join(path.sep) || path.sep;
}

/** Whether a path is one of the generated declaration files. */
export function isGeneratedTypesFile(file: string): boolean {
  return file.split(/[\\/]/).includes(TYPES_DIR);
}

/**
 * The header line of a generated file that names the flow file's text it was generated from: a
 * generated file that lacks the line of the flow file's current text is stale.
 */
export function sourceHashLine(sourceText: string): string {
  return `// from the text whose sha1 is ${createHash('sha1').update(sourceText).digest('hex')}\n`;
}

/**
 * The header line of a generated file that names another file it was generated from (a config's
 * default file, or a place where one was looked for), by its path relative to the project folder,
 * and that file's text: its sha1, `none` when there is no file.
 */
export function inputHashLine(relPath: string, sha1: string | undefined): string {
  return `// and from the file ${JSON.stringify(relPath.split(path.sep).join('/'))} whose sha1 is ${sha1 ?? 'none'}\n`;
}

const INPUT_HASH_LINE = /^\/\/ and from the file ("(?:[^"\\]|\\.)*") whose sha1 is ([0-9a-f]+|none)$/gm;

/** The files the header of a generated text names (inputHashLine): each path relative to the project folder, and its text's sha1. */
export function inputHashes(generatedText: string): { relPath: string; sha1: string | undefined }[] {
  const header = /^(\/\/.*\n)*/.exec(generatedText)![0];
  return [...header.matchAll(INPUT_HASH_LINE)].map(([, rel, sha1]) => ({
    relPath: JSON.parse(rel) as string,
    sha1: sha1 === 'none' ? undefined : sha1,
  }));
}

/**
 * Whether every file the header of a generated text names still has the text it was generated
 * from (or is still absent). `root`: the project folder.
 */
export function inputsFresh(generatedText: string, root: string): boolean {
  return inputHashes(generatedText).every(({ relPath, sha1 }) => fileSha1(path.resolve(root, relPath)) === sha1);
}

const fileHashes = new Map<string, { stamp: string; sha1: string }>();

/** The sha1 of a file's text (cached by size and modification time); undefined when there is no such file. */
export function fileSha1(file: string): string | undefined {
  let stamp: string;
  try {
    const st = statSync(file);
    if (!st.isFile()) return undefined;
    stamp = `${st.size} ${st.mtimeMs}`;
  } catch {
    return undefined;
  }
  const cached = fileHashes.get(file);
  if (cached?.stamp === stamp) return cached.sha1;
  const text = readText(file);
  if (text === undefined) return undefined;
  const sha1 = createHash('sha1').update(text).digest('hex');
  fileHashes.set(file, { stamp, sha1 });
  return sha1;
}

/**
 * The flow files among `files` whose declarations must be regenerated: in a project whose tsconfig
 * includes TYPES_DIR (the ones `check` and `run` keep fresh), their generated file is missing, or
 * was generated from another text of the flow file or of a config file it reads. Reads the files
 * only, no TypeScript: a caller can skip the generator (and loading it) when this is empty. A type
 * a flow names from another module is not followed: an edit there alone leaves the file counted fresh.
 */
export function staleTypesFiles(files: string[]): string[] {
  return files.filter((file) => {
    const project = typesProject(file);
    const out = project.includesTypes ? typesFileOf(project, file) : undefined;
    if (!out) return false;
    const source = readText(file);
    if (source === undefined || !mayContainFlow(source)) return false;
    const generated = readText(out);
    return !(generated?.includes(sourceHashLine(source)) && inputsFresh(generated, project.root));
  });
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

// The project around a folder: `flowspec.config.json` (project settings) and the project root,
// both found by walking up from the current directory, as Metaflow walks up to `.metaflow`.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from './errors';

export interface FolderConnection {
  path: string;
}

export interface ProjectConfig {
  /** Named folder connections for params files (`connection: NAME`). */
  connections?: Record<string, FolderConnection>;
  /** Packages a flow imports that stay out of its code package (see docs/projects.md). */
  external?: string[];
  [setting: string]: unknown;
}

export interface LoadedConfig {
  file: string;
  dir: string;
  config: ProjectConfig;
}

export const CONFIG_FILE = 'flowspec.config.json';

/** The nearest folder at or above `from` for which `holds` is true. */
export function findUp(from: string, holds: (dir: string) => boolean): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (holds(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The project root: the nearest folder at or above `from` holding flowspec.config.json or package.json. */
export function projectRoot(from = process.cwd()): string | undefined {
  return findUp(from, (dir) => existsSync(join(dir, CONFIG_FILE)) || existsSync(join(dir, 'package.json')));
}

export function loadProjectConfig(from = process.cwd()): LoadedConfig | undefined {
  const dir = findUp(from, (d) => existsSync(join(d, CONFIG_FILE)));
  if (!dir) return undefined;
  const file = join(dir, CONFIG_FILE);
  try {
    return { file, dir, config: JSON.parse(readFileSync(file, 'utf8')) };
  } catch (e) {
    throw new UserError(`${file}: ${(e as Error).message}`);
  }
}

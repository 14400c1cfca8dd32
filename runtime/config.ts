// `flowspec.config.json`: project settings, found in the current directory or the nearest parent.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from './errors';

export interface FolderConnection { path: string }

export interface ProjectConfig {
  /** Named folder connections for params files (`connection: NAME`). */
  connections?: Record<string, FolderConnection>;
  [setting: string]: unknown;
}

export interface LoadedConfig { file: string; dir: string; config: ProjectConfig }

export function loadProjectConfig(from = process.cwd()): LoadedConfig | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const file = join(dir, 'flowspec.config.json');
    if (existsSync(file)) {
      try {
        return { file, dir, config: JSON.parse(readFileSync(file, 'utf8')) };
      } catch (e) {
        throw new UserError(`${file}: ${(e as Error).message}`);
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

// Types of tsserver.mjs, for the TypeScript tests that use it.
export interface TsServer {
  /** Every syntactic and semantic diagnostic of `file`, as `TS<code> <line>: <text>` lines. */
  diagnostics(file: string, projectRootPath: string): Promise<string[]>;
  /** Go to definition at a 1-based line and offset of `file`: each definition as `<file>:<line>`. */
  definitions(file: string, projectRootPath: string, line: number, offset: number): Promise<string[]>;
  /** Whether TypeScript would rename at a 1-based line and offset of `file`, and if not why. */
  renameInfo(file: string, projectRootPath: string, line: number, offset: number): Promise<{ canRename: boolean; message?: string }>;
  stop(): void;
}
export function startTsServer(options?: { pluginProbeLocation?: string; tsserver?: string }): TsServer;

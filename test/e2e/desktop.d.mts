// Types of desktop.mjs (the desktop VS Code launcher of the e2e suite), for its test.
export const SUITE: string;
export interface DesktopRunOptions {
  vscodeExecutablePath?: string;
  version?: string;
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  launchArgs: string[];
  extensionTestsEnv: Record<string, string>;
}
export function desktopRunOptions(args: {
  root: string;
  workspace: string;
  env?: Record<string, string>;
  grep?: string;
  version?: string;
  vscodeExecutablePath?: string;
}): DesktopRunOptions;
export function needsXvfb(args?: { platform?: string; env?: NodeJS.ProcessEnv }): boolean;

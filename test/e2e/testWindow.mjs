// What both ways of running the e2e suite give the VS Code window they start (run.mjs: code-server
// in headless Chromium; desktop.mjs: desktop VS Code through @vscode/test-electron): its settings,
// its own copy of the workspace fixture, and the S3 test server the s3:// test reads.
import { fork } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './codeServer.mjs';

/** VS Code settings for the test window: quiet and predictable. */
export const WINDOW_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'workbench.colorTheme': 'Default Dark+',
  'window.autoDetectColorScheme': true,
  'workbench.preferredDarkColorTheme': 'Default Dark+',
  'typescript.suggest.enabled': false,
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** A copy of the workspace fixture (test/e2e/workspace) in `root`: the tests edit and run in it. */
export function copyWorkspace(root) {
  const workspace = join(root, 'workspace');
  cpSync(join(REPO, 'test/e2e/workspace'), workspace, { recursive: true });
  return workspace;
}

/**
 * The S3 test server (s3rver, as the S3 suites start it), for the Runs view's s3:// test: the
 * extension host and the runs it starts get its endpoint and keys in their environment, and the
 * test the datastore root to use (FLOWSPEC_E2E_S3_ROOT).
 */
export async function startS3(root) {
  const directory = join(root, 's3rver');
  mkdirSync(directory);
  const child = fork(join(REPO, 'test/scaleout/support/s3serverProcess.cjs'), [directory, 'flowspec-e2e'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const s3port = await new Promise((resolveS3, rejectS3) => {
    child.once('message', (m) => resolveS3(m.port));
    child.once('exit', (code) => rejectS3(new Error(`s3rver exited with code ${code} before listening`)));
  });
  return {
    child,
    env: {
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${s3port}`,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
      FLOWSPEC_S3_CACHE_DIR: join(root, 's3cache'),
      FLOWSPEC_E2E_S3_ROOT: 's3://flowspec-e2e/runs',
    },
  };
}

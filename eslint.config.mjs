// Lint: the layers of the codebase (docs/architecture.md) are enforced here, plus a few
// correctness rules. Layers, bottom to top:
//   model/  ←  runtime/, analyzer/  ←  cli/, server/  ←  client/
// A folder may import only from the folders below it. The local rule flowspec/imports
// (scripts/lint/imports.mjs) resolves every import form (require(), import(), `typeof import()`,
// './../x', '../runtime/../analyzer') before checking it, and refuses the package's own name inside
// the source; test/scripts/imports.test.ts shows each bypass caught.
import tseslint from 'typescript-eslint';
import imports from './scripts/lint/imports.mjs';

const LAYERS = {
  model: {
    forbidden: ['runtime', 'analyzer', 'cli', 'server', 'client', 'test'],
    why: 'model/ holds shared facts and imports nothing of ours',
  },
  runtime: {
    forbidden: ['analyzer', 'cli', 'server', 'client', 'test'],
    why: 'the runtime stands on model/ only (the CLI composes it with the analyzer)',
  },
  analyzer: {
    forbidden: ['runtime', 'cli', 'server', 'client', 'test'],
    why: 'the analyzer is pure: document in, model and diagnostics out',
  },
  cli: { forbidden: ['server', 'client', 'test'], why: 'the CLI composes the runtime and the analyzer, never the editor' },
  server: { forbidden: ['cli', 'client', 'test'], why: 'the language server composes the analyzer and the runtime, never the extension' },
  client: {
    forbidden: ['analyzer', 'cli', 'server', 'test'],
    why: 'the extension talks to the language server and the CLI; it does not re-implement analysis',
  },
};
/** Packages a layer must not import (the analyzer's ts-morph stays out of the CLI's and the runtime's bundles). */
const FORBIDDEN_PACKAGES = {
  model: ['ts-morph', 'typescript', 'vscode', 'vscode-languageserver', 'vscode-languageclient'],
  runtime: ['ts-morph', 'typescript', 'vscode', 'vscode-languageserver', 'vscode-languageclient'],
  analyzer: ['vscode', 'vscode-languageserver', 'vscode-languageclient'],
  cli: ['ts-morph', 'typescript', 'vscode', 'vscode-languageserver', 'vscode-languageclient'],
  server: ['vscode', 'vscode-languageclient'],
  client: ['ts-morph'],
};
/**
 * The zones of the `flowspec/imports` rule (scripts/lint/imports.mjs), which resolves every import
 * form before checking it: each layer's forbidden folders and packages, then the extension host's
 * datastore rule and the webviews' types-only rule.
 */
/** The modules of the datastore reader's worker thread (client/reader/worker.ts and what it runs). */
const READER_THREAD = ['client/reader/worker.ts', 'client/reader/queries.ts', 'client/reader/earlierRuns.ts'];

const ZONES = [
  ...Object.entries(LAYERS).map(([layer, { forbidden, why }]) => ({
    files: [layer],
    folders: forbidden,
    packages: FORBIDDEN_PACKAGES[layer],
    message: `${layer}/ must not import this: ${why}.`,
  })),
  {
    // The extension host never blocks on the datastore: the runtime's client API, the datastore
    // and the card store read synchronously (over s3:// each read waits for the network), so only
    // the datastore reader's worker thread (client/reader/, see protocol.ts) may use them. Types
    // may be imported; where a datastore is (runtime/datastore/root, s3Config) is configuration, and
    // the worker-thread machinery itself (runtime/datastore/readerThread) is how the host asks.
    files: ['client'],
    except: READER_THREAD,
    folders: ['runtime/client', 'runtime/cards/store', 'runtime/datastore'],
    foldersExcept: ['runtime/datastore/root', 'runtime/datastore/s3Config', 'runtime/datastore/readerThread'],
    allowTypes: true,
    message:
      'the extension host must not read the datastore: ask the datastore reader (client/reader/proxy.ts), whose worker thread runs the client API.',
  },
  {
    // Nor does it wait for the file system: where a folder's datastore is and whether Slurm is at
    // hand walk parent folders, read flowspec.config.json and scan the PATH, so they are asked of the
    // reader's thread too (ReaderOps.folderFacts) and cached (client/projectFacts.ts).
    files: ['client'],
    except: [...READER_THREAD, 'client/datastoreRoot.ts'],
    folders: ['client/datastoreRoot', 'runtime/config', 'runtime/datastore/root', 'runtime/slurm/settings', 'runtime/slurm/slurmCommands'],
    allowTypes: true,
    message:
      "the extension host must not walk folders or read project files synchronously: ask ProjectFacts (store.facts), which asks the datastore reader's thread.",
  },
  {
    // A webview gets data, not code: besides its own folder and bundled libraries (dagre), it may
    // import only types (the message shapes), never our modules' code.
    files: ['client/webview'],
    folders: ['model', 'runtime', 'analyzer', 'cli', 'server', 'client'],
    foldersExcept: ['client/webview'],
    allowTypes: true,
    message: 'a webview script may import only types from outside client/webview/ (it gets data by messages, not code).',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.e2e/**', 'test-output/**', 'test/fixtures/**', 'test/e2e/workspace/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-debugger': 'error',
      'no-dupe-keys': 'error',
      'no-duplicate-case': 'error',
      'no-self-assign': 'error',
      'no-unreachable': 'error',
      'no-unsafe-finally': 'error',
      'no-var': 'error',
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // A promise nobody awaits loses its error (and may still be writing when its caller returns); a
    // promise passed where a callback's result is ignored does both. These rules need the types
    // (tsconfig.json, through typescript-eslint's project service).
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/no-misused-promises': 'error' },
  },
  {
    files: ['**/*.ts'],
    plugins: { flowspec: imports },
    rules: { 'flowspec/imports': ['error', { root: import.meta.dirname, ownPackage: 'flowspec', zones: ZONES }] },
  },
  {
    // The extension host's thread is every extension's: no synchronous file system call there (the
    // reader's worker thread and the TypeScript server plugin run elsewhere).
    files: ['client/**/*.ts'],
    ignores: [...READER_THREAD, 'client/tsPlugin/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['CallExpression[callee.name=/Sync$/]', 'CallExpression[callee.property.name=/Sync$/]'].map((selector) => ({
          selector,
          message:
            "a synchronous call blocks the extension host's thread, every extension's: use the promise form (node:fs/promises, vscode.workspace.fs) or ask the datastore reader.",
        })),
      ],
    },
  },
);

// Lint: the layers of the codebase (docs/architecture.md) are enforced here, plus a few
// correctness rules. Layers, bottom to top:
//   model/  ←  runtime/, analyzer/  ←  cli/, server/  ←  client/
// A folder may import only from the folders below it. Imports are relative, so each rule is
// written per depth of the importing file (runtime/a.ts reaches the root with '../', runtime/x/a.ts
// with '../../', ...).
import tseslint from 'typescript-eslint';

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
const MAX_DEPTH = 6;

function layerConfigs(layer, { forbidden, why }) {
  return Array.from({ length: MAX_DEPTH }, (_, i) => {
    const depth = i + 1;
    const up = '\\.\\./'.repeat(depth);
    return {
      files: [`${layer}/${'*/'.repeat(i)}*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: FORBIDDEN_PACKAGES[layer].map((name) => ({ name, message: `${layer}/ must not import ${name}: ${why}.` })),
            patterns: [{ regex: `^${up}(${forbidden.join('|')})(/|$)`, message: `${layer}/ must not import this folder: ${why}.` }],
          },
        ],
      },
    };
  });
}

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
  ...Object.entries(LAYERS).flatMap(([layer, spec]) => layerConfigs(layer, spec)),
  {
    // The extension host never blocks on the datastore: the runtime's client API, the datastore
    // and the card store read synchronously (over s3:// each read waits for the network), so only
    // the datastore reader's worker thread (client/reader/, see protocol.ts) may use them. Types
    // may be imported; where a datastore is (runtime/datastore/root, s3Config) is configuration.
    files: ['client/**/*.ts'],
    ignores: ['client/reader/worker.ts', 'client/reader/queries.ts', 'client/reader/earlierRuns.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+runtime/(client|cards/store|datastore(?!/(root|s3Config)$))(/|$)',
              allowTypeImports: true,
              message:
                'the extension host must not read the datastore: ask the datastore reader (client/reader/proxy.ts), whose worker thread runs the client API.',
            },
          ],
        },
      ],
    },
  },
  {
    // A webview gets data, not code: besides its own folder and bundled libraries (dagre), it may
    // import only types (the message shapes), never our modules' code.
    files: ['client/webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./',
              allowTypeImports: true,
              message: 'a webview script may import only types from outside client/webview/ (it gets data by messages, not code).',
            },
          ],
        },
      ],
    },
  },
);

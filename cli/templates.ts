// The files `flowspec init` writes: a project that runs and type-checks at once. One module so the
// CLI bundle carries them (no template files to ship beside dist/cli.js).
import manifest from '../package.json';

/** The example flow, its params and config files, relative to the project folder (used by the scripts and the next steps). */
export const EXAMPLE_FLOW = 'flows/hello.ts';
export const EXAMPLE_PARAMS = 'flows/hello.params.yaml';
export const EXAMPLE_CONFIG = 'flows/hello.config.json';
export const EXAMPLE_TEST = 'test/hello.test.mjs';

/** The VS Code extension's id (publisher.name), recommended in .vscode/extensions.json. */
export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

/**
 * Path relative to the project folder → what the file holds. `flowspec` is the dependency spec
 * of the package the CLI runs from (cli/installedFrom.ts), so `npm install` gets that same one.
 */
export function projectFiles(packageName: string, flowspec: string): Record<string, string> {
  return {
    'package.json': json({
      name: packageName,
      version: '0.1.0',
      private: true,
      scripts: {
        'flow:run': `flowspec run ${EXAMPLE_FLOW} --params ${EXAMPLE_PARAMS}`,
        'flow:check': `flowspec check ${EXAMPLE_FLOW}`,
        typecheck: 'flowspec types && tsc --noEmit',
        test: `node --test ${EXAMPLE_TEST}`,
      },
      devDependencies: {
        [manifest.name]: flowspec,
        '@types/node': manifest.devDependencies['@types/node'],
        typescript: manifest.devDependencies.typescript,
      },
    }),
    'tsconfig.json': TSCONFIG,
    [EXAMPLE_FLOW]: EXAMPLE_FLOW_SOURCE,
    [EXAMPLE_PARAMS]: EXAMPLE_PARAMS_SOURCE,
    [EXAMPLE_CONFIG]: json({ punctuation: '!', retries: 1 }),
    [EXAMPLE_TEST]: EXAMPLE_TEST_SOURCE,
    '.gitignore': 'node_modules/\n.flowspec/\n.flowspec-types/\n',
    '.vscode/extensions.json': json({ recommendations: [EXTENSION_ID] }),
  };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

// Standard (TC39) decorators: `@step` needs no experimentalDecorators. Bundler resolution is how
// flowspec itself loads a flow (esbuild bundles it), so `./util` imports resolve the same way.
// No `types`/`lib`: Node's types come from @types/node once installed (the extension supplies them
// until then). `.flowspec-types` holds the artifact types flowspec generates (a dot-folder, which
// "**/*" leaves out, so it is named).
const TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "preserve",
    "moduleResolution": "bundler",
    "strict": true,
    "noEmit": true,
    "isolatedModules": true,
    "esModuleInterop": true,
    "resolveJsonModule": true,
    "skipLibCheck": true,
    "forceConsistentCasingInFileNames": true
  },
  "include": ["**/*", ".flowspec-types/**/*"]
}
`;

const EXAMPLE_FLOW_SOURCE = `import { Config, configExpr, FlowSpec, Inputs, Parameter, retry, step } from 'flowspec';

/** The shape of hello.config.json: settings that shape the flow itself, not just its values. */
interface Style {
  punctuation: string;
  retries: number;
}

/**
 * Greets each name in its own task (a foreach), then counts and shouts the greetings in parallel
 * (a branch). Run it with \`npm run flow:run\`, or with ▶ Run above the class in VS Code.
 */
export class HelloFlow extends FlowSpec {
  greeting = Parameter('greeting', { help: 'What to say to each name', default: 'Hello' });
  names = Parameter('names', { help: 'Who to greet, comma-separated', default: 'Ada, Grace' });
  /** Read once when a run starts from hello.config.json (next to this file); \`--config style FILE\` reads another. */
  style = Config<Style>('style', { default: 'hello.config.json' });

  /** Every assignment to \`this\` is an artifact, stored and readable from later steps and runs. */
  @step start() {
    this.people = this.names.split(',').map((name) => name.trim()).filter(Boolean);
    this.next(this.greet, { foreach: 'people' });
  }

  /** Runs once per name, in parallel: \`this.input\` is this task's name. Retried as often as the config says. */
  @retry({ times: configExpr('style.retries') })
  @step greet() {
    this.message = \`\${this.greeting}, \${this.input}\${this.style.punctuation}\`;
    this.next(this.collect);
  }

  /**
   * Joins the foreach: \`inputs\` holds one entry per greet task, in order. \`Inputs<this>\` types
   * them with the flow's artifacts (\`flowspec types\` generates them; check, run and the editor too).
   */
  @step collect(inputs: Inputs<this>) {
    this.messages = [...inputs].map((input) => input.message);
    this.next(this.count, this.shout);
  }

  @step count() {
    this.total = this.messages.length;
    this.next(this.report);
  }

  @step shout() {
    this.loud = this.messages.map((message: string) => message.toUpperCase());
    this.next(this.report);
  }

  /** Joins the branch: each branch's artifacts by step name. */
  @step report(inputs: Inputs<this>) {
    this.summary = \`\${inputs.count.total} greetings: \${inputs.shout.loud.join(' ')}\`;
    this.next(this.end);
  }

  @step end() {
    console.log(this.summary);
  }
}
`;

const EXAMPLE_PARAMS_SOURCE = `# flowspec: hello.ts HelloFlow
# Parameters of HelloFlow: \`flowspec run ${EXAMPLE_FLOW} --params ${EXAMPLE_PARAMS}\`.
# The command line wins over this file (\`--greeting Hi\`).
greeting:
  value: Hi
names:
  value: Ada, Grace, Linus
`;

// node:test: testing the flow needs no dependency beyond flowspec itself.
const EXAMPLE_TEST_SOURCE = `// Tests of HelloFlow with the Runner API (\`npm test\`): each call runs the flow, or one step of
// an earlier run, in a temporary datastore and resolves to what the client API reads.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { run, spin } from 'flowspec/runner';

const flow = fileURLToPath(new URL('../${EXAMPLE_FLOW}', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'hello-flow-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('greets every name, then counts and shouts the greetings', async () => {
  const result = await run(flow, { params: { greeting: 'Hi', names: 'Ada, Grace' }, root });
  assert.equal(result.successful, true);
  assert.equal(result.data.summary, '2 greetings: HI, ADA! HI, GRACE!');
});

test('greet, spun alone on the second name of an earlier run', async () => {
  const earlier = await run(flow, { params: { names: 'Ada, Grace' }, root });
  const task = await spin(flow, 'greet', { runId: earlier.id, index: 1, root });
  assert.equal(task.data.message, 'Hello, Grace!');
});
`;

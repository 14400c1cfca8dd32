// The inner loop's figures (not a test), issue 24: a 3-step flow run through the `flowspec` bin of
// a project outside the repo (made by `flowspec init` from the packed package, then `npm install`),
// the file unchanged since its last run, then edited before each run as a person does (an
// artifact's type changes, and the bench waits, as a person reads, until the background refresh
// has written its types); and the editor's path without VS Code: the language server writes the
// verdict of the edited document (`flowspec/willRun`), then the CLI runs. Medians of 7, with the worst
// and the CPU time of the CLI and its workers (the figure that holds when the machine is busy).
// Run: npm run bench:inner-loop, or in `npm run bench`'s table (FLOWSPEC_TARBALL=path.tgz benches another build's package)
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../test/server/lspClient';
import { waitFor } from '../test/support/wait';
import { childrenCpuMs, packageUnderTest, sh, timed, Timing, timedFigure } from './support/commands';

const TIMES = 7;
const GOALS = { unchanged: 250, edited: 350, editor: 600 };

const flowText = (i: number) => `import { FlowSpec, step } from 'flowspec';

/** Three steps in a line, passing an artifact along. */
export class InnerLoopFlow extends FlowSpec {
  @step start() {
    this.value = ${i % 2 ? `'${i}'` : i};
    this.next(this.middle);
  }

  @step middle() {
    this.shown = \`value \${this.value}\`;
    this.next(this.end);
  }

  @step end() {
    console.log(this.shown);
  }
}
`;

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'flowspec-bench-inner-'));
  const tarball = packageUnderTest(work);
  const project = join(work, 'project');
  const env = { FLOWSPEC_CACHE_DIR: join(work, 'cache'), FLOWSPEC_DATASTORE_ROOT: join(work, 'datastore') };
  sh('npx', ['--yes', '--package', tarball, 'flowspec', 'init', project], work, env);
  sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], project);
  const bin = join(project, 'node_modules/.bin/flowspec');
  const file = join(project, 'flows/inner.ts');
  const declarations = join(project, '.flowspec-types/flows/inner.d.ts');
  const run = () => timed(() => sh(bin, ['run', 'flows/inner.ts'], project, env));
  /** The person's pause after a run: until the background refresh has written the edited artifact's type. */
  const typesOf = (i: number) =>
    waitFor(`the types of edit ${i}`, () => readFileSync(declarations, 'utf8').includes(`value: ${i % 2 ? 'string' : 'number'};`), 120_000);

  writeFileSync(file, flowText(0));
  run();
  await typesOf(0);
  timedFigure(
    'run of 3 steps, file unchanged since its last run',
    Array.from({ length: TIMES }, () => run()),
    GOALS.unchanged,
  );
  const edited: Timing[] = [];
  for (let i = 1; i <= TIMES; i++) {
    writeFileSync(file, flowText(i));
    edited.push(run());
    await typesOf(i);
  }
  timedFigure('run of 3 steps, file edited before each run', edited, GOALS.edited);

  // The editor: the server holds the document's analysis; ▶ Run saves it, asks the server to write
  // the verdict, and starts the CLI. The server is the repo's dist/server.js: its verdicts serve the
  // installed CLI when both are this build (the extension ships the two together); for another
  // build's package (FLOWSPEC_TARBALL), this is a run that checks the flow itself.
  const server = new LspClient(env);
  await server.initialize();
  const uri = pathToFileURL(file).href;
  await server.open(uri, flowText(TIMES));
  const editor: Timing[] = [];
  for (let i = TIMES + 1; i <= 2 * TIMES; i++) {
    await server.change(uri, undefined, flowText(i));
    await server.flush();
    writeFileSync(file, flowText(i));
    const [started, cpu] = [performance.now(), childrenCpuMs()];
    await server.request('flowspec/willRun', { uri, flow: 'InnerLoopFlow' });
    sh(bin, ['run', 'flows/inner.ts'], project, env);
    editor.push({ ms: performance.now() - started, cpuMs: childrenCpuMs() - cpu });
    await typesOf(i);
  }
  await server.stop();
  timedFigure("editor run (edited): the server's verdict, then the CLI", editor, GOALS.editor);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

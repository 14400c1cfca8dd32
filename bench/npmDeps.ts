// A flow importing an ordinary npm package (csv-parse, installed from the registry), issue 24 item 3 (not
// a test): a new project's first run through `node_modules/.bin/flowspec` (empty caches, an empty
// datastore), its run after each edit of the flow file (medians of 5, with the worst and the CPU time
// of the CLI and its workers), and the bundling alone of an edited flow with the packages' bundle from
// the cache and rebuilt, for csv-parse and for a large package (the AWS SDK's S3 client, with yaml).
// Run: npm run bench:npm-deps, or in `npm run bench`'s table (FLOWSPEC_TARBALL=path.tgz benches another build's package)
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleFlowFile } from '../runtime/flowcode/bundle';
import { openDatastore } from '../runtime/datastore';
import { packageUnderTest, sh, timed, timedFigure } from './support/commands';
import { figure, median } from './support/figure';

const TIMES = 5;

/** A flow importing a large package (the AWS SDK's S3 client, a few hundred modules) and yaml. */
const BIG_FLOW = `import { FlowSpec, step } from 'flowspec';
import { S3Client } from '@aws-sdk/client-s3';
import { parse } from 'yaml';

export class BigFlow extends FlowSpec {
  @step start() {
    this.region = new S3Client({ region: 'us-east-1' }) ? parse('region: us-east-1').region : '';
    this.next(this.end);
  }
  @step end() {}
}
`;

const FLOW = `import { FlowSpec, step } from 'flowspec';
import { parse } from 'csv-parse/sync';

export class CsvFlow extends FlowSpec {
  @step start() {
    this.rows = parse('name,n\\na,1\\nb,2\\n', { columns: true });
    this.next(this.count);
  }
  @step count() {
    this.total = this.rows.length;
    this.next(this.end);
  }
  @step end() {
    console.log(\`rows \${this.total}\`);
  }
}
`;

async function timedAsync(f: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await f();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'flowspec-bench-deps-'));
  const tarball = packageUnderTest(work);
  const project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'deps-bench', private: true }));
  writeFileSync(join(project, 'flow.ts'), FLOW);
  writeFileSync(join(project, 'big.ts'), BIG_FLOW);
  const packages = [tarball, 'csv-parse@7', '@aws-sdk/client-s3@3', 'yaml@2'];
  sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...packages], project);
  const bin = join(project, 'node_modules/.bin/flowspec');
  let fresh = 0;
  /** Caches and a datastore of their own: what a new project's first run has. */
  const freshEnv = () => {
    fresh++;
    return { FLOWSPEC_CACHE_DIR: join(work, `cache-${fresh}`), FLOWSPEC_DATASTORE_ROOT: join(work, `datastore-${fresh}`) };
  };
  const run = (env: NodeJS.ProcessEnv) => timed(() => sh(bin, ['run', 'flow.ts'], project, env));

  timedFigure(
    'first run of a new project importing csv-parse (node_modules/.bin/flowspec)',
    Array.from({ length: TIMES }, () => run(freshEnv())),
    1000,
  );
  const env = freshEnv();
  run(env);
  const edited = Array.from({ length: TIMES }, (_, i) => {
    appendFileSync(join(project, 'flow.ts'), `// edit ${i}\n`);
    return run(env);
  });
  timedFigure('run of the same flow, edited before each run', edited, 350);

  // The bundling alone, in this process (esbuild started): the packages from the cache, then rebuilt.
  const datastore = openDatastore(join(work, 'bundles'));
  const bundles = async (file: string, cacheEach: boolean) => {
    const ms: number[] = [];
    process.env.FLOWSPEC_CACHE_DIR = join(work, 'bundle-cache');
    await bundleFlowFile(join(project, file), datastore);
    for (let i = 0; i < TIMES; i++) {
      if (cacheEach) process.env.FLOWSPEC_CACHE_DIR = join(work, `bundle-cache-${file}-${i}`);
      appendFileSync(join(project, file), `// bundle edit ${i}\n`);
      ms.push(await timedAsync(() => bundleFlowFile(join(project, file), datastore)));
    }
    return ms;
  };
  const bundleFigure = (name: string, ms: number[], goal: string) =>
    figure(name, median(ms), 'ms', { words: goal }, `worst ${Math.max(...ms).toFixed(0)} ms`);
  for (const [file, what] of [
    ['flow.ts', 'csv-parse'],
    ['big.ts', '@aws-sdk/client-s3 and yaml'],
  ]) {
    bundleFigure(`bundle of the edited flow, ${what} from the cache`, await bundles(file, false), 'the packages are not rebuilt');
    bundleFigure(`bundle of the edited flow, ${what} rebuilt (an empty cache)`, await bundles(file, true), 'for comparison');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// `flowspec run`'s pre-run check on its fast paths: the analyzer loaded from its code cache still
// refuses a broken graph (a damaged cache included), the check a pool's worker makes of an edited
// file while the flow is bundled refuses what the check does (whichever flow of the file runs), and
// the artifact types are refreshed in the background, recorded in the verdict of the text they were made from
// (and refreshed again when a config's default file they were made from changed).
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLOWS, EXAMPLES, freshRoot, runCli } from '../support/cli';
import { waitFor } from '../support/wait';

/** How long a busy machine may keep the run's background refresh of the types from its end. */
const BACKGROUND_MS = 180_000;

/** The code cache files of `name` (analysis, cli, worker, esbuild) in a cache folder. */
function codeCaches(cache: string, name: string): string[] {
  try {
    return readdirSync(join(cache, 'code'))
      .filter((f) => f.startsWith(`${name}-`))
      .map((f) => join(cache, 'code', f));
  } catch {
    return [];
  }
}

describe('flowspec run: the pre-run check', function () {
  this.timeout(300_000);

  it("keeps the analyzer's compiled code in the cache folder, and refuses an invalid graph with it, or with a damaged one", () => {
    const cache = freshRoot();
    const file = join(freshRoot(), 'invalid_graph.ts');
    copyFileSync(join(FLOWS, 'invalid_graph.ts'), file);
    const refused = () => {
      const r = runCli(['run', file], freshRoot(), { FLOWSPEC_CACHE_DIR: cache });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(
        r.stderr,
        /^flowspec: InvalidGraphFlow cannot run:\n {2}.*invalid_graph\.ts:11:\d+: error unknown-step: 'nowhere' is not a step/,
      );
      assert.doesNotMatch(r.stdout, /Workflow starting/);
    };
    // Another build's cache (~10 MB) is removed when this build saves its own.
    const otherBuild = join(cache, 'code', `analysis-0000-${process.versions.v8}.bin`);
    mkdirSync(join(cache, 'code'));
    writeFileSync(otherBuild, 'another build');
    refused();
    const [saved, ...more] = codeCaches(cache, 'analysis');
    assert.ok(saved, 'the first load saved the compiled analyzer');
    assert.deepEqual(more, [], "and removed the other build's");
    // Each edit is a new text: checked again, by the analyzer from the code cache.
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n// edited\n`);
    refused();
    writeFileSync(saved, 'not V8 code');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n// edited again\n`);
    refused();
    assert.ok(statSync(saved).size > 1000, 'the damaged cache was replaced');
  });

  it('starts from the compiled code of the CLI, its workers and esbuild in the cache folder, and runs with a damaged one', () => {
    const cache = freshRoot();
    const file = join(freshRoot(), 'linear.ts');
    copyFileSync(join(EXAMPLES, 'linear.ts'), file);
    const runs = () => {
      const r = runCli(['run', file], freshRoot(), { FLOWSPEC_CACHE_DIR: cache });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /message: HELLO!/);
    };
    // Another build's (~0.3 MB each) is removed when this build saves its own.
    const otherBuild = join(cache, 'code', `cli-0000-${process.versions.v8}.bin`);
    mkdirSync(join(cache, 'code'));
    writeFileSync(otherBuild, 'another build');
    runs();
    const saved = ['cli', 'worker', 'esbuild'].map((name) => {
      const [one, ...more] = codeCaches(cache, name);
      assert.ok(one, `the code cache of ${name} was saved`);
      assert.deepEqual(more, [], `one code cache of ${name}`);
      return one;
    });
    assert.notEqual(saved[0], otherBuild, "the other build's is gone");
    for (const f of saved) writeFileSync(f, 'not V8 code');
    runs();
    for (const f of saved) assert.ok(statSync(f).size > 1000, `${f} was replaced`);
    runs();
  });

  it("refuses an edit that breaks the flow, checked by a worker while the flow is bundled, and runs the fixed text; --flow picks a file's flow", () => {
    const cache = freshRoot();
    const project = freshRoot();
    const file = join(project, 'edited.ts');
    const flow = (name: string, start: string) => `export class ${name} extends FlowSpec {
  @step start() {
    this.x = 1;
    ${start}
  }
  @step end() {
    console.log('x is', this.x);
  }
}
`;
    const header = "import { FlowSpec, step } from 'flowspec';\n\n";
    const run = (...args: string[]) => runCli(['run', file, ...args], freshRoot(), { FLOWSPEC_CACHE_DIR: cache }, project);
    writeFileSync(file, header + flow('EditedFlow', 'this.next(this.end);'));
    assert.equal(run().code, 0);
    // The edit: start's path ends without this.next.
    writeFileSync(file, header + flow('EditedFlow', '// this.next(this.end);'));
    const refused = run();
    assert.equal(refused.code, 2, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /^flowspec: EditedFlow cannot run:\n {2}edited\.ts:\d+:\d+: error missing-transition: /);
    assert.doesNotMatch(refused.stdout, /Workflow starting/);
    writeFileSync(file, header + flow('EditedFlow', 'this.next(this.end);') + '// fixed\n');
    const fixed = run();
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.match(fixed.stdout, /x is 1/);
    // Two flows, one broken: each is checked as itself, the broken one refused.
    writeFileSync(file, header + flow('GoodFlow', 'this.next(this.end);') + flow('BrokenFlow', 'this.next(this.nowhere);'));
    const broken = run('--flow', 'BrokenFlow');
    assert.equal(broken.code, 2, broken.stdout + broken.stderr);
    assert.match(broken.stderr, /^flowspec: BrokenFlow cannot run:\n {2}edited\.ts:\d+:\d+: error unknown-step: 'nowhere' is not a step/);
    const good = run('--flow', 'GoodFlow');
    assert.equal(good.code, 0, good.stderr);
  });

  it('refreshes the artifact types in the background and records them in the verdict of the text it ran', async () => {
    const cache = freshRoot();
    const project = freshRoot();
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true }, include: ['**/*', '.flowspec-types/**/*'] }),
    );
    const file = join(project, 'linear.ts');
    copyFileSync(join(EXAMPLES, 'linear.ts'), file);
    const r = runCli(['run', file], freshRoot(), { FLOWSPEC_CACHE_DIR: cache });
    assert.equal(r.code, 0, r.stderr);
    const declarations = join(project, '.flowspec-types/linear.d.ts');
    await waitFor('the declarations of linear.ts', () => /\bmessage: string;/.test(readFileSync(declarations, 'utf8')), BACKGROUND_MS);
    const verdicts = () => readdirSync(join(cache, 'check')).map((f) => JSON.parse(readFileSync(join(cache, 'check', f), 'utf8')));
    await waitFor('the verdict to record them', () => verdicts().some((v) => v.types?.[0]?.out === declarations), BACKGROUND_MS);
  });

  it("refreshes them again when only a config's default file changed, though the flow's text (and its verdict) did not", async () => {
    const cache = freshRoot();
    const project = freshRoot();
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true }, include: ['**/*', '.flowspec-types/**/*'] }),
    );
    const file = join(project, 'sized.ts');
    writeFileSync(
      file,
      `import { Config, FlowSpec, step } from 'flowspec';

export class SizedFlow extends FlowSpec {
  cfg = Config('cfg', { default: 'sized.json' });
  @step start() {
    console.log(\`cpu \${this.cfg.cpu}\`);
    this.next(this.end);
  }
  @step end() {}
}
`,
    );
    writeFileSync(join(project, 'sized.json'), '{ "cpu": "four" }');
    const run = () => runCli(['run', file], project, { FLOWSPEC_CACHE_DIR: cache });
    const declarations = join(project, '.flowspec-types/sized.d.ts');
    const typed = (type: string) => () => {
      try {
        return readFileSync(declarations, 'utf8').includes(`{ cpu: ${type} }`);
      } catch {
        return false;
      }
    };
    assert.equal(run().code, 0);
    await waitFor('cpu: string in the declarations', typed('string'), BACKGROUND_MS);
    const verdicts = () => readdirSync(join(cache, 'check')).map((f) => JSON.parse(readFileSync(join(cache, 'check', f), 'utf8')));
    await waitFor('the verdict to record them', () => verdicts().some((v) => v.types?.[0]?.out === declarations), BACKGROUND_MS);
    writeFileSync(join(project, 'sized.json'), '{ "cpu": 4 }');
    const again = run();
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /cpu 4/);
    await waitFor('cpu: number in the declarations', typed('number'), BACKGROUND_MS);
  });
});

describe('flowspec run: the code package of an unchanged flow is reused', function () {
  this.timeout(300_000);

  /** Files as a person leaves them between runs: written a while ago (a package is recorded only for files older than its build). */
  function writeOld(file: string, text: string): void {
    writeFileSync(file, text);
    const past = new Date(Date.now() - 60_000);
    utimesSync(file, past, past);
  }

  it('until a file it imports changes, a file appears that an import resolves to, or a tsconfig.json changes', () => {
    const cache = freshRoot();
    const root = freshRoot();
    const project = freshRoot();
    const file = join(project, 'reuse.ts');
    writeOld(
      file,
      `import { FlowSpec, step } from 'flowspec';
import { greeting } from './helper';

export class ReuseFlow extends FlowSpec {
  @step start() {
    this.message = greeting();
    this.next(this.end);
  }
  @step end() {
    console.log('says', this.message);
  }
}
`,
    );
    writeOld(join(project, 'helper.js'), "export function greeting() { return 'hello from js'; }\n");
    const says = (expected: string) => {
      const r = runCli(['run', file], root, { FLOWSPEC_CACHE_DIR: cache }, project);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, new RegExp(`says ${expected}\\n`));
    };
    says('hello from js');
    assert.equal(readdirSync(join(cache, 'code-packages')).length, 1, 'the package was recorded');
    says('hello from js');
    // An imported file changes (its size too, or only its time).
    writeOld(join(project, 'helper.js'), "export function greeting() { return 'hello again'; }\n");
    says('hello again');
    writeFileSync(join(project, 'helper.js'), "export function greeting() { return 'hello agai2'; }\n");
    says('hello agai2');
    // A file beside it that the import now resolves to (esbuild prefers .ts to .js).
    writeOld(join(project, 'helper.ts'), "export function greeting(): string { return 'hello from ts'; }\n");
    says('hello from ts');
    // A tsconfig.json that appears, then changes: its paths send the import elsewhere.
    mkdirSync(join(project, 'other'));
    writeOld(join(project, 'other/helper.ts'), "export function greeting(): string { return 'hello from other'; }\n");
    writeOld(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: {} }));
    says('hello from ts');
    writeOld(file, readFileSync(file, 'utf8').replace("'./helper'", "'@h/helper'"));
    writeOld(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@h/*': ['./*'] } } }));
    says('hello from ts');
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@h/*': ['./other/*'] } } }));
    says('hello from other');
    says('hello from other');
  });
});

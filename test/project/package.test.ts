// What `npm pack` ships: the runtime, the CLI, the client API and their types, not the editor
// (the .vsix is its own artifact) nor sources or tests; and `npx flowspec` works once installed.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { flowspec, makeProject, sh, tarball, WORK } from './support/projects';

describe('the packed package', function () {
  this.timeout(180_000);

  it('holds the runtime, CLI, client API and types, and nothing of the editor, sources or tests', () => {
    const listed = sh('tar', ['-tzf', tarball()], WORK);
    assert.equal(listed.code, 0, listed.stderr);
    const files = listed.stdout
      .trim()
      .split('\n')
      .map((f) => f.replace(/^package\//, ''));
    for (const f of [
      'package.json',
      'README.md',
      'dist/cli.js',
      'dist/analysis.js',
      'dist/flowspec.js',
      'dist/client.js',
      'dist/s3worker.js',
      'dist/types/runtime/index.d.ts',
      'dist/types/runtime/client/index.d.ts',
      'dist/runner.js',
      'dist/types/runtime/runner/index.d.ts',
    ]) {
      assert.ok(files.includes(f), `${f} is in the tarball`);
    }
    const unwanted = files.filter(
      (f) =>
        /^(client|server|analyzer|runtime|cli|model|test|bench|examples|scripts)\/|^dist\/(extension|server|webview|e2e)|\.map$|\.ts$/.test(
          f,
        ) && !f.endsWith('.d.ts'),
    );
    assert.deepEqual(unwanted, []);

    const manifest = JSON.parse(sh('tar', ['-xzOf', tarball(), 'package/package.json'], WORK).stdout);
    assert.equal(manifest.private, undefined);
    assert.deepEqual(Object.keys(manifest.dependencies), ['esbuild'], 'what the extension and the S3 worker use is bundled');
  });

  it('`npx flowspec` works in a project that installed it', () => {
    const project = makeProject('cli', {
      'package.json': JSON.stringify({ name: 'cli-project', private: true }),
      'flow.ts': `import { FlowSpec, step } from 'flowspec';\nexport class HelloFlow extends FlowSpec {\n  @step start() { this.next(this.end); }\n  @step end() {}\n}\n`,
    });
    const help = flowspec(project, ['--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^usage: flowspec <command>/);
    const check = flowspec(project, ['check', 'flow.ts']);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    const graph = flowspec(project, ['graph', join(project, 'flow.ts'), '--format', 'mermaid']);
    assert.equal(graph.code, 0, graph.stderr);
    assert.match(graph.stdout, /step_start --> step_end/);
  });
});

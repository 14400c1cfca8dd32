// The package as another project sees it once installed: `flowspec` and `flowspec/client` resolve
// through the exports map, with types, and a script reads runs through the client API.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLES, freshRoot, REPO, runCli } from '../support/cli';
import { writeStrictTsconfig } from '../support/tsconfig';

describe('the installed package', () => {
  it('a project imports flowspec and flowspec/client, type-checks, and reads a run', () => {
    const project = mkdtempSync(join(tmpdir(), 'flowspec-project-'));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(REPO, join(project, 'node_modules/flowspec'));
    writeFileSync(
      join(project, 'report.ts'),
      `import { Flow } from 'flowspec/client';
import { FlowSpec, step, Parameter } from 'flowspec';

export class Typed extends FlowSpec {
  n = Parameter('n', { default: 1 });
  @step start() { this.doubled = this.n * 2; this.next(this.end); }
  @step end() {}
}

const run = new Flow('LinearFlow').latestSuccessfulRun;
const message: string = run?.data.message;
console.log(\`\${run?.pathspec} says \${message}\`);
`,
    );
    writeStrictTsconfig(project, ['report.ts']);
    const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', project], { encoding: 'utf8' });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);

    const root = freshRoot();
    assert.equal(runCli(['run', join(EXAMPLES, 'linear.ts')], root).code, 0);
    const script = spawnSync(
      process.execPath,
      [
        '-e',
        `const { Flow } = require('flowspec/client'); const r = new Flow('LinearFlow').latestRun; console.log(r.pathspec, r.data.message);`,
      ],
      {
        cwd: project,
        encoding: 'utf8',
        env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: root },
      },
    );
    assert.equal(script.status, 0, script.stderr);
    assert.equal(script.stdout.trim(), 'LinearFlow/1 HELLO!');
  });
});

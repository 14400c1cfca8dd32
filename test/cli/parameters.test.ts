// `Int` parameters in a user's project: only integers on the command line and in a params file
// (one clear line otherwise), the value stored as a number, and `this.n` typed `number` by tsc.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { REPO } from '../support/cli';
import { assertOneLine, cli, freshRoot, project } from '../faults/support';
import { writeStrictTsconfig } from '../support/tsconfig';

const FLOW = `import { FlowSpec, step, Parameter, Int } from 'flowspec';

export class CountFlow extends FlowSpec {
  n = Parameter('n', { type: Int, default: 5, help: 'How many' });

  @step start() {
    const whole: number = this.n;
    this.doubled = whole * 2;
    this.next(this.end);
  }
  @step end() {}
}
`;

describe('Int parameters', () => {
  it('take integers only, on the command line and in a params file, and are numbers in steps', () => {
    const dir = project({ 'flow.ts': FLOW, 'bad.yaml': 'n:\n  value: 2.5\n', 'good.yaml': 'n:\n  value: 7\n' });
    const root = freshRoot();
    for (const text of ['2.5', '1e2', '0x10', 'five', '']) {
      assertOneLine(cli(['run', 'flow.ts', '--n', text], root, dir), 2, new RegExp(`parameter 'n': '${text}' is not an integer`));
    }
    assertOneLine(
      cli(['run', 'flow.ts', '--params', 'bad.yaml'], root, dir),
      2,
      /parameter 'n': 2\.5 \(from .*bad\.yaml\) is not an integer/,
    );
    assert.deepEqual(Flow.list({ root }), [], 'nothing was created');

    assert.equal(cli(['run', 'flow.ts', '--n', '-3'], root, dir).code, 0);
    assert.equal(cli(['run', 'flow.ts', '--params', 'good.yaml'], root, dir).code, 0);
    assert.equal(cli(['run', 'flow.ts'], root, dir).code, 0);
    const runs = new Flow('CountFlow', { root }).runs();
    assert.deepEqual(
      runs.map((r) => [r.parameters.n, r.data.doubled]),
      [
        [5, 10],
        [7, 14],
        [-3, -6],
      ],
    );

    const help = cli(['run', 'flow.ts', '--help'], root, dir);
    assert.match(help.stdout, /--n VALUE {2}\(int, default: 5\)/);
  });

  it('type-check as numbers in a strict project', () => {
    const dir = project({ 'flow.ts': FLOW });
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(REPO, join(dir, 'node_modules/flowspec'));
    writeFileSync(join(dir, 'wrong.ts'), FLOW.replace('const whole: number = this.n;', 'const whole: string = this.n;'));
    writeStrictTsconfig(dir, ['flow.ts']);
    const tsc = () => spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    const ok = tsc();
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    writeStrictTsconfig(dir, ['wrong.ts']);
    assert.match(tsc().stdout, /Type 'number' is not assignable to type 'string'/);
  });
});

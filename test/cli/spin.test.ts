// `flowspec spin`: one step, as the file is now, with the inputs a task of it had in an earlier
// run; stored apart from runs (or nowhere); every bad input one line and exit 2.
import * as assert from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { CLI, CliResult, FLOWS, runCli } from '../support/cli';
import { waitFor } from '../support/wait';

const LINEAR = `import { FlowSpec, step, Parameter } from 'flowspec';
export class LinearFlow extends FlowSpec {
  alpha = Parameter('alpha', { default: 2 });
  greeting = 'hi';
  @step start() { this.x = 1; this.next(this.train); }
  @step train() {
    console.log('training with', this.x, this.alpha, this.greeting);
    this.y = this.x * this.alpha;
    this.next(this.end);
  }
  @step end() {}
}
`;

const BRANCH = `import { FlowSpec, Inputs, step } from 'flowspec';
export class BranchFlow extends FlowSpec {
  @step start() { this.next(this.a, this.b); }
  @step a() { this.x = 1; this.next(this.join); }
  @step b() { this.x = 2; this.next(this.join); }
  @step join(inputs: Inputs) {
    this.total = inputs.a.x + inputs.b.x;
    console.log('a is ' + inputs.a.x + ', b is ' + inputs.b.x);
    this.next(this.end);
  }
  @step end() {}
}
`;

const FOREACH = `import { FlowSpec, Inputs, step } from 'flowspec';
export class ForeachFlow extends FlowSpec {
  @step start() { this.titles = ['x', 'y', 'z']; this.next(this.item, { foreach: 'titles' }); }
  @step item() { this.title = this.input + '@' + this.index; console.log('item ' + this.title); this.next(this.join); }
  @step join(inputs: Inputs) { this.all = [...inputs].map((i) => i.title); this.next(this.end); }
  @step end() {}
}
`;

const PARALLEL = `import { FlowSpec, Inputs, current, parallel, step } from 'flowspec';
export class GangFlow extends FlowSpec {
  @step start() { this.next(this.train, { numParallel: 3 }); }
  @parallel
  @step train() {
    this.node = current.parallel.nodeIndex + '/' + current.parallel.numNodes;
    console.log('node ' + this.node);
    this.next(this.join);
  }
  @step join(inputs: Inputs) { this.nodes = [...inputs].map((i) => i.node); this.next(this.end); }
  @step end() {}
}
`;

const HANG = `import { FlowSpec, catchError, step, timeout } from 'flowspec';
import { execSync } from 'node:child_process';
export class HangFlow extends FlowSpec {
  @step start() { this.next(this.caught); }
  @catchError({ var: 'failure' })
  @timeout({ seconds: 1 })
  @step caught() {
    this.before = 'assigned';
    if (process.env.HANG === 'busy') for (;;) {}
    this.next(this.stuck);
  }
  @timeout({ seconds: 1 })
  @step stuck() {
    if (process.env.HANG === 'native') execSync('sleep 30');
    this.next(this.end);
  }
  @step end() {}
}
`;

/** A project folder outside the repo with one flow file, and a datastore. */
function project(text: string, file = 'flow.ts') {
  const dir = mkdtempSync(join(tmpdir(), 'flowspec-spin-'));
  const root = join(dir, '.flowspec');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'spin-test', private: true }));
  writeFileSync(join(dir, file), text);
  const cli = (...args: string[]): CliResult => runCli(args, root, {}, dir);
  return {
    dir,
    root,
    file,
    cli,
    edit: (from: string | RegExp, to: string) => writeFileSync(join(dir, file), readFileSync(join(dir, file), 'utf8').replace(from, to)),
  };
}

function ok(r: CliResult): CliResult {
  assert.strictEqual(r.code, 0, `${r.stdout}\n${r.stderr}`);
  return r;
}

/** Bad input: exit 2 and one line on stderr that matches. */
function refused(r: CliResult, message: RegExp): void {
  assert.strictEqual(r.code, 2, `${r.stdout}\n${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.strictEqual(lines.length, 1, r.stderr);
  assert.match(lines[0], /^flowspec: /);
  assert.match(lines[0], message);
}

/** The lines the spun task printed (without the prefix and the task events). */
function spunLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => /^\[spin-\d+\/\w+\/\d+ \(pid \d+\)\] (.*)$/.exec(l)?.[1])
    .filter((l): l is string => l !== undefined && !/^Task (is starting|finished successfully)/.test(l));
}

/** The table row of an artifact: `change name preview [(was ...)]`. */
function row(stdout: string, name: string): string | undefined {
  return stdout
    .split('\n')
    .find((l) => new RegExp(`^ {2}\\w+ +${name} `).test(l + ' '))
    ?.trim()
    .replace(/ +/g, ' ');
}

/** The editor's standby spin process (`flowspec __spin-standby`) in the project, waiting for its arguments on stdin. */
function startStandby(p: { dir: string; root: string }) {
  const child = spawn(process.execPath, [CLI, '__spin-standby'], {
    cwd: p.dir,
    env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: p.root },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, output: () => stdout, errors: () => stderr };
}

/** The worker process a standby spin started (its other child is esbuild's service). */
function workerOf(pid: number): number | undefined {
  const r = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
  const line = r.stdout.split('\n').find((l) => l.includes('__worker'));
  return line ? Number(line.trim().split(' ')[0]) : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('flowspec spin', function () {
  this.timeout(120_000);
  const made: string[] = [];
  const make = (text: string, file?: string) => {
    const p = project(text, file);
    made.push(p.dir);
    return p;
  };
  after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

  describe('a linear flow', () => {
    const p = make(LINEAR);
    before(() => ok(p.cli('run', p.file)));

    it('runs the step alone with the inputs of the latest run, prints its log and its artifacts beside the original', () => {
      const r = ok(p.cli('spin', p.file, 'train'));
      assert.deepStrictEqual(spunLines(r.stdout), ['training with 1 2 hi']);
      assert.match(r.stdout, /Artifacts of LinearFlow\/spin-1\/train\/2, beside LinearFlow\/1\/train\/2:/);
      assert.strictEqual(row(r.stdout, 'y'), 'same y 2');
      assert.strictEqual(row(r.stdout, 'alpha'), 'same alpha 2');
    });

    it('uses the code as it is now, and marks what changed', () => {
      p.edit('this.x * this.alpha;', 'this.x * this.alpha * 10; this.extra = true;');
      const r = ok(p.cli('spin', p.file, 'train'));
      assert.strictEqual(row(r.stdout, 'y'), 'changed y 20 (was 2)');
      assert.strictEqual(row(r.stdout, 'extra'), 'new extra true');
    });

    it('stores spins apart: the client API reads the latest spin; runs and resume never see it', () => {
      const r = ok(p.cli('spin', p.file, 'train'));
      const id = /LinearFlow\/(spin-\d+)\/train/.exec(r.stdout)![1];
      const flow = new Flow('LinearFlow', { root: p.root });
      const spun = flow.latestSpin('train')!;
      assert.strictEqual(spun.runId, id);
      assert.strictEqual(spun.data.y, 20);
      assert.strictEqual(spun.spunFrom?.pathspec, 'LinearFlow/1/train/2');
      assert.strictEqual(flow.latestSpin('start'), undefined);
      assert.ok(flow.spins().every((s) => /^spin-\d+$/.test(s.id)));
      assert.strictEqual(spun.stdout, 'training with 1 2 hi\n');
      const runs = ok(p.cli('runs', 'LinearFlow'));
      assert.doesNotMatch(runs.stdout, /spin/);
      assert.deepStrictEqual(
        new Flow('LinearFlow', { root: p.root }).runs().map((run) => run.id),
        ['1'],
      );
      // Resume takes the latest run, never a spin (the runs after this one start from its run 2).
      const resumed = ok(p.cli('resume', p.file, 'train'));
      assert.match(resumed.stdout, /Resuming LinearFlow\/1 as run 2\./);
    });

    it('runs the task on a worker process, as a run does; under a debugger (Debug Spin) in its own process', () => {
      const spin = (execArgv: string[]) => {
        const r = spawnSync(process.execPath, [...execArgv, CLI, 'spin', p.file, 'train'], {
          cwd: p.dir,
          env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: p.root },
          encoding: 'utf8',
        });
        assert.strictEqual(r.status, 0, r.stderr);
        return { cli: r.pid, task: Number(/^\[spin-\d+\/train\/\d+ \(pid (\d+)\)\] training with/m.exec(r.stdout)?.[1]) };
      };
      const worker = spin([]);
      assert.ok(worker.task > 0 && worker.task !== worker.cli, `the task ran in process ${worker.task}, the CLI is ${worker.cli}`);
      const debugged = spin(['--inspect=0']);
      assert.strictEqual(debugged.task, debugged.cli);
    });

    it("the editor's standby spin runs the spin named on its stdin as flowspec spin does, on the worker it started ahead", async () => {
      const standby = startStandby(p);
      const worker = await waitFor('the worker the standby spin starts ahead', () => workerOf(standby.child.pid!));
      standby.child.stdin.end(`${JSON.stringify([p.file, 'train'])}\n`);
      assert.strictEqual(await standby.exited, 0, standby.errors());
      assert.deepStrictEqual(spunLines(standby.output()), ['training with 1 2 hi']);
      assert.match(standby.output(), /^Artifacts of LinearFlow\/spin-\d+\/train\/2, beside LinearFlow\/\d+\/train\/2:$/m);
      assert.match(standby.output(), new RegExp(`^\\[spin-\\d+/train/2 \\(pid ${worker}\\)\\] training with`, 'm'));
      await waitFor('the worker to end with the spin', () => !alive(worker));
    });

    it('a standby spin: --no-persist stores nothing, bad input is one line and exit 2, stdin closed without a spin ends it and its worker', async () => {
      const spins = join(p.root, '.spins', 'LinearFlow', 'runs');
      const n = readdirSync(spins).length;
      const scratch = startStandby(p);
      scratch.child.stdin.end(`${JSON.stringify([p.file, 'train', '--no-persist'])}\n`);
      assert.strictEqual(await scratch.exited, 0, scratch.errors());
      assert.match(scratch.output(), /Nothing was stored \(--no-persist\)\./);
      assert.strictEqual(readdirSync(spins).length, n);
      for (const [line, message] of [
        [JSON.stringify([p.file, 'nope']), /'nope' is not a step of LinearFlow/],
        ['{ not json', /__spin-standby reads the arguments of flowspec spin on stdin, as one JSON array of strings/],
      ] as const) {
        const bad = startStandby(p);
        bad.child.stdin.end(`${line}\n`);
        refused({ code: (await bad.exited) ?? -1, stdout: bad.output(), stderr: bad.errors() }, message);
      }
      const unused = startStandby(p);
      const worker = await waitFor('the worker the standby spin starts ahead', () => workerOf(unused.child.pid!));
      unused.child.stdin.end();
      assert.strictEqual(await unused.exited, 0, unused.errors());
      assert.strictEqual(unused.output(), '');
      await waitFor('the unused worker to end', () => !alive(worker));
    });

    it('--no-persist stores nothing', () => {
      const spins = join(p.root, '.spins', 'LinearFlow', 'runs');
      const count = () => (existsSync(spins) ? readdirSync(spins).length : 0);
      const n = count();
      const r = ok(p.cli('spin', p.file, 'train', '--no-persist'));
      assert.deepStrictEqual(spunLines(r.stdout), ['training with 1 2 hi']);
      assert.strictEqual(row(r.stdout, 'y'), 'same y 20');
      assert.match(r.stdout, /Nothing was stored \(--no-persist\)\./);
      assert.strictEqual(count(), n);
    });

    it('--artifacts overrides inputs, from JSON or from a module (parameters too)', () => {
      writeFileSync(join(p.dir, 'inputs.json'), JSON.stringify({ x: 5 }));
      const fromJson = ok(p.cli('spin', p.file, 'train', '--artifacts', 'inputs.json', '--no-persist'));
      assert.deepStrictEqual(spunLines(fromJson.stdout), ['training with 5 2 hi']);
      assert.strictEqual(row(fromJson.stdout, 'y'), 'changed y 100 (was 20)');
      writeFileSync(join(p.dir, 'inputs.ts'), `export const ARTIFACTS = { x: 7, alpha: 3, greeting: 'yo' as string };\n`);
      const fromModule = ok(p.cli('spin', p.file, 'train', '--artifacts', 'inputs.ts', '--no-persist'));
      assert.deepStrictEqual(spunLines(fromModule.stdout), ['training with 7 3 yo']);
      assert.strictEqual(row(fromModule.stdout, 'y'), 'changed y 210 (was 20)');
    });

    it('refuses every bad input with one line and exit 2', () => {
      refused(p.cli('spin', p.file, 'train', '--run-id', '9'), /no run LinearFlow\/9 /);
      refused(p.cli('spin', p.file, 'nope'), /'nope' is not a step of LinearFlow in flow.ts \(its steps: start, train, end\)/);
      refused(p.cli('spin', p.file, 'train', '--index', '1'), /step 'train' is not inside a foreach in run LinearFlow\/2/);
      refused(p.cli('spin', p.file, 'train', '--task', '7'), /run LinearFlow\/2 has no task 7 of step 'train'/);
      refused(p.cli('spin', p.file, 'train', '--task', '2', '--index', '0'), /--task and --index both pick the task/);
      refused(p.cli('spin', p.file, 'train', '--index', 'one'), /--index needs a foreach position/);
      refused(p.cli('spin', p.file, 'train', '--artifacts', 'missing.json'), /--artifacts missing.json: no such file/);
      writeFileSync(join(p.dir, 'bad.json'), '{ x: 1 ');
      refused(p.cli('spin', p.file, 'train', '--artifacts', 'bad.json'), /--artifacts bad.json is not valid JSON/);
      writeFileSync(join(p.dir, 'list.json'), '[1, 2]');
      refused(p.cli('spin', p.file, 'train', '--artifacts', 'list.json'), /must hold an object of artifact name/);
      writeFileSync(join(p.dir, 'reserved.json'), '{"next": 1}');
      refused(p.cli('spin', p.file, 'train', '--artifacts', 'reserved.json'), /'next' cannot be an artifact name/);
      refused(p.cli('spin', 'missing.ts', 'train'), /no such flow file: missing.ts/);
      refused(p.cli('spin', p.file), /usage: flowspec spin FILE STEP/);
      // The graph changed: train is a join now, so the inputs of the run no longer fit.
      p.edit("import { FlowSpec, step, Parameter } from 'flowspec';", "import { FlowSpec, step, Parameter, Inputs } from 'flowspec';");
      p.edit('@step train() {', '@step train(inputs: Inputs) { void inputs;');
      refused(
        p.cli('spin', p.file, 'train'),
        /step 'train' takes inputs \(a join\) now but was not a join in run LinearFlow\/\d+: .*run the flow again/,
      );
    });

    it('refuses a step that never ran, and a flow with no runs', () => {
      const fresh = make(LINEAR.replace('LinearFlow', 'FreshFlow'));
      refused(fresh.cli('spin', fresh.file, 'train'), /FreshFlow has no runs in .*: run it first/);
      const sw = make(readFileSync(join(FLOWS, 'switch.ts'), 'utf8'));
      ok(sw.cli('run', sw.file));
      refused(sw.cli('spin', sw.file, 'slow'), /step 'slow' never ran in any run of SwitchFlow/);
      refused(sw.cli('spin', sw.file, 'slow', '--run-id', '1'), /step 'slow' never ran in run SwitchFlow\/1/);
    });
  });

  it('a join gets the inputs of its branches', () => {
    const p = make(BRANCH);
    ok(p.cli('run', p.file));
    p.edit('this.total = inputs.a.x + inputs.b.x;', 'this.total = (inputs.a.x + inputs.b.x) * 100;');
    const r = ok(p.cli('spin', p.file, 'join'));
    assert.deepStrictEqual(spunLines(r.stdout), ['a is 1, b is 2']);
    assert.strictEqual(row(r.stdout, 'total'), 'changed total 300 (was 3)');
    // A branch is no join: its input is start's.
    ok(p.cli('spin', p.file, 'b'));
  });

  it('a foreach item gets its input and index; the default is the first, with a note', () => {
    const p = make(FOREACH);
    ok(p.cli('run', p.file));
    const second = ok(p.cli('spin', p.file, 'item', '--index', '1'));
    assert.deepStrictEqual(spunLines(second.stdout), ['item y@1']);
    const first = ok(p.cli('spin', p.file, 'item'));
    assert.deepStrictEqual(spunLines(first.stdout), ['item x@0']);
    assert.match(
      first.stderr,
      /Step 'item' ran 3 tasks in run ForeachFlow\/1: spinning task \d+ \(index 0\); pick another with --index I or --task ID\./,
    );
    refused(
      p.cli('spin', p.file, 'item', '--index', '7'),
      /step 'item' has no task at index 7 in run ForeachFlow\/1 \(its indices: 0\.\.2\)/,
    );
    const join = ok(p.cli('spin', p.file, 'join'));
    assert.strictEqual(row(join.stdout, 'all'), 'same all ["x@0", "y@1", "z@2"]');
  });

  it('a nested foreach item is picked by every index, outermost first', () => {
    const p = make(readFileSync(join(FLOWS, 'nested.ts'), 'utf8'));
    ok(p.cli('run', p.file));
    const r = ok(p.cli('spin', p.file, 'inner', '--index', '1,2'));
    assert.strictEqual(row(r.stdout, 'label'), 'same label "b3@1.2/3"');
    refused(p.cli('spin', p.file, 'inner', '--index', '2'), /index 2 of step 'inner' names 2 tasks .*--index 0,2 or --index 1,2/);
    // A branch inside the foreach and a join of branches inside it.
    const sides = ok(p.cli('spin', p.file, 'joinSides', '--index', '0,1'));
    assert.strictEqual(row(sides.stdout, 'label'), 'same label "LR:a2@0.1/3"');
  });

  it('a @parallel step is refused, as by Metaflow: its gang runs again by a resume', () => {
    const p = make(PARALLEL);
    ok(p.cli('run', p.file));
    for (const args of [['--index', '1'], [], ['--skip-decorators']])
      refused(
        p.cli('spin', p.file, 'train', ...args),
        /^flowspec: step 'train' is a @parallel step: spin runs one task, not a gang; run its gang again with flowspec resume flow\.ts train$/,
      );
    // The steps around it spin.
    assert.strictEqual(row(ok(p.cli('spin', p.file, 'join')).stdout, 'nodes'), 'same nodes ["0/3", "1/3", "2/3"]');
  });

  it('a switch and its cases spin like any step', () => {
    const p = make(readFileSync(join(FLOWS, 'switch.ts'), 'utf8'));
    ok(p.cli('run', p.file, '--mode', 'slow'));
    const start = ok(p.cli('spin', p.file, 'start'));
    assert.strictEqual(row(start.stdout, 'route'), 'same route "slow"');
    const slow = ok(p.cli('spin', p.file, 'slow'));
    assert.strictEqual(row(slow.stdout, 'path'), 'same path "slow"');
    // The loop's second pass: its own task, with what the first pass left.
    const passes = new Flow('SwitchFlow', { root: p.root }).run('1').step('train').tasks();
    assert.ok(passes.length >= 2);
    const second = ok(p.cli('spin', p.file, 'train', '--task', passes[1].id));
    assert.strictEqual(row(second.stdout, 'pass'), 'same pass 2');
  });

  it('decorators apply as in a run: @timeout raises in the step, @catchError catches it, a step that does not yield is killed', () => {
    const p = make(HANG);
    ok(p.cli('run', p.file));
    const caught = ok(runCli(['spin', p.file, 'caught'], p.root, { HANG: 'busy' }, p.dir));
    assert.match(caught.stderr, /TimeoutError: step 'caught' timed out after 1 s \(@timeout\)/);
    assert.match(caught.stderr, /The error is caught by @catchError in 'failure'; the run goes on\./);
    assert.strictEqual(row(caught.stdout, 'before'), 'same before "assigned"');
    assert.match(row(caught.stdout, 'failure') ?? '', /^changed failure .*TimeoutError.*\(was null\)$/);
    assert.match(new Flow('HangFlow', { root: p.root }).latestSpin('caught')!.data.failure.message, /timed out after 1 s/);

    // Held in native code, the step cannot be interrupted: its process is killed, and the spin says why.
    const stuck = runCli(['spin', p.file, 'stuck'], p.root, { HANG: 'native' }, p.dir);
    assert.strictEqual(stuck.code, 1, stuck.stderr);
    assert.match(
      stuck.stderr,
      /^Spin of HangFlow\/1\/stuck\/\d+ failed: TimeoutError: the task's process did not yield to its @timeout of 1 s \(a blocking call such as execSync holds it\) and was killed 5 s later; what the step assigned is lost$/m,
    );
  });

  it('a step that fails is reported and exits 1; decorators apply unless skipped', () => {
    const p = make(
      LINEAR.replace(
        '@step train() {',
        "@retry({ times: 1 })\n  @step train() { if (!process.env.NO_FAIL) throw new Error('boom');",
      ).replace('import { FlowSpec, step, Parameter }', 'import { FlowSpec, step, Parameter, retry }'),
    );
    ok(runCli(['run', p.file], p.root, { NO_FAIL: '1' }, p.dir));
    const failed = p.cli('spin', p.file, 'train');
    assert.strictEqual(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /Task failed; retrying \(attempt 2 of 2\)\./);
    assert.match(failed.stderr, /Spin of LinearFlow\/1\/train\/2 failed: Error: boom/);
    const skipped = p.cli('spin', p.file, 'train', '--skip-decorators');
    assert.strictEqual(skipped.code, 1);
    assert.doesNotMatch(skipped.stderr, /retrying/);
  });
});

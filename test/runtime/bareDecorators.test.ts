// Decorators whose options are all optional work bare, as Metaflow users write them (`@retry`,
// `@card`, `@catchError`, `@parallel`), are typed for both forms, and a form that cannot work
// (`@step()`, a bare `@timeout`) is one clear error before anything runs.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { freshRoot, runCli } from '../support/cli';
import { typeCheck } from '../support/tsconfig';

const BARE_FLOW = `import { FlowSpec, Inputs, card, catchError, current, parallel, retry, step } from 'flowspec';
import { Markdown } from 'flowspec/cards';

export class BareFlow extends FlowSpec {
  @retry @step start() {
    if (current.retryCount < 2) throw new Error('attempt ' + current.retryCount + ' failed');
    this.attempts = current.retryCount;
    this.next(this.train, { numParallel: 2 });
  }
  @parallel @card @step train() {
    current.card.append(new Markdown('node ' + current.parallel.nodeIndex));
    this.next(this.join);
  }
  @step join(inputs: Inputs) {
    this.nodes = inputs.length;
    this.next(this.check);
  }
  @catchError @step check() {
    if (this.nodes === 2) throw new Error('caught without a var');
    this.next(this.end);
  }
  @step end() {}
}
`;

function project(source: string): { dir: string; file: string; root: string } {
  const dir = freshRoot();
  const file = join(dir, 'flow.ts');
  writeFileSync(join(dir, 'package.json'), '{ "name": "bare", "private": true }\n');
  writeFileSync(file, source);
  return { dir, file, root: join(dir, 'store') };
}

describe('decorators without parentheses', () => {
  it('@retry, @parallel, @card and @catchError work bare, with their defaults', () => {
    const { dir, file, root } = project(BARE_FLOW);
    const checked = runCli(['check', file], root, {}, dir);
    assert.equal(checked.code, 0, checked.stdout + checked.stderr);
    const r = runCli(['run', file], root, {}, dir);
    assert.equal(r.code, 0, r.stderr);
    const run = new Flow('BareFlow', { root }).latestRun!;
    assert.equal(run.step('start').task!.data.attempts, 2, '@retry retries (3 times by default)');
    const nodes = run.step('train').tasks();
    assert.deepEqual(
      nodes.map((t) => t.cards.map((c) => c.data.components.length > 0)),
      [[true], [true]],
      'each node of the @parallel gang has its @card',
    );
    const check = run.step('check').task!;
    assert.equal(check.successful, true, '@catchError caught the error');
    assert.equal(check.exception, null);
  });

  it('both forms type-check in a strict project; a bare @timeout does not', () => {
    assert.deepEqual(typeCheck(BARE_FLOW), { code: 0, output: '' });
    const called = typeCheck(
      BARE_FLOW.replace('@retry @step', '@retry({ times: 2 }) @step')
        .replace('@parallel @card', '@parallel() @card({ type: "blank" })')
        .replace('@catchError @step', '@catchError({ var: "failure" }) @step'),
    );
    assert.deepEqual(called, { code: 0, output: '' });
    const bareTimeout = typeCheck(
      BARE_FLOW.replace('import { FlowSpec,', 'import { timeout, FlowSpec,').replace('@step end()', '@timeout @step end()'),
    );
    assert.notEqual(bareTimeout.code, 0);
    assert.match(bareTimeout.output, /flow\.ts\(\d+,\d+\): error TS\d+/);
  });

  it('a form that cannot work is one clear error from check and run, and nothing runs', () => {
    const { dir, file, root } = project(
      BARE_FLOW.replace('import { FlowSpec,', 'import { timeout, FlowSpec,')
        .replace('@step end()', '@timeout @step end()')
        .replace('@step join(', '@step() join('),
    );
    const checked = runCli(['check', file], root, {}, dir);
    assert.equal(checked.code, 1);
    assert.match(checked.stdout, /flow\.ts:\d+:\d+ error decorator-form @step takes no options: write @step, without parentheses/);
    assert.match(checked.stdout, /flow\.ts:\d+:\d+ error decorator-form @timeout needs a duration: write @timeout\(\{ seconds: N \}\)/);
    const r = runCli(['run', file], root, {}, dir);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /^flowspec: .*@step takes no options: write @step, without parentheses\n$/, 'one line');
    assert.deepEqual(Flow.list({ root }), [], 'no run was created');
  });
});

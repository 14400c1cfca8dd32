// Tags after the fact: `flowspec tag add|remove|replace|list`, Run.addTag/removeTag/replaceTag,
// `runs --tag` (all must match), system tags refused; two processes changing one run's tags at once
// lose nothing, on a local folder and on an s3:// root.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { REPO } from '../support/cli';
import { s3ServerForSuite } from '../support/s3';
import { assertOneLine, cli, freshRoot, linearFlow, project } from '../faults/support';

const FLOW = linearFlow('TagFlow', 'this.x = 1;');

/** `count` tag additions by one process through the built client API: `${prefix}-0` ... */
function tagger(root: string, env: NodeJS.ProcessEnv, prefix: string, count: number): Promise<number | null> {
  const script = `
    const { Flow } = require(${JSON.stringify(join(REPO, 'dist/client.js'))});
    const run = new Flow('TagFlow', { root: ${JSON.stringify(root)} }).run('1');
    for (let i = 0; i < ${count}; i++) {
      run.addTag('${prefix}-' + i);
      if (i % 5 === 4) run.replaceTag('${prefix}-' + (i - 1), '${prefix}-r' + (i - 1));
    }`;
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/** What two racing taggers must leave: every addition, every replacement. */
function expectedTags(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => ((i + 2) % 5 === 0 ? `${prefix}-r${i}` : `${prefix}-${i}`));
}

async function checkRace(root: string, dir: string, count: number, env: NodeJS.ProcessEnv = {}): Promise<void> {
  assert.equal(cli(['run', 'flow.ts', '--tag', 'start'], root, dir, env).code, 0);
  const codes = await Promise.all([tagger(root, env, 'p', count), tagger(root, env, 'q', count)]);
  assert.deepEqual(codes, [0, 0]);
  const tags = new Flow('TagFlow', { root }).run('1').userTags;
  assert.deepEqual([...tags].sort(), ['start', ...expectedTags('p', count), ...expectedTags('q', count)].sort());
}

describe('tags after the fact', function () {
  this.timeout(180_000);

  it('tag add, remove, replace and list; runs --tag; the client API; system tags refused', () => {
    const dir = project({ 'flow.ts': FLOW });
    const root = freshRoot();
    const tag = (...args: string[]) => cli(['tag', ...args], root, dir);
    assert.equal(cli(['run', 'flow.ts', '--tag', 'exp'], root, dir).code, 0);
    assert.equal(cli(['run', 'flow.ts', '--tag', 'exp'], root, dir).code, 0);

    const added = tag('add', 'TagFlow/1', 'good', 'keep');
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /^TagFlow\/1: exp, good, keep \(system: user:\S+, runtime:node-[\d.]+\)\n$/);
    assert.match(tag('remove', 'TagFlow/1', 'exp').stdout, /^TagFlow\/1: good, keep \(/);
    assert.match(tag('replace', 'TagFlow/1', 'good', 'best').stdout, /^TagFlow\/1: keep, best \(/);
    const listed = JSON.parse(tag('list', 'TagFlow/1', '--json').stdout);
    assert.deepEqual([listed.run, listed.tags], ['TagFlow/1', ['keep', 'best']]);
    assert.ok(listed.systemTags.some((t: string) => t.startsWith('runtime:node-')));

    const runs = (...tags: string[]) =>
      JSON.parse(cli(['runs', 'TagFlow', '--json', ...tags.flatMap((t) => ['--tag', t])], root, dir).stdout).map(
        (r: { run: string }) => r.run,
      );
    assert.deepEqual(runs('best'), ['1']);
    assert.deepEqual(runs('exp'), ['2']);
    assert.deepEqual(runs('best', 'keep'), ['1'], 'every tag must match');
    assert.deepEqual(runs(listed.systemTags[0]), ['2', '1'], 'a system tag filters too');
    assertOneLine(cli(['runs', 'TagFlow', '--tag', 'best', '--tag', 'exp'], root, dir), 2, /no runs of TagFlow tagged best, exp$/);
    assert.equal(cli(['runs', '--tag', 'nothing'], root, dir).stdout, 'No runs tagged nothing.\n');
    assert.match(cli(['runs', 'TagFlow'], root, dir).stdout, /^TagFlow +1 .* keep,best$/m);

    // The client API changes the same tags.
    const run = new Flow('TagFlow', { root }).run('2');
    run.addTag('api');
    run.replaceTag('exp', 'exp2');
    run.removeTag('not-there');
    assert.deepEqual(run.userTags, ['api', 'exp2']);
    assert.deepEqual(run.tags, ['api', 'exp2', ...run.systemTags]);
    assert.deepEqual(
      new Flow('TagFlow', { root }).runs({ tags: ['exp2'] }).map((r) => r.id),
      ['2'],
    );

    const system = listed.systemTags[0];
    assertOneLine(tag('remove', 'TagFlow/1', system), 2, /is a system tag of TagFlow\/1: system tags cannot be changed/);
    assertOneLine(tag('replace', 'TagFlow/1', system, 'mine'), 2, /system tags cannot be changed/);
    assertOneLine(tag('add', 'TagFlow/1', system), 2, /system tags cannot be changed/);
    assert.throws(() => run.removeTag(system), /system tags cannot be changed/);
    assertOneLine(tag('add', 'TagFlow/1', ''), 2, /a tag cannot be empty/);
    assertOneLine(tag('add', 'TagFlow/1', 'x'.repeat(501)), 2, /is 501 characters long \(at most 500\)/);
    assertOneLine(tag('replace', 'TagFlow/1', 'a'), 2, /replace takes one tag to remove and one to add, not 1/);
    assertOneLine(tag('add', 'TagFlow/9', 'a'), 2, /no run TagFlow\/9/);
    assertOneLine(tag('add', 'TagFlow', 'a'), 2, /'TagFlow' is not a run: expected FLOW\/RUN/);
    assertOneLine(tag('add', 'TagFlow/1'), 2, /usage: flowspec tag add FLOW\/RUN TAG\.\.\./);
    assert.deepEqual(new Flow('TagFlow', { root }).run('1').userTags, ['keep', 'best'], 'a refused change changes nothing');

    // A damaged tag change: the run lists as damaged, and fsck --repair removes that change.
    const changes = join(root, 'TagFlow/runs/1/tags');
    const last = readdirSync(changes).sort().at(-1)!;
    writeFileSync(join(changes, last), '{"add": 3}');
    assert.match(cli(['runs', 'TagFlow'], root, dir).stdout, /TagFlow +1 +damaged: .*not a tag change/);
    const repaired = cli(['fsck', '--repair'], root, dir);
    assert.match(repaired.stdout + repaired.stderr, /tags\/.*not a tag change/);
    assert.deepEqual(new Flow('TagFlow', { root }).run('1').userTags, ['good', 'keep'], 'the replace is gone, the rest stays');
  });

  it('two processes changing one run at once lose nothing (local folder)', async () => {
    await checkRace(freshRoot(), project({ 'flow.ts': FLOW }), 40);
  });

  describe('on an s3:// root', () => {
    const s3 = s3ServerForSuite();

    it('two processes changing one run at once lose nothing', async () => {
      await checkRace(s3.root('tags'), project({ 'flow.ts': FLOW }), 20, s3.env('tags'));
    });
  });
});

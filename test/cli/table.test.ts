// The command table (cli/commandTable.ts) is the one declaration of every command: the README's
// CLI table, `--help` and the usage line of an error come from it.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine } from '../../cli/args';
import { leaves, synopsis } from '../../cli/command';
import { allCommands, COMMANDS } from '../../cli/commandTable';
import { EXAMPLES, freshRoot, REPO, runCli } from '../support/cli';

const README = join(REPO, 'README.md');
const START =
  /(<!-- The rows below come from the command table[^\n]*\n\| command \| what it does \|\n\| --- \| --- \|\n)([\s\S]*?)(<!-- end of the command table -->)/;

/** The README's rows: each command a user runs, its whole command line and what it does. */
function readmeRows(): string {
  const rows = allCommands()
    .flatMap(leaves)
    .filter((c) => !c.spec.internal)
    .map((c) => {
      const what = [c.spec.summary, c.spec.details].filter(Boolean).join('; ');
      return `| \`${synopsis(c.spec).replace(/\|/g, '\\|')}\` | ${what.replace(/\|/g, '\\|')} |\n`;
    });
  return rows.join('');
}

describe('the command table', () => {
  it('names each command as the table does', () => {
    const commands = allCommands();
    assert.deepEqual(
      commands.map((c) => ('subcommands' in c ? c.name : c.spec.name)),
      Object.keys(COMMANDS),
    );
    for (const c of commands)
      if ('subcommands' in c) for (const sub of c.subcommands) assert.match(sub.spec.name, new RegExp(`^${c.name} [a-z-]+$`));
  });

  it("is the README's CLI table (UPDATE_FIXTURES=1 rewrites the README's rows)", () => {
    const text = readFileSync(README, 'utf8');
    const found = START.exec(text);
    assert.ok(found, 'README.md has the markers of the command table');
    const rows = readmeRows();
    if (process.env.UPDATE_FIXTURES === '1')
      writeFileSync(
        README,
        text.replace(START, (_, head, _rows, end) => head + rows + end),
      );
    assert.equal(found[2], rows, 'README.md and the command table disagree: run this test with UPDATE_FIXTURES=1 and review the diff');
  });

  it('a bare --inspect is port 9229 and takes no value; --inspect=PORT another', () => {
    const options = { inspect: { type: 'string', value: 'PORT', bare: '9229', help: '' } } as const;
    assert.deepEqual(parseCommandLine(['--inspect', 'flow.ts'], options), {
      values: { inspect: '9229' },
      positionals: ['flow.ts'],
      extras: [],
    });
    assert.deepEqual(parseCommandLine(['flow.ts', '--inspect=0'], options).values, { inspect: '0' });
  });
});

describe('flowspec --help and usage lines', () => {
  const root = freshRoot();

  it('flowspec CMD --help shows every option of the command', () => {
    for (const command of allCommands()
      .flatMap(leaves)
      .filter((c) => !c.spec.internal)) {
      const r = runCli([...command.spec.name.split(' '), '--help'], root);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.startsWith(`usage: ${synopsis(command.spec)}\n`), r.stdout);
      for (const name of Object.keys(command.spec.options))
        assert.match(r.stdout, new RegExp(`--${name}\\b`), `${command.spec.name}: --${name}`);
    }
  });

  it('resume: a missing FILE shows the usage with every option', () => {
    const r = runCli(['resume'], root);
    assert.equal(r.code, 2);
    for (const option of [
      '--origin-run-id ID',
      '--flow NAME',
      '--max-workers N',
      '--tag T',
      '--until STEP',
      '--run-id-file F',
      '--inspect[=PORT]',
      '--with slurm',
    ])
      assert.ok(r.stderr.includes(option), `${option} in ${r.stderr}`);
    assert.equal(r.stderr.split('\n').length, 2, 'one line');
  });

  it('run FILE --help lists the flow’s parameters and the run options', () => {
    const r = runCli(['run', join(EXAMPLES, 'branch.ts'), '--help'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Parameters of \w+:\n {2}--\w+ VALUE/);
    for (const option of ['--params PFILE', '--until STEP', '--run-id-file F', '--inspect[=PORT]'])
      assert.ok(r.stdout.includes(option), option);
  });

  it('a group without its command: one line naming the commands', () => {
    const r = runCli(['card'], root);
    assert.deepEqual(
      [r.code, r.stderr],
      [2, 'flowspec: card needs a command: list, get, view or server (flowspec card --help shows them)\n'],
    );
    const unknown = runCli(['argo', 'delete'], root);
    assert.deepEqual(
      [unknown.code, unknown.stderr],
      [2, "flowspec: unknown argo command 'delete': create (flowspec argo --help shows them)\n"],
    );
  });
});

// The README's first steps, as a user runs them from the packed tarball and without a terminal:
// `npx --yes --package TGZ flowspec init`, then the printed next steps (`npm install`, `npm run
// flow:run`) work as written, installing flowspec from the tarball the CLI came from.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from '../support/cli';
import { sh, tarball, WORK } from './support/projects';

/** The recipe's command in README.md (the line that runs `flowspec init`), with `$TGZ` as written there. */
function readmeInitCommand(): string[] {
  const line = readFileSync(join(REPO, 'README.md'), 'utf8')
    .split('\n')
    .find((l) => /^npx .*flowspec init/.test(l));
  assert.ok(line, 'README.md has an `npx ... flowspec init` line');
  return line.replace(/#.*$/, '').trim().split(/\s+/);
}

describe('flowspec init from the tarball', function () {
  this.timeout(300_000);

  it("the README's npx recipe runs with no terminal, and the printed next steps install and run the project", () => {
    const home = realpathSync(mkdtempSync(join(WORK, 'home-')));
    const tgz = tarball();
    const [npx, ...args] = readmeInitCommand().map((a) => a.replace('"$TGZ"', tgz).replace('~/my-flows', 'my-flows'));
    assert.equal(npx, 'npx');
    // stdin is not a terminal (spawnSync's default pipe): npx must not stop to ask.
    const init = spawnSync('npx', args, { cwd: home, encoding: 'utf8', input: '', timeout: 120_000, env: { ...process.env } });
    assert.equal(init.status, 0, init.stdout + init.stderr);
    const project = join(home, 'my-flows');
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    assert.equal(pkg.devDependencies.flowspec, `file:${relative(project, tgz)}`, 'the tarball the CLI came from');

    const steps = init.stdout
      .split('Next:\n')[1]
      .split('\n')
      .map((l) => l.replace(/#.*$/, '').trim());
    assert.deepEqual(steps.slice(0, 3), ['cd my-flows', 'npm install', 'npm run flow:run']);
    const install = sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], project);
    assert.equal(install.code, 0, install.stderr);
    assert.equal(
      JSON.parse(readFileSync(join(project, 'node_modules/flowspec/package.json'), 'utf8')).version,
      JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version,
    );
    const run = sh('npm', ['run', 'flow:run'], project);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Done! Run HelloFlow\/1 finished: 9 tasks/);
    const typecheck = sh('npm', ['run', 'typecheck'], project);
    assert.equal(typecheck.code, 0, typecheck.stdout + typecheck.stderr);

    // From inside the project, the installed CLI writes the same tarball for a second project.
    const again = sh('npx', ['flowspec', 'init', 'second'], project);
    assert.equal(again.code, 0, again.stderr);
    const second = JSON.parse(readFileSync(join(project, 'second/package.json'), 'utf8'));
    assert.equal(second.devDependencies.flowspec, `file:${relative(join(project, 'second'), tgz)}`);
  });
});

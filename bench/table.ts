// `npm run bench`: runs every bench below in turn (their own output shows as they go), then prints one
// table of all their figures with the goal beside each and whether it is met. `npm run bench -- runtime lsp`
// runs only the benches named. A bench records a figure with figure() from bench/support/figure.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIGURES_FILE_ENV, Figure, formatValue, goalText, meetsGoal } from './support/figure';

/** The benches in the table, one line each: the name to pick it by and its script in bench/. */
const BENCHES: Array<[name: string, script: string]> = [
  ['runtime', 'runtime.ts'],
  ['lsp', 'lsp.ts'],
  ['lsp-nav', 'lspNavigation.ts'],
  ['lsp-stress', 'lspStress.ts'],
  ['spin', 'spin.ts'],
  ['cards', 'cards.ts'],
  ['runsview', 'runsView.ts'],
  ['processes', 'processes.ts'],
  ['inner-loop', 'innerLoop.ts'],
  ['npm-deps', 'npmDeps.ts'],
  ['client-runs', 'clientRuns.ts'],
];

/** Left out of the table: they need infrastructure or take long. */
const SEPARATE = 'npm run bench:slurm (starts a Slurm cluster), npm run bench:scaleout (starts an S3 server)';

function main(): number {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !BENCHES.some(([name]) => name === n));
  if (unknown.length) {
    console.error(`bench: no bench named ${unknown.join(', ')}; the benches are ${BENCHES.map(([n]) => n).join(', ')}`);
    return 2;
  }
  const chosen = BENCHES.filter(([name]) => !names.length || names.includes(name));
  const load = [loadavg()[0]];
  const rows: Array<{ bench: string; figure?: Figure; failed?: string }> = [];
  for (const [name, script] of chosen) {
    console.log(`\n== ${name} (bench/${script})`);
    const file = join(mkdtempSync(join(tmpdir(), 'flowspec-bench-figures-')), 'figures.jsonl');
    const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), join(__dirname, script)], {
      stdio: 'inherit',
      env: { ...process.env, [FIGURES_FILE_ENV]: file },
    });
    const figures = existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Figure)
      : [];
    for (const f of figures) rows.push({ bench: name, figure: f });
    if (r.status !== 0) rows.push({ bench: name, failed: `failed (${r.signal ?? `exit ${r.status}`})` });
    load.push(loadavg()[0]);
  }

  console.log(
    `\n## Figures (${cpus().length} cores, node ${process.versions.node}, load average ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)})\n`,
  );
  console.log('| bench | figure | value | goal | met |\n| --- | --- | --- | --- | --- |');
  for (const { bench, figure: f, failed } of rows) {
    if (!f) {
      console.log(`| ${bench} | ${failed} | | | ✗ |`);
      continue;
    }
    const met = meetsGoal(f);
    const value = formatValue(f) + (f.note ? ` (${f.note})` : '');
    console.log(`| ${bench} | ${f.name} | ${value} | ${goalText(f)} | ${met === undefined ? '' : met ? 'yes' : '**no**'} |`);
  }
  console.log(`\nNot in this table: ${SEPARATE}.`);
  return rows.some((r) => r.failed) ? 1 : 0;
}

process.exitCode = main();

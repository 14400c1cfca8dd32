// What the CLI prints, where Metaflow users tripped: an IncludeFile parameter in `runs` (a preview
// and its file, not its content), cut previews in `dump`, a clean `check`, the task count of
// "Done!", analyzer findings that do not block a run, and `--with` engines FlowSpec does not run.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { assertOneLine, cli, freshRoot, project } from '../faults/support';

const INCLUDE_FLOW = `import { FlowSpec, step, IncludeFile, Parameter } from 'flowspec';

export class PlaylistFlow extends FlowSpec {
  movies = IncludeFile('movies', { help: 'A CSV of movies', default: 'movies.csv' });
  genre = Parameter('genre', { default: 'Sci-Fi' });

  @step start() {
    this.titles = this.movies.split('\\n').slice(1).map((line: string) => line.split(',')[0]);
    this.next(this.end);
  }
  @step end() {}
}
`;

describe('CLI output', () => {
  it('runs shows an IncludeFile parameter by its preview and file, and records the file with the run', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `Pirates of the Caribbean: At World's End ${i},Action`);
    const csv = ['title,genre', ...rows].join('\n');
    const dir = project({ 'flow.ts': INCLUDE_FLOW, 'movies.csv': csv });
    const root = freshRoot();
    assert.equal(cli(['run', 'flow.ts'], root, dir).code, 0);

    const table = cli(['runs'], root, dir);
    assert.equal(table.code, 0, table.stderr);
    assert.ok(table.stdout.length < 600, `a short table, not the file's ${csv.length} characters:\n${table.stdout}`);
    assert.match(table.stdout, /movies="title,genre\\nPirates of the Caribbean[^"]*…" \(movies\.csv, \d+ bytes\) genre="Sci-Fi"/);

    const json = JSON.parse(cli(['runs', '--json'], root, dir).stdout);
    assert.deepEqual(json[0].parameters.movies, {
      file: join(dir, 'movies.csv'),
      size: Buffer.byteLength(csv),
      preview: json[0].parameters.movies.preview,
    });
    assert.match(json[0].parameters.movies.preview, /^"title,genre\\nPirates.*…"$/);
    assert.equal(json[0].parameters.genre, 'Sci-Fi');
    const run = new Flow('PlaylistFlow', { root }).latestRun!;
    assert.deepEqual(run.record.parameters.movies.file, { path: join(dir, 'movies.csv'), size: Buffer.byteLength(csv) });
    assert.equal(run.parameters.movies, csv, 'the value is still the whole file');
    assert.equal(run.parameterSources.movies, `default: file ${join(dir, 'movies.csv')} (${Buffer.byteLength(csv)} bytes)`);

    // dump's previews mark a string cut inside an array.
    const dump = cli(['dump', 'PlaylistFlow/1/start'], root, dir);
    assert.match(dump.stdout, /titles \(Array\(20000\)\): \["Pirates of the Caribbean: At W…", /);
    const line = dump.stdout.split('\n').find((l) => l.includes('titles'))!;
    for (const cut of line.matchAll(/"([^"]*)"/g)) {
      const full = rows.some((r) => r.split(',')[0] === cut[1]);
      assert.ok(full || cut[1].endsWith('…'), `a cut string ends with …: ${cut[0]}`);
    }
  });

  it('check on a clean file says so in one line', () => {
    const dir = project({ 'flow.ts': INCLUDE_FLOW, 'empty.ts': 'export const x = 1;\n' });
    const clean = cli(['check', 'flow.ts'], freshRoot(), dir);
    assert.equal(clean.code, 0, clean.stderr);
    assert.equal(clean.stdout, 'flow.ts: no problems (flow PlaylistFlow)\n');
    const both = cli(['check', 'flow.ts', 'empty.ts'], freshRoot(), dir);
    assert.equal(both.stdout, '2 files: no problems (flow PlaylistFlow)\n');
    assert.match(cli(['check', 'empty.ts'], freshRoot(), dir).stdout, /^empty\.ts: no problems, and no flow \(.*\)\n$/);
    assert.equal(cli(['check', 'flow.ts', '--json'], freshRoot(), dir).stdout, '[]\n', '--json stays a bare array');
  });

  it('"Done!" counts tasks, not attempts', () => {
    const dir = project({
      'flow.ts': `import { FlowSpec, step, retry, current } from 'flowspec';

export class FlakyFlow extends FlowSpec {
  @step start() { this.next(this.flaky); }
  @retry({ times: 2 })
  @step flaky() {
    if (current.retryCount < 2) throw new Error('not yet');
    this.next(this.end);
  }
  @step end() {}
}
`,
    });
    const r = cli(['run', 'flow.ts'], freshRoot(), dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Done! Run FlakyFlow\/1 finished: 3 tasks in/);
  });

  it('an analyzer error that does not block the run is shown as a warning', () => {
    const dir = project({
      'flow.ts': `import { FlowSpec, step, Parameter } from 'flowspec';

export class CountFlow extends FlowSpec {
  n = Parameter('n', { default: 3 });
  @step start() { this.next(this.each, { foreach: 'n' }); }
  @step each() { this.next(this.join); }
  @step join(inputs: any) { this.next(this.end); }
  @step end() {}
}
`,
    });
    assert.match(cli(['check', 'flow.ts'], freshRoot(), dir).stdout, / error bad-foreach-target /, 'the editor and check call it an error');
    const r = cli(['run', 'flow.ts'], freshRoot(), dir);
    assert.match(r.stderr, /^flow\.ts:5:\d+: warning bad-foreach-target: foreach over 'n'/m);
    assert.doesNotMatch(r.stderr, /error bad-foreach-target/);
  });

  it('--with an engine FlowSpec does not run says what to use instead', () => {
    const dir = project({ 'flow.ts': INCLUDE_FLOW, 'movies.csv': 'title\n' });
    writeFileSync(join(dir, 'movies.csv'), 'title\n');
    const root = freshRoot();
    assertOneLine(cli(['run', 'flow.ts', '--with', 'kubernetes'], root, dir), 2, /not 'kubernetes': .*flowspec argo create flow\.ts/);
    assertOneLine(cli(['resume', 'flow.ts', '--with', 'batch'], root, dir), 2, /AWS Batch is not supported: .*--with slurm.*argo create/);
    assertOneLine(cli(['run', 'flow.ts', '--with', 'retry'], root, dir), 2, /@retry/);
    assertOneLine(cli(['run', 'flow.ts', '--with', 'nomad'], root, dir), 2, /--with takes 'slurm' \(tasks as Slurm jobs\), not 'nomad'$/);
    assert.deepEqual(Flow.list({ root }), [], 'no run of PlaylistFlow was created');
  });
});

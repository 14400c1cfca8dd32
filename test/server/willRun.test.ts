// `flowspec/willRun`: before ▶ Run starts the CLI, the language server writes the pre-run check's
// verdict of the analysis it holds; the CLI then runs on it without checking the flow itself, and
// refuses a broken flow with the very lines its own check prints.
import { strict as assert } from 'node:assert';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EXAMPLES, FLOWS, freshRoot, runCli } from '../support/cli';
import { LspClient } from './lspClient';

describe('flowspec/willRun', function () {
  this.timeout(120_000);
  const cache = freshRoot();
  let server: LspClient;
  before(async () => {
    server = new LspClient({ FLOWSPEC_CACHE_DIR: cache });
    await server.initialize();
  });
  after(() => server.stop());

  /** The file copied outside the repo and opened in the server, which is told it will run. */
  async function willRun(source: string, flow: string): Promise<string> {
    const file = join(freshRoot(), source.split('/').pop()!);
    copyFileSync(source, file);
    const uri = pathToFileURL(file).href;
    await server.open(uri, readFileSync(file, 'utf8'));
    assert.equal(await server.request('flowspec/willRun', { uri, flow }), null);
    return file;
  }
  const run = (file: string, cacheDir: string) => runCli(['run', file], freshRoot(), { FLOWSPEC_CACHE_DIR: cacheDir, FLOWSPEC_DEBUG: '1' });

  it('a flow the editor runs is not checked again by the CLI', async () => {
    const r = run(await willRun(join(EXAMPLES, 'linear.ts'), 'LinearFlow'), cache);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\[debug\] .*: the pre-run check of LinearFlow: a cached verdict\n/);
    assert.match(r.stdout, /message: HELLO!/);
  });

  it("a broken flow is refused on the server's verdict with the lines of the CLI's own check", async () => {
    const file = await willRun(join(FLOWS, 'invalid_graph.ts'), 'InvalidGraphFlow');
    const onServers = run(file, cache);
    const own = run(file, freshRoot());
    assert.match(onServers.stderr, /a cached verdict\n/);
    assert.match(own.stderr, /checked (in|by a pool worker,) \d+ ms/);
    assert.equal(onServers.code, 2, onServers.stderr);
    assert.equal(own.code, 2, own.stderr);
    const refusal = (stderr: string) => stderr.replace(/^\[debug\].*\n/gm, '');
    assert.match(refusal(own.stderr), /^flowspec: InvalidGraphFlow cannot run:\n {2}.*error unknown-step/);
    assert.equal(refusal(onServers.stderr), refusal(own.stderr));
  });
});

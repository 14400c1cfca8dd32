// @parallel / numParallel: N tasks of a gang run at once on the worker pool (beyond
// --max-workers), current.parallel tells each its place, the join sees them all.
import { strict as assert } from 'node:assert';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { FLOWS, freshRoot, linesOf, runCli } from '../support/cli';

const FILE = join(FLOWS, 'parallel.ts');

/** A TCP port free right now, for node 0 of the gang to listen on. */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('@parallel', () => {
  it('runs the gang at once, even with one worker; current.parallel and this.input give each node its place', async () => {
    const root = freshRoot();
    const r = runCli(['run', FILE, '--max-workers', '1', '--nodes', '3', '--port', String(await freePort())], root);
    assert.equal(r.code, 0, r.stderr);
    const run = new Flow('ParallelFlow', { root }).latestRun!;
    assert.deepEqual(
      run
        .step('train')
        .tasks()
        .map((t) => t.data.node),
      [0, 1, 2].map((i) => ({ numNodes: 3, nodeIndex: i, mainIp: '127.0.0.1', isParallel: true, input: i })),
    );
    assert.deepEqual(run.data.heard, [1, 2], 'node 0 heard from every other node');
    assert.equal(run.data.nodes_seen.length, 3, 'the join has every node as input');
    assert.deepEqual(linesOf(r.stdout, 'end'), ['isParallel=false numNodes=1']);
  });

  it('a failed node stops its gang; resume reruns the whole gang', async () => {
    const root = freshRoot();
    const r = runCli(['run', FILE, '--nodes', '3', '--port', String(await freePort())], root, { FAIL_NODE: '2' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Error: node 2 failed/);
    const [node0, node1, node2] = new Flow('ParallelFlow', { root }).run(1).step('train').tasks();
    assert.equal(node2.exception!.message, 'node 2 failed');
    assert.equal(node0.successful, false, 'node 0, waiting for node 2, was stopped');
    assert.match(node0.exception!.message, /killed by SIGKILL/);
    // Node 1 finishes once node 0 listens: before node 2's failure stops the gang, or stopped with it.
    assert.ok(
      node1.successful || /killed by SIGKILL/.test(node1.exception?.message ?? ''),
      'node 1 succeeded or was stopped with its gang',
    );
    const resumed = runCli(['resume', FILE], root);
    assert.equal(resumed.code, 0, resumed.stderr);
    const train = new Flow('ParallelFlow', { root }).run(2).step('train').tasks();
    assert.deepEqual(
      train.map((t) => Boolean(t.origin)),
      [false, false, false],
      'node 1 is not cloned without its gang',
    );
  });

  it('argo create refuses a @parallel step with a clear line', () => {
    const r = runCli(['argo', 'create', FILE, '--image', 'x/flowspec:1', '-o', join(freshRoot(), 'wt.yaml')], freshRoot());
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^flowspec: step 'train' of ParallelFlow is @parallel: gangs of pods \(numParallel\) are not supported on Argo Workflows yet; run the flow locally with flowspec run\n$/m,
    );
  });
});

// `flowspec graph` through the built CLI (node dist/cli.js), as a user runs it.
import { strict as assert } from 'node:assert';
import { freshRoot, runCli } from '../support/cli';

const FIX = 'test/fixtures/analysis';
const cli = (...args: string[]) => runCli(args, freshRoot());

describe('flowspec graph', function () {
  this.timeout(30000);

  it('graph defaults to JSON with nodes {name, kind, doc, line} and edges', () => {
    const r = cli('graph', `${FIX}/valid/branch.ts`, '--flow', 'BranchFlow');
    assert.equal(r.code, 0);
    const g = JSON.parse(r.stdout);
    assert.equal(g.flows.length, 1);
    assert.deepEqual(
      g.flows[0].nodes.map((n: any) => `${n.name}:${n.kind}:${n.line}`),
      ['start:start:6', 'a:linear:7', 'b:linear:8', 'join:join:9', 'end:end:13'],
    );
    assert.deepEqual(g.flows[0].edges[0], { from: 'start', to: 'a', kind: 'branch' });
    assert.deepEqual(g.flows[0].parameters, [{ name: 'alpha', type: 'number', default: 0.01, required: false, help: 'Learning rate' }]);
  });

  it('graph --format dot and mermaid', () => {
    const dot = cli('graph', `${FIX}/valid/branch.ts`, '--flow', 'BranchFlow', '--format', 'dot');
    assert.equal(dot.code, 0);
    assert.match(dot.stdout, /^digraph "BranchFlow" \{/);
    assert.match(dot.stdout, /"start" -> "a";/);
    const mm = cli('graph', `${FIX}/valid/switch.ts`, '--flow', 'SwitchLoopFlow', '--format', 'mermaid');
    assert.match(mm.stdout, /^flowchart TD\n/);
    assert.match(mm.stdout, /step_decide -.->\|"again"\| step_attempt/);
  });

  it('bad input is one line on stderr and exit 2', () => {
    const r = cli('graph', `${FIX}/valid/branch.ts`, '--format', 'png');
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "flowspec: unknown format 'png' (json, dot or mermaid)\n");
  });
});

// The graph walks as runs see them: random valid flows run by the local scheduler, read back
// through the client API, and a 20,000-step flow exported to Argo Workflows (the walks are
// iterative: no RangeError however long the flow). Each flow is a user's project outside the repo.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { generateFlow as generateBenchFlow } from '../../bench/support/benchFlow';
import type { WorkflowTemplate } from '../../runtime/argo/workflow';
import { Flow } from '../../runtime/client';
import { cliAsync, freshRoot, runCli } from '../support/cli';
import { userProject } from '../runtime/configuration/support';
import { generateFlow } from './support/randomFlows';

describe('graph walks in runs', function () {
  this.timeout(600_000);

  for (const seed of [7, 23, 41]) {
    it(`a random flow (seed ${seed}) runs: each join waits for the tasks of its split, steps are listed in dependency order`, () => {
      const flow = generateFlow(seed, { loops: true, length: 4, maxDepth: 2 });
      const dir = userProject({ 'flow.ts': flow.source });
      const root = freshRoot();
      const r = runCli(['run', 'flow.ts'], root, {}, dir);
      assert.equal(r.code, 0, `${r.stderr}\n${flow.source}`);
      const run = new Flow(flow.name, { root }).latestRun!;
      assert.equal(run.status, 'success');

      // Steps in the order the scheduler launched them: every edge that ran goes forward.
      const ran = run.steps().map((s) => s.name);
      const at = new Map(ran.map((s, i) => [s, i]));
      for (const s of flow.steps)
        for (const t of s.targets)
          if (at.has(s.name) && at.has(t) && !flow.loopEdges.has(`${s.name}>${t}`))
            assert.ok(at.get(s.name)! < at.get(t)!, `${s.name} before ${t} in ${ran.join(' ')}`);

      // A join's task takes one input per branch (two per foreach: two items), from the steps leading into it.
      for (const [split, join] of flow.joins) {
        if (!at.has(join)) continue;
        const spec = flow.steps.find((s) => s.name === split)!;
        const into = flow.steps.filter((s) => s.targets.includes(join)).map((s) => s.name);
        for (const task of run.step(join).tasks()) {
          const parents = task.parentTasks;
          assert.equal(parents.length, spec.kind === 'branch' ? spec.targets.length : 2, `${task.pathspec}`);
          for (const p of parents) assert.ok(into.includes(p.step), `${task.pathspec} takes ${p.pathspec}`);
        }
      }
    });
  }

  it('flowspec argo create exports a valid 20,000-step flow', async () => {
    const dir = userProject({ 'flow.ts': generateBenchFlow(20_000) });
    const root = freshRoot();
    // A 2.9 MB flow: its analysis takes a while on a busy machine (a deadline, not a timing).
    const args = ['argo', 'create', 'flow.ts', '--image', 'registry.example/flowspec:0.1.0', '-o', 'template.yaml'];
    const r = await cliAsync(args, root, dir, {}, 540_000);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /RangeError|internal error/);
    const template = YAML.parse(readFileSync(join(dir, 'template.yaml'), 'utf8'), { maxAliasCount: -1 }) as WorkflowTemplate;
    const stepTemplates = template.spec.templates.filter((t) => t.name.startsWith('step-'));
    assert.equal(stepTemplates.length, 20_001);
    const dagTasks = template.spec.templates.flatMap((t) => t.dag?.tasks ?? []).filter((t) => t.template.startsWith('step-'));
    assert.equal(dagTasks.length, 20_001);
    assert.ok(dagTasks.some((t) => t.template === 'step-end'));
  });
});

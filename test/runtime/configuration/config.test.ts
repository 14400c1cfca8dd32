// Config and configExpr: a config read once when a run starts (JSON, YAML, a parser of one's own),
// frozen, stored with the run and readable in every step; configExpr in decorator options and a
// parameter's default; --config / --config-value; resume keeps the origin's values; argo create
// resolves the decorators and hands the values to init-run; bad input is one line, exit 2.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { Flow } from '../../../runtime/client';
import type { WorkflowTemplate } from '../../../runtime/argo/workflow';
import { TIMEOUT_KILL_GRACE_MS } from '../../../runtime/flow/decorators';
import { freshRoot, linesOf, runCli } from '../../support/cli';
import { userProject } from './support';

const FLOW = `import { FlowSpec, step, Config, configExpr, Parameter, retry, resources, timeout, current } from 'flowspec';

interface Settings { cpu: number; retries: number; lr: number; model: { name: string } }

export class ConfigFlow extends FlowSpec {
  cfg = Config<Settings>('cfg', { default: 'config.json' });
  lr = Parameter('lr', { default: configExpr('cfg.lr'), type: Number });

  @resources({ cpu: configExpr('cfg.cpu') })
  @retry({ times: configExpr('cfg.retries') })
  @timeout({ seconds: configExpr('cfg.seconds') })
  @step start() {
    this.attempt = current.retryCount;
    if (current.retryCount < this.cfg.retries) throw new Error('not yet');
    try {
      (this.cfg.model as { name: string }).name = 'changed';
      this.frozen = false;
    } catch {
      this.frozen = true;
    }
    this.next(this.end);
  }

  @step end() {
    console.log(\`lr \${this.lr} model \${this.cfg.model.name}\`);
  }
}
`;

const YAML_FLOW = `import { FlowSpec, step, Config } from 'flowspec';

export class YamlFlow extends FlowSpec {
  settings = Config('settings', { default: 'settings.yaml', parser: 'yaml' });
  pairs = Config('pairs', { default: 'pairs.txt', parser: (text) => Object.fromEntries(text.trim().split('\\n').map((l) => l.split('='))) });
  fallback = Config('fallback', { defaultValue: { depth: 3 } });

  @step start() {
    this.seen = [this.settings.layers, this.pairs.mode, this.fallback.depth];
    this.next(this.end);
  }
  @step end() {}
}
`;

const CONFIG = { cpu: 2, retries: 1, seconds: 60, lr: 0.25, model: { name: 'small' } };

describe('Config and configExpr', () => {
  const dir = userProject({
    'flow.ts': FLOW,
    'yaml.ts': YAML_FLOW,
    'config.json': JSON.stringify(CONFIG, null, 2),
    'prod.json': JSON.stringify({ ...CONFIG, retries: 0, lr: 0.5, model: { name: 'big' } }),
    'settings.yaml': 'layers: [64, 32]\n',
    'pairs.txt': 'mode=fast\n',
  });

  it('reads the default file once, frozen, in every step; configExpr sets @retry and a default', () => {
    const root = freshRoot();
    const r = runCli(['run', 'flow.ts'], root, {}, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(linesOf(r.stdout, 'end'), ['lr 0.25 model small']);
    const run = new Flow('ConfigFlow', { root }).latestRun!;
    assert.deepEqual(run.configs, { cfg: CONFIG });
    assert.deepEqual(run.configSources, { cfg: 'default config.json' });
    assert.equal(run.parameters.lr, 0.25);
    const start = run.step('start').task!;
    assert.equal(start.data.attempt, 1, '@retry({ times: configExpr(cfg.retries) }) retried once');
    assert.equal(start.data.frozen, true);
    assert.deepEqual(start.data.cfg, CONFIG, 'an artifact of every task');
  });

  it('--config NAME FILE and --config-value NAME JSON replace the default; resume keeps the origin values', () => {
    const root = freshRoot();
    const prod = runCli(['run', 'flow.ts', '--config', 'cfg', 'prod.json'], root, {}, dir);
    assert.equal(prod.code, 0, prod.stderr);
    assert.deepEqual(linesOf(prod.stdout, 'end'), ['lr 0.5 model big']);
    const inline = runCli(
      ['run', 'flow.ts', '--config-value', 'cfg', JSON.stringify({ ...CONFIG, retries: 0, model: { name: 'inline' } })],
      root,
      {},
      dir,
    );
    assert.equal(inline.code, 0, inline.stderr);
    assert.deepEqual(linesOf(inline.stdout, 'end'), ['lr 0.25 model inline']);

    // The file changes after the run: resume (and what it reruns) still sees the run's values.
    const changed = userProject({ 'flow.ts': FLOW, 'config.json': JSON.stringify({ ...CONFIG, model: { name: 'edited' } }) });
    const root2 = freshRoot();
    assert.equal(runCli(['run', 'flow.ts'], root2, {}, changed).code, 0);
    writeFileSync(join(changed, 'config.json'), JSON.stringify({ ...CONFIG, lr: 9, model: { name: 'newer' } }));
    const resumed = runCli(['resume', 'flow.ts', 'end'], root2, {}, changed);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(linesOf(resumed.stdout, 'end'), ['lr 0.25 model edited']);
    assert.deepEqual(new Flow('ConfigFlow', { root: root2 }).run(2).configSources, { cfg: 'run 1' });
  });

  it('YAML, a parser of your own and a default value', () => {
    const root = freshRoot();
    const r = runCli(['run', 'yaml.ts'], root, {}, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(new Flow('YamlFlow', { root }).latestRun!.step('start').task!.data.seen, [[64, 32], 'fast', 3]);
  });

  it('bad input: one line naming the file, line and key, exit 2, no run', () => {
    const root = freshRoot();
    writeFileSync(join(dir, 'bad.json'), '{\n  "cpu": 2,\n  "lr": 0.25,,\n  "model": {}\n}\n');
    writeFileSync(join(dir, 'nolr.json'), JSON.stringify({ cpu: 1, retries: 0, seconds: 5, model: { name: 'x' } }));
    writeFileSync(join(dir, 'bad.yaml'), 'layers: [64\n');
    for (const [args, message] of [
      [['flow.ts', '--config', 'cfg', 'bad.json'], /config 'cfg' \(bad\.json\), line 3 \(after key 'lr'\): not JSON/],
      [['flow.ts', '--config', 'cfg', 'missing.json'], /config 'cfg': cannot read missing\.json \(ENOENT\)/],
      [['flow.ts', '--config', 'other', 'prod.json'], /ConfigFlow has no config 'other' \(configs: cfg\)/],
      [['flow.ts', '--config', 'cfg', 'nolr.json'], /configExpr\('cfg\.lr'\) in the default of --lr: config 'cfg' has no key 'lr'/],
      [['flow.ts', '--config-value', 'cfg'], /--config-value needs a name and a value/],
      [['yaml.ts', '--config', 'settings', 'bad.yaml'], /config 'settings' \(bad\.yaml\), line \d+: not YAML/],
    ] as const) {
      const r = runCli(['run', ...args], root, {}, dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, message);
    }
    const gone = userProject({ 'flow.ts': FLOW });
    const r = runCli(['run', 'flow.ts'], root, {}, gone);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /config 'cfg': cannot read config\.json \(ENOENT\)/);
    assert.deepEqual(Flow.list({ root, namespace: null }), [], 'no run of ConfigFlow was created');
  });

  it('a params file names a config file (relative to it) or gives its value; --config wins over it', () => {
    const root = freshRoot();
    const params = userProject({
      'flows/flow.ts': FLOW,
      'flows/config.json': JSON.stringify(CONFIG),
      'params/prod.yaml': 'cfg: { config: ../conf/prod.json }\n',
      'params/inline.json': JSON.stringify({
        cfg: { configValue: { ...CONFIG, lr: 0.75, model: { name: 'inline' } } },
        lr: { value: 0.125 },
      }),
      'conf/prod.json': JSON.stringify({ ...CONFIG, retries: 0, lr: 0.5, model: { name: 'big' } }),
      'conf/other.json': JSON.stringify({ ...CONFIG, retries: 0, model: { name: 'other' } }),
    });
    const fromFile = runCli(['run', 'flows/flow.ts', '--params', 'params/prod.yaml'], root, {}, params);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.deepEqual(linesOf(fromFile.stdout, 'end'), ['lr 0.5 model big']);
    const run = new Flow('ConfigFlow', { root }).latestRun!;
    assert.deepEqual(run.configSources, { cfg: `params file params/prod.yaml: ../conf/prod.json` });
    const inline = runCli(['run', 'flows/flow.ts', '--params', 'params/inline.json'], root, {}, params);
    assert.equal(inline.code, 0, inline.stderr);
    assert.deepEqual(linesOf(inline.stdout, 'end'), ['lr 0.125 model inline'], "the file's parameter value wins over configExpr's default");
    const both = runCli(['run', 'flows/flow.ts', '--params', 'params/prod.yaml', '--config', 'cfg', 'conf/other.json'], root, {}, params);
    assert.equal(both.code, 0, both.stderr);
    assert.deepEqual(linesOf(both.stdout, 'end'), ['lr 0.25 model other']);
    // No params file and no config.json where the run starts: the default file next to the flow.
    const beside = runCli(['run', 'flows/flow.ts'], root, {}, params);
    assert.equal(beside.code, 0, beside.stderr);
    assert.deepEqual(linesOf(beside.stdout, 'end'), ['lr 0.25 model small']);
  });

  it('bad config entries in a params file: one line naming the file and entry, exit 2, no run', () => {
    const root = freshRoot();
    const project = userProject({ 'flow.ts': FLOW, 'config.json': JSON.stringify(CONFIG), 'bad.json': '{ "cpu": 2,, }' });
    for (const [text, message] of [
      ['cfg: { config: nowhere.json }\n', /config 'cfg': cannot read nowhere\.json \(ENOENT\)/],
      ['cfg: { config: bad.json }\n', /config 'cfg' \(bad\.json\), line 1 \(after key 'cpu'\): not JSON/],
      ['other: { config: config.json }\n', /params file p\.yaml: ConfigFlow has no config 'other' \(configs: cfg\)/],
      [
        'cfg: { config: config.json, value: 1 }\n',
        /p\.yaml:1:\d+: entry 'cfg': a config entry takes config: FILE or configValue: VALUE, not value/,
      ],
      ['cfg: { config: 3 }\n', /p\.yaml:1:\d+: entry 'cfg': config names a file/],
      [
        'cfg: { configValue: { lr: 1 } }\n',
        /configExpr\('cfg\.seconds'\) in the decorators of step 'start': config 'cfg' has no key 'seconds'/,
      ],
    ] as const) {
      writeFileSync(join(project, 'p.yaml'), text);
      const r = runCli(['run', 'flow.ts', '--params', 'p.yaml'], root, {}, project);
      assert.equal(r.code, 2, `${text}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, message);
    }
    assert.deepEqual(Flow.list({ root, namespace: null }), [], 'no run was created');
  });

  it('argo create resolves decorators from the config and gives init-run its values', () => {
    const r = runCli(['argo', 'create', 'flow.ts', '-o', 'wt.yaml', '--config', 'cfg', 'prod.json'], freshRoot(), {}, dir);
    assert.equal(r.code, 0, r.stderr);
    const wt = YAML.parse(readFileSync(join(dir, 'wt.yaml'), 'utf8')) as WorkflowTemplate;
    const start = wt.spec.templates.find((t) => t.name === 'step-start')!;
    assert.deepEqual(start.container!.resources, { requests: { cpu: '2' } });
    assert.equal(
      start.activeDeadlineSeconds,
      60 + TIMEOUT_KILL_GRACE_MS / 1000,
      '@timeout({ seconds: configExpr(cfg.seconds) }) and the grace',
    );
    assert.equal(start.retryStrategy, undefined, 'retries: 0 in prod.json');
    const init = wt.spec.templates.find((t) => t.name === 'init-run')!.container!.args;
    const at = init.indexOf('--config-value');
    assert.deepEqual(JSON.parse(init[at + 2]).model, { name: 'big' });
    assert.equal(init[at + 1], 'cfg');
    assert.equal(wt.spec.arguments.parameters.find((p) => p.name === 'lr')!.value, '0.5', "the parameter's default from the config");
  });
});

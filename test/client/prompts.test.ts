import * as assert from 'node:assert';
import type { ParameterInfo } from '../../client/parameters';
import {
  ArtifactChoice,
  EarlierRuns,
  FROM_RUN_BUTTON,
  InputOptions,
  PickItem,
  PromptUi,
  RunChoice,
  promptConfigFiles,
  promptParameters,
} from '../../client/prompts';

const greeting: ParameterInfo = { name: 'greeting', type: 'string', required: false, default: 'hello', help: 'What to say' };
const times: ParameterInfo = { name: 'times', type: 'number', required: false, default: 2 };
const token: ParameterInfo = { name: 'token', type: 'string', required: true };

/** A scripted user: answers each prompt in turn and records what it was shown. */
class ScriptedUi implements PromptUi {
  shown: Array<{ kind: string; title: string; items?: string[]; descriptions?: string[]; placeholder?: string; input?: InputOptions }> = [];
  constructor(private readonly answers: Array<string | string[] | { button: string } | undefined>) {}
  private next() {
    if (!this.answers.length) throw new Error('unexpected prompt');
    return this.answers.shift();
  }
  async pick<T>(items: PickItem<T>[], o: { title: string; placeholder?: string }) {
    this.shown.push({
      kind: 'pick',
      title: o.title,
      items: items.map((i) => i.label),
      descriptions: items.map((i) => i.description ?? ''),
      placeholder: o.placeholder,
    });
    const a = this.next() as string | undefined;
    if (a === undefined) return undefined;
    const item = items.find((i) => i.label.includes(a));
    if (!item) throw new Error(`no item "${a}" in ${items.map((i) => i.label).join(' | ')}`);
    return item.value;
  }
  async pickMany<T>(items: PickItem<T>[], o: { title: string }) {
    this.shown.push({ kind: 'pickMany', title: o.title, items: items.map((i) => `${i.label}${i.picked ? '*' : ''}`) });
    const a = this.next() as string[] | undefined;
    return a === undefined ? undefined : items.filter((i) => a.includes(i.label)).map((i) => i.value);
  }
  async input(o: InputOptions) {
    this.shown.push({ kind: 'input', title: o.title, input: o });
    const a = this.next() as string | { button: string } | undefined;
    if (typeof a === 'object') {
      if (!o.buttons?.some((b) => b.id === a.button)) throw new Error(`no button ${a.button}`);
      return a;
    }
    if (a !== undefined && o.validate(a)) throw new Error(`would not accept ${a}: ${o.validate(a)}`);
    return a;
  }
}

describe('run prompts', () => {
  it('asks nothing for a flow without parameters', async () => {
    assert.deepStrictEqual(await promptParameters('F', [], new ScriptedUi([])), {});
  });

  it('goes straight to the InputBox for a single parameter, prefilled with its default', async () => {
    const ui = new ScriptedUi(['hi']);
    assert.deepStrictEqual(await promptParameters('F', [greeting], ui), { greeting: 'hi' });
    assert.strictEqual(ui.shown[0].input!.value, 'hello');
    assert.match(ui.shown[0].input!.prompt, /string, default "hello" — What to say/);
  });

  it('asks which parameters to change, then one InputBox each, numbered', async () => {
    const ui = new ScriptedUi([['times'], '5']);
    assert.deepStrictEqual(await promptParameters('F', [greeting, times], ui), { times: '5' });
    assert.deepStrictEqual(
      ui.shown.map((s) => s.kind),
      ['pickMany', 'input'],
    );
    assert.match(ui.shown[1].title, /times$/);
  });

  it('validates as the user types', async () => {
    const ui = new ScriptedUi([['times'], '3']);
    await promptParameters('F', [greeting, times], ui);
    const box = ui.shown[1].input!;
    assert.match(box.validate('x')!, /not a number/);
    assert.strictEqual(box.validate('7'), undefined);
  });

  it('insists on a required parameter even when it was not picked', async () => {
    const ui = new ScriptedUi([[], 'secret']);
    assert.deepStrictEqual(await promptParameters('F', [greeting, token], ui), { token: 'secret' });
    assert.deepStrictEqual(ui.shown[0].items, ['greeting', 'token*']);
    assert.match(ui.shown[1].input!.validate('')!, /required/);
  });

  it('treats typing the default as keeping the default', async () => {
    const ui = new ScriptedUi([['greeting', 'times'], 'hello', '4']);
    assert.deepStrictEqual(await promptParameters('F', [greeting, times], ui), { times: '4' });
    assert.match(ui.shown[1].title, /\(1\/2\)/);
  });

  it('offers the remembered values and earlier runs first', async () => {
    const ui = new ScriptedUi(['Run with these values']);
    const r = await promptParameters('F', [greeting, times], ui, {
      remembered: { times: '9' },
      pastRuns: [{ id: '7', texts: { times: '1' } }],
    });
    assert.deepStrictEqual(r, { times: '9' });
    assert.deepStrictEqual(ui.shown[0].items, [
      '$(play) Run with these values',
      '$(edit) Change parameters…',
      '$(history) Same parameters as run 7',
    ]);
  });

  it('reuses the parameters of an earlier run', async () => {
    const ui = new ScriptedUi(['run 7']);
    const r = await promptParameters('F', [greeting, times], ui, { pastRuns: [{ id: '7', texts: { greeting: 'yo', times: '1' } }] });
    assert.deepStrictEqual(r, { greeting: 'yo', times: '1' });
  });

  it('changes remembered values starting from them', async () => {
    const ui = new ScriptedUi(['Change parameters', ['greeting'], 'hey']);
    const r = await promptParameters('F', [greeting, times], ui, { remembered: { times: '9', removed: 'x' } });
    assert.deepStrictEqual(r, { times: '9', greeting: 'hey' });
    assert.deepStrictEqual(ui.shown[1].items, ['greeting', 'times']);
  });

  it('returns undefined when the user presses Escape anywhere', async () => {
    assert.strictEqual(await promptParameters('F', [greeting, times], new ScriptedUi([undefined])), undefined);
    assert.strictEqual(await promptParameters('F', [greeting, times], new ScriptedUi([['times'], undefined])), undefined);
    assert.strictEqual(await promptParameters('F', [greeting], new ScriptedUi([undefined])), undefined);
  });

  it('does not offer "run with these values" while a required parameter has none', async () => {
    const ui = new ScriptedUi(['Change parameters', [], 'tok']);
    const r = await promptParameters('F', [greeting, token], ui, { pastRuns: [{ id: '1', texts: {} }] });
    assert.deepStrictEqual(r, { token: 'tok' });
    assert.ok(!ui.shown[0].items!.some((i) => i.includes('these values')));
  });
});

describe('run prompts: a value from an earlier run', () => {
  const total: ParameterInfo = { name: 'total', type: 'number', required: true };
  const cfg: ParameterInfo = { name: 'cfg', type: 'json', required: false, default: {} };
  const runs: RunChoice[] = [
    { flow: 'ProducerFlow', id: '4', description: 'just now · n=4' },
    { flow: 'HelloFlow', id: '2', description: '3 min ago' },
  ];
  const artifacts: Record<string, ArtifactChoice[]> = {
    'ProducerFlow/4': [
      { path: 'outputs.total', task: 'ProducerFlow/4/end/3', type: 'number', preview: '10' },
      { path: 'outputs.name', task: 'ProducerFlow/4/end/3', type: 'string', preview: '"producer"' },
      { path: 'square[1].value', task: 'ProducerFlow/4/square/2', type: 'number', preview: '1' },
      { path: 'start.items', task: 'ProducerFlow/4/start/1', type: 'Array(4)', preview: '[1, 2, 3, 4]' },
    ],
    'HelloFlow/2': [{ path: 'outputs.message', task: 'HelloFlow/2/end/5', type: 'string', preview: '"hi hi"' }],
  };
  const source = (): EarlierRuns & { asked: number } => {
    const s = {
      asked: 0,
      runs: () => {
        s.asked++;
        return runs;
      },
      artifacts: (r: RunChoice) => artifacts[`${r.flow}/${r.id}`] ?? [],
    };
    return s;
  };
  const button = { button: FROM_RUN_BUTTON.id };

  it('offers the button in each InputBox, and answers a ref to the artifact picked', async () => {
    const ui = new ScriptedUi([button, 'ProducerFlow/4', 'outputs.total']);
    const r = await promptParameters('C', [total], ui, { earlierRuns: source() });
    assert.deepStrictEqual(r, {
      total: { ref: 'flows.ProducerFlow.4', value: 'outputs.total', task: 'ProducerFlow/4/end/3', preview: '10' },
    });
    assert.deepStrictEqual(ui.shown[0].input!.buttons, [FROM_RUN_BUTTON]);
    assert.deepStrictEqual(ui.shown[1].items, ['$(pass) ProducerFlow/4', '$(pass) HelloFlow/2']);
    assert.strictEqual(ui.shown[1].descriptions![0], 'just now · n=4');
    assert.match(ui.shown[1].title, /total from an earlier run/);
  });

  it('lists only the artifacts whose recorded type fits the parameter, with type and preview', async () => {
    const ui = new ScriptedUi([button, 'ProducerFlow/4', 'square[1]']);
    const r = await promptParameters('C', [total], ui, { earlierRuns: source() });
    assert.deepStrictEqual(ui.shown[2].items, ['outputs.total', 'square[1].value']);
    assert.deepStrictEqual(ui.shown[2].descriptions, ['number · 10', 'number · 1']);
    assert.match(ui.shown[2].placeholder!, /2 of other types hidden/);
    assert.deepStrictEqual(r!.total, {
      ref: 'flows.ProducerFlow.4',
      value: 'square[1].value',
      task: 'ProducerFlow/4/square/2',
      preview: '1',
    });
  });

  it('lets a json parameter take any artifact', async () => {
    const ui = new ScriptedUi([button, 'ProducerFlow/4', 'start.items']);
    await promptParameters('C', [cfg], ui, { earlierRuns: source() });
    assert.strictEqual(ui.shown[2].items!.length, 4);
  });

  it('goes back a level on Escape: artifacts → runs → the InputBox, where a typed value still works', async () => {
    const ui = new ScriptedUi([button, 'ProducerFlow/4', undefined, undefined, '7']);
    const r = await promptParameters('C', [total], ui, { earlierRuns: source() });
    assert.deepStrictEqual(r, { total: '7' });
    assert.deepStrictEqual(
      ui.shown.map((s) => s.kind),
      ['input', 'pick', 'pick', 'pick', 'input'],
    );
  });

  it('says when a run has no artifact of the type, and goes back to the runs', async () => {
    const ui = new ScriptedUi([button, 'HelloFlow/2', 'Back to the runs', 'ProducerFlow/4', 'outputs.total']);
    const r = await promptParameters('C', [total], ui, { earlierRuns: source() });
    assert.deepStrictEqual(ui.shown[2].items, ['$(arrow-left) Back to the runs']);
    assert.match(ui.shown[2].descriptions![0], /HelloFlow\/2 has no number artifact \(1 of other types\)/);
    assert.strictEqual((r!.total as { value: string }).value, 'outputs.total');
  });

  it('reads the runs only when the button is pressed, and offers no button without a datastore', async () => {
    const s = source();
    const ui = new ScriptedUi(['3']);
    await promptParameters('C', [total], ui, { earlierRuns: s });
    assert.strictEqual(s.asked, 0);
    const plain = new ScriptedUi(['3']);
    await promptParameters('C', [total], plain);
    assert.strictEqual(plain.shown[0].input!.buttons, undefined);
  });

  it('says so when the datastore has no successful run', async () => {
    const ui = new ScriptedUi([button, 'Back', '5']);
    const r = await promptParameters('C', [total], ui, { earlierRuns: { runs: () => [], artifacts: () => [] } });
    assert.match(ui.shown[1].descriptions![0], /no successful run/);
    assert.deepStrictEqual(r, { total: '5' });
  });

  it('remembers a ref: runs with it again, shows it, and keeps it on an empty answer', async () => {
    const ref = { ref: 'flows.ProducerFlow.4', value: 'outputs.total' };
    const again = new ScriptedUi(['Run with these values']);
    assert.deepStrictEqual(await promptParameters('C', [total, greeting], again, { remembered: { total: ref } }), { total: ref });
    assert.match(again.shown[0].descriptions![0], /total ← ProducerFlow\/4 outputs\.total/);

    const keep = new ScriptedUi(['Change parameters', ['total'], '']);
    assert.deepStrictEqual(await promptParameters('C', [total, greeting], keep, { remembered: { total: ref } }), { total: ref });
    assert.match(keep.shown[1].items!.join(), /total/);
    const box = keep.shown[2].input!;
    assert.strictEqual(box.value, '');
    assert.match(box.placeholder!, /← ProducerFlow\/4 outputs\.total/);
    assert.strictEqual(box.validate(''), undefined, 'an empty answer keeps the ref even for a required parameter');

    const replace = new ScriptedUi(['Change parameters', ['total'], '12']);
    assert.deepStrictEqual(await promptParameters('C', [total, greeting], replace, { remembered: { total: ref } }), { total: '12' });
  });

  it('titles the dialogue for saving instead of running', async () => {
    const ui = new ScriptedUi(['Save these values']);
    await promptParameters('C', [total, greeting], ui, {
      remembered: { total: '1' },
      title: 'Save C params',
      accept: '$(save) Save these values',
    });
    assert.strictEqual(ui.shown[0].title, 'Save C params');
    assert.strictEqual(ui.shown[0].items![0], '$(save) Save these values');
  });
});

describe('Run prompt: config files', () => {
  const cfg = { name: 'cfg', defaultFile: 'config.json', format: 'json' as const, help: 'Training settings' };
  const extra = { name: 'extra', format: 'yaml' as const };

  it('asks only for configs with another file than the default, the default first', async () => {
    const ui = new ScriptedUi(['prod.json', 'No file']);
    const chosen = await promptConfigFiles(
      'TrainFlow',
      [
        { config: cfg, files: ['config.json', 'prod.json'] },
        { config: { ...cfg, name: 'alone' }, files: ['config.json'] },
        { config: extra, files: ['dev.yaml'] },
      ],
      ui,
    );
    assert.deepStrictEqual(chosen, { cfg: 'prod.json' });
    assert.deepStrictEqual(
      ui.shown.map((s) => [s.title, s.items]),
      [
        ['Run TrainFlow — config cfg', ['$(file) config.json', '$(file) prod.json']],
        ['Run TrainFlow — config extra', ['$(file) dev.yaml', '$(circle-slash) No file']],
      ],
    );
    assert.deepStrictEqual(ui.shown[0].descriptions, ['default', '']);
    assert.match(ui.shown[0].placeholder!, /Training settings/);
  });

  it('puts the file chosen last time first; Escape cancels the run', async () => {
    const again = new ScriptedUi(['prod.json']);
    await promptConfigFiles('T', [{ config: cfg, files: ['config.json', 'prod.json'] }], again, { cfg: 'prod.json' });
    assert.deepStrictEqual(again.shown[0].items, ['$(file) prod.json', '$(file) config.json']);
    assert.deepStrictEqual(again.shown[0].descriptions, ['last used', 'default']);
    assert.strictEqual(
      await promptConfigFiles('T', [{ config: cfg, files: ['config.json', 'prod.json'] }], new ScriptedUi([undefined])),
      undefined,
    );
  });
});

import * as assert from 'node:assert';
import type { ParameterInfo } from '../../client/parameters';
import { InputOptions, PickItem, PromptUi, promptParameters } from '../../client/prompts';

const greeting: ParameterInfo = { name: 'greeting', type: 'string', required: false, default: 'hello', help: 'What to say' };
const times: ParameterInfo = { name: 'times', type: 'number', required: false, default: 2 };
const token: ParameterInfo = { name: 'token', type: 'string', required: true };

/** A scripted user: answers each prompt in turn and records what it was shown. */
class ScriptedUi implements PromptUi {
  shown: Array<{ kind: string; title: string; items?: string[]; input?: InputOptions }> = [];
  constructor(private readonly answers: Array<string | string[] | undefined>) {}
  private next() { if (!this.answers.length) throw new Error('unexpected prompt'); return this.answers.shift(); }
  async pick<T>(items: PickItem<T>[], o: { title: string }) {
    this.shown.push({ kind: 'pick', title: o.title, items: items.map((i) => i.label) });
    const a = this.next() as string | undefined;
    return a === undefined ? undefined : items.find((i) => i.label.includes(a))!.value;
  }
  async pickMany<T>(items: PickItem<T>[], o: { title: string }) {
    this.shown.push({ kind: 'pickMany', title: o.title, items: items.map((i) => `${i.label}${i.picked ? '*' : ''}`) });
    const a = this.next() as string[] | undefined;
    return a === undefined ? undefined : items.filter((i) => a.includes(i.label)).map((i) => i.value);
  }
  async input(o: InputOptions) {
    this.shown.push({ kind: 'input', title: o.title, input: o });
    const a = this.next() as string | undefined;
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
    assert.deepStrictEqual(ui.shown.map((s) => s.kind), ['pickMany', 'input']);
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
    const r = await promptParameters('F', [greeting, times], ui, { remembered: { times: '9' }, pastRuns: [{ id: '7', texts: { times: '1' } }] });
    assert.deepStrictEqual(r, { times: '9' });
    assert.deepStrictEqual(ui.shown[0].items, ['$(play) Run with these values', '$(edit) Change parameters…', '$(history) Same parameters as run 7']);
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

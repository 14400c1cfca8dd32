// Thousands of random truncations and edits of the fixture flows: analyzeText (and the graph
// functions over what it returns) must never throw. Deterministic: a fixed seed.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, graphJson, renderMermaid, renderShow, validateGraph } from '../../analyzer';

const FIX = join(__dirname, '../fixtures/analysis');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const TOKENS = [
  'this.next(',
  'this.',
  ')',
  '(',
  '{',
  '}',
  "'",
  '"',
  '`',
  '@step ',
  'inputs',
  ", { foreach: '",
  ", { condition: '",
  'this.mergeArtifacts(inputs',
  ';',
  '\n',
  'extends FlowSpec',
  'async ',
  '=',
  'this.x = ',
  'if (',
  'for (const i of inputs) ',
  'return ',
  '/*',
  '//',
];

// A fixed number of cases, not as many as fit in a time budget: the same cases on any machine.
const RUNS = 600;

describe('fuzz', function () {
  this.timeout(300_000);
  it('analyzeText never throws on truncated or edited flows', () => {
    const sources = files(FIX).map((f) => readFileSync(f, 'utf8'));
    const rand = rng(42);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    for (let runs = 0; runs < RUNS; runs++) {
      let text = pick(sources);
      const edits = 1 + Math.floor(rand() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * (text.length + 1));
        const op = rand();
        if (op < 0.25) text = text.slice(0, at);
        else if (op < 0.5) text = text.slice(0, at) + text.slice(at + Math.floor(rand() * 40));
        else if (op < 0.85) text = text.slice(0, at) + pick(TOKENS) + text.slice(at);
        else {
          const other = pick(sources);
          const from = Math.floor(rand() * other.length);
          text = text.slice(0, at) + other.slice(from, from + 200) + text.slice(at);
        }
      }
      try {
        const r = analyzeText(`/fuzz/${runs % 7}.ts`, text, { types: runs % 10 === 0 });
        for (const f of r.flows) {
          validateGraph(f);
          graphJson(f);
          renderMermaid(f);
          renderShow(f);
        }
      } catch (e) {
        assert.fail(`analyzeText threw on:\n${text}\n${(e as Error).stack}`);
      }
    }
  });
});

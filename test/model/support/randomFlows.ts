// Random valid flows for the graph-walk tests: linear runs of steps, branches and foreaches
// (nested), switches whose cases meet again, and switch loops, built from a seed so that a failure
// names the seed that reproduces it. Each flow knows, as it was built, which join closes each
// split and which edges close a loop; the tests check every user of the graph against that.
import type { ShapeStep } from '../../../model/graph';

export interface GeneratedStep {
  name: string;
  kind: ShapeStep['kind'];
  targets: string[];
  join: boolean;
  /** A switch's cases (key → step). */
  cases?: Record<string, string>;
  /** The artifact a foreach iterates or a switch reads, assigned in the step. */
  artifact?: string;
}

export interface GeneratedFlow {
  seed: number;
  name: string;
  /** In declaration order, start first and end last. */
  steps: GeneratedStep[];
  /** Split → the join that closes it, as built. */
  joins: Map<string, string>;
  /** Edges `from>to` that go back to an earlier step (switch loops). */
  loopEdges: Set<string>;
  /** The flow's source, as a user writes it. */
  source: string;
}

/** A deterministic generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

export interface GenerateOptions {
  /** Allow switch loops (not for Argo, whose DAGs have no cycles). */
  loops: boolean;
  /** Blocks in the outermost sequence. */
  length?: number;
  /** How deep splits nest. */
  maxDepth?: number;
}

export function generateFlow(seed: number, options: GenerateOptions): GeneratedFlow {
  const random = seededRandom(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const steps = new Map<string, GeneratedStep>();
  const joins = new Map<string, string>();
  const loopEdges = new Set<string>();
  let count = 0;
  const newStep = (join = false): string => {
    const name = `s${count++}`;
    steps.set(name, { name, kind: 'end', targets: [], join });
    return name;
  };
  const go = (from: string, kind: ShapeStep['kind'], targets: string[], extra: Partial<GeneratedStep> = {}) =>
    Object.assign(steps.get(from)!, { kind, targets, ...extra });

  // Appends one block after `prev` (a step whose transition is still open); returns the block's last step.
  const block = (prev: string, depth: number): string => {
    const kinds = [
      'linear',
      'linear',
      ...(depth < (options.maxDepth ?? 3) ? ['branch', 'foreach'] : []),
      'switch',
      ...(options.loops ? ['loop'] : []),
    ];
    switch (kinds[pick(kinds.length)]) {
      case 'branch': {
        const heads = Array.from({ length: 2 + pick(2) }, () => newStep());
        go(prev, 'branch', heads);
        const tails = heads.map((h) => sequence(h, depth + 1, pick(3)));
        const join = newStep(true);
        for (const t of tails) go(t, 'linear', [join]);
        joins.set(prev, join);
        return join;
      }
      case 'foreach': {
        const body = newStep();
        go(prev, 'foreach', [body], { artifact: 'items' });
        const tail = sequence(body, depth + 1, pick(3));
        const join = newStep(true);
        go(tail, 'linear', [join]);
        joins.set(prev, join);
        return join;
      }
      case 'switch': {
        const [a, b] = [newStep(), newStep()];
        go(prev, 'switch', [a, b], { cases: { left: a, right: b }, artifact: 'route' });
        const meet = newStep();
        go(sequence(a, depth, pick(2)), 'linear', [meet]);
        go(sequence(b, depth, pick(2)), 'linear', [meet]);
        return meet;
      }
      case 'loop': {
        // prev → head … tail, and tail's switch goes back to head (`again`) or on (`done`).
        const head = newStep();
        go(prev, 'linear', [head]);
        const tail = sequence(head, depth, pick(2));
        const after = newStep();
        go(tail, 'switch', [head, after], { cases: { again: head, done: after }, artifact: 'route' });
        loopEdges.add(`${tail}>${head}`);
        return after;
      }
      default: {
        const next = newStep();
        go(prev, 'linear', [next]);
        return next;
      }
    }
  };
  const sequence = (first: string, depth: number, blocks: number): string => {
    let last = first;
    for (let i = 0; i < blocks; i++) last = block(last, depth);
    return last;
  };

  const start = newStep();
  const last = sequence(start, 0, options.length ?? 2 + pick(6));
  const ordered = [...steps.values()];
  // Steps are named s0, s1…: rename the first `start` and add `end` after the last.
  const rename = new Map([[start, 'start']]);
  const nameOf = (s: string) => rename.get(s) ?? s;
  const final: GeneratedStep[] = ordered.map((s) => ({
    ...s,
    name: nameOf(s.name),
    targets: s.targets.map(nameOf),
    ...(s.cases ? { cases: Object.fromEntries(Object.entries(s.cases).map(([k, v]) => [k, nameOf(v)])) } : {}),
  }));
  const lastStep = final.find((s) => s.name === nameOf(last))!;
  Object.assign(lastStep, { kind: 'linear', targets: ['end'] });
  final.push({ name: 'end', kind: 'end', targets: [], join: false });
  const flow: GeneratedFlow = {
    seed,
    name: `Random${seed}Flow`,
    steps: final,
    joins: new Map([...joins].map(([s, j]) => [nameOf(s), nameOf(j)])),
    loopEdges: new Set([...loopEdges].map((e) => e.split('>').map(nameOf).join('>'))),
    source: '',
  };
  flow.source = sourceOf(flow);
  return flow;
}

/** The flow as TypeScript: each switch picks its first case that does not loop, so a run ends. */
function sourceOf(flow: GeneratedFlow): string {
  const lines = ["import { FlowSpec, Inputs, step } from 'flowspec';", '', `export class ${flow.name} extends FlowSpec {`];
  for (const s of flow.steps) {
    const body: string[] = [];
    if (s.kind === 'foreach') body.push(`this.items = [1, 2];`, `this.next(this.${s.targets[0]}, { foreach: 'items' });`);
    else if (s.kind === 'switch') {
      const cases = Object.entries(s.cases!);
      const chosen = cases.find(([, to]) => !flow.loopEdges.has(`${s.name}>${to}`))![0];
      body.push(
        `this.route = '${chosen}';`,
        `this.next({ ${cases.map(([k, to]) => `${k}: this.${to}`).join(', ')} }, { condition: 'route' });`,
      );
    } else if (s.kind !== 'end') body.push(`this.next(${s.targets.map((t) => `this.${t}`).join(', ')});`);
    lines.push(`  @step ${s.name}(${s.join ? 'inputs: Inputs' : ''}) {`, ...body.map((l) => `    ${l}`), '  }', '');
  }
  lines.push('}', '');
  return lines.join('\n');
}

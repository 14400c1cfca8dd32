// The generated flows the language-server benches (and test/faults/lsp.test.ts) edit; they run
// too (bench/lspNavigation.ts runs one so hover has a latest run to show).

/** A flow of about `n` steps mixing branches, joins with mergeArtifacts, foreaches and linear steps. */
export function generateFlow(n: number): string {
  const lines = [
    "import { FlowSpec, step, Parameter, Inputs } from 'flowspec';",
    '',
    `export class Bench${n}Flow extends FlowSpec {`,
    "  rate = Parameter('rate', { default: 0.5 });",
    '',
  ];
  let count = 0;
  let prev = 'start';
  let prevBody = '    this.seed = 1;';
  const emit = (name: string, body: string, next: string, params = '') => {
    lines.push(`  /** Step ${name}. */`, `  @step ${name}(${params}) {`, body, `    ${next}`, '  }', '');
    count++;
  };
  let block = 0;
  while (count + 9 < n) {
    const b = `b${block++}`;
    emit(prev, prevBody, `this.next(this.${b}_a, this.${b}_b);`, prev.endsWith('_fj') ? 'inputs: Inputs' : '');
    emit(`${b}_a`, `    this.${b}_x = ${block} * this.rate;\n    this.shared = 1;`, `this.next(this.${b}_j);`);
    emit(`${b}_b`, `    this.${b}_y = [1, 2, 3];\n    this.shared = 1;`, `this.next(this.${b}_j);`);
    emit(
      `${b}_j`,
      '    this.mergeArtifacts(inputs);\n    this.items = this.' + `${b}_y.map((v: number) => v + this.${b}_x);`,
      `this.next(this.${b}_f);`,
      'inputs: Inputs',
    );
    emit(`${b}_f`, `    this.total = this.items.length;`, `this.next(this.${b}_fe, { foreach: 'items' });`);
    emit(`${b}_fe`, `    this.v = this.input * 2;`, `this.next(this.${b}_fj);`);
    prev = `${b}_fj`;
    prevBody = `    this.vs = [...inputs].map((i: any) => i.v);\n    this.mergeArtifacts(inputs, { exclude: ['v'] });`;
  }
  while (count < n - 1) {
    const name = `tail${count}`;
    emit(prev, prevBody, `this.next(this.${name});`, prev.endsWith('_fj') ? 'inputs: Inputs' : '');
    prev = name;
    prevBody = `    this.t${count} = ${count};`;
  }
  emit(prev, prevBody, 'this.next(this.end);', prev.endsWith('_fj') ? 'inputs: Inputs' : '');
  lines.push('  @step end() {', '    console.log(this.seed);', '  }', '}', '');
  return lines.join('\n');
}

// A flow on native packages: xxhash digests in a foreach, then a DuckDB SQL step over them.
import { join } from 'node:path';
import { sharedModules } from './projects';

export const NATIVE_FLOW = `import { FlowSpec, Inputs, step } from 'flowspec';
import { xxh32 } from '@node-rs/xxhash';
import { DuckDBInstance } from '@duckdb/node-api';

export class NativeFlow extends FlowSpec {
  @step start() { this.words = ['alpha', 'beta', 'gamma']; this.next(this.hash, { foreach: 'words' }); }
  @step hash() { this.word = this.input; this.digest = xxh32(this.input as string); this.next(this.join); }
  @step join(inputs: Inputs) {
    this.rows = [...inputs].map((i) => [i.word as string, i.digest as number]);
    this.next(this.sql);
  }
  @step async sql() {
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    const values = (this.rows as Array<[string, number]>).map(([w, d]) => \`('\${w}', \${d})\`).join(', ');
    const reader = await connection.runAndReadAll(
      \`select count(*)::integer as n, string_agg(word, ',' order by word) as words, max(digest)::bigint::varchar as top from (values \${values}) t(word, digest)\`);
    this.summary = reader.getRowObjects()[0];
    connection.closeSync();
    this.next(this.end);
  }
  @step end() { console.log(\`sql \${JSON.stringify(this.summary)}\`); }
}
`;

/** xxh32 of the words, computed here with the same package. */
export function expectedDigests(): number[] {
  const { xxh32 } = require(join(sharedModules().modules, '@node-rs/xxhash')) as { xxh32(s: string): number };
  return ['alpha', 'beta', 'gamma'].map((w) => xxh32(w));
}

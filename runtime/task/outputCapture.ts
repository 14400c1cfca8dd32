// Captures what a step writes to stdout/stderr (console.log included) while it runs.

export type OutputSink = (stream: 'stdout' | 'stderr', text: string) => void;

export function captureOutput(sink: OutputSink): () => void {
  const originals = { stdout: process.stdout.write, stderr: process.stderr.write };
  for (const stream of ['stdout', 'stderr'] as const) {
    process[stream].write = function (chunk: unknown, encoding?: unknown, callback?: unknown) {
      const text =
        typeof chunk === 'string'
          ? chunk
          : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      sink(stream, text);
      const cb = typeof encoding === 'function' ? encoding : callback;
      if (typeof cb === 'function') process.nextTick(cb as () => void);
      return true;
    } as typeof process.stdout.write;
  }
  return () => {
    process.stdout.write = originals.stdout;
    process.stderr.write = originals.stderr;
  };
}

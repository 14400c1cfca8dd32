// A spin started before it is asked for (internal command `__spin-standby`): the editor keeps one
// ready (client/spin/standby.ts), so that a click on Spin does not wait for Node, the CLI, esbuild
// and the task's worker process to start. It starts them, then reads one line on stdin, the
// arguments of `flowspec spin` as a JSON array, and runs that spin exactly as `flowspec spin` would
// (same output, same exit code); stdin closed without a line ends it quietly. One spin per process,
// as with `flowspec spin`: the worker and the loaded packages of one spin never serve another.
import { openDatastore } from '../../runtime/datastore';
import { UserError } from '../../runtime/errors';
import { startBundler } from '../../runtime/flowcode/bundle';
import { startSpinWorker } from '../../runtime/spin/spin';
import { Command, defineSpec, parse } from '../command';
import { spin } from './spin';

const spec = defineSpec({
  name: '__spin-standby',
  positionals: '',
  options: {},
  summary: 'a spin started ahead: runs the `flowspec spin` whose arguments (a JSON array) come on stdin',
  internal: true,
});

async function main(argv: string[]): Promise<number> {
  parse(spec, argv);
  const worker = startSpinWorker(openDatastore(), process.argv[1]);
  startBundler();
  const line = await firstLine(process.stdin);
  if (line === undefined) {
    worker.close();
    return 0;
  }
  let args: unknown;
  try {
    args = JSON.parse(line);
  } catch {
    args = undefined;
  }
  try {
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string'))
      throw new UserError('__spin-standby reads the arguments of flowspec spin on stdin, as one JSON array of strings');
    return await spin(args, worker);
  } finally {
    worker.close(); // when the spin did not get as far as taking it over
  }
}

/** The first line of a stream (undefined when it ends without one); the stream is let go after it. */
function firstLine(input: NodeJS.ReadStream): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const done = (line: string | undefined) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.destroy();
      resolve(line);
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\n');
      if (end >= 0) done(text.slice(0, end));
    };
    const onEnd = () => done(undefined);
    input.on('data', onData);
    input.on('end', onEnd);
  });
}

export const command: Command = { spec, main };

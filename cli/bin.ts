// The `flowspec` bin (dist/cli.js): starts the CLI, dist/cliMain.js (cli/main.ts), through V8's code
// cache (runtime/codeCache.ts): one for the commands, one for the task workers a run forks and one
// for its background refresh of the types, which each use other functions of it. Parsing and
// compiling the 0.7 MB bundle cost every process ~15–25 ms of CPU: a run starts three (itself and
// two workers on two cores).
import { join } from 'node:path';
import { requireCached } from '../runtime/codeCache';
import { bundleStamp } from '../runtime/userCache';

const ROLES = new Map([
  ['__worker', 'worker'],
  ['__refresh-types', 'refresh'],
]);

const main = join(__dirname, 'cliMain.js');
const stamp = bundleStamp('cliMain');
// eslint-disable-next-line flowspec/imports -- the CLI's own bundle beside this one (cli/main.ts), loaded as is when there is no stamp (a watch build)
if (stamp === undefined) require(main);
else requireCached(main, ROLES.get(process.argv[2]) ?? 'cli', stamp);

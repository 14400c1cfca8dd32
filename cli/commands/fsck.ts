// `flowspec fsck [FLOW] [--repair]`: verifies every record and blob (see runtime/datastore/fsck.ts),
// one line per damaged file; exit 0 when all is well, 1 when something was damaged.
import { openDatastore } from '../../runtime/datastore';
import { flowsIn, fsck } from '../../runtime/datastore/fsck';
import { checkIdentifier } from '../../runtime/datastore/names';
import { keys } from '../../runtime/datastore/records';
import { UserError } from '../../runtime/errors';
import { Command, defineSpec, parse, usageError } from '../command';
import { printable } from '../terminal';

const spec = defineSpec({
  name: 'fsck',
  positionals: '[FLOW]',
  options: { repair: { type: 'boolean', help: 'remove what cannot be trusted' } },
  summary: 'verifies every record and blob',
  details:
    '`--repair` removes what cannot be trusted so `resume` reruns the affected tasks (see [docs/reliability.md](docs/reliability.md))',
});

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(spec, argv);
  if (positionals.length > 1) throw usageError(spec);
  const [flow] = positionals;
  const datastore = openDatastore();
  if (flow !== undefined && datastore.list(keys.runs(checkIdentifier('flow name', flow))).length === 0)
    throw new UserError(`no runs of ${flow} in ${datastore.location}`);
  const repair = values.repair === true;
  const { findings, checked } = fsck(datastore, flow ? [flow] : flowsIn(datastore), repair);
  for (const f of findings) {
    process.stdout.write(`damaged: ${printable(f.key)}: ${printable(f.problem)}${f.removed ? ` (removed ${printable(f.removed)})` : ''}\n`);
  }
  const summary = `${checked.runs} runs, ${checked.tasks} tasks, ${checked.blobs} blobs, ${checked.packages} code packages checked in ${datastore.location}`;
  if (!findings.length) {
    process.stdout.write(`${summary}: no damage.\n`);
    return 0;
  }
  process.stdout.write(
    `${summary}: ${findings.length} damaged` +
      (repair
        ? `; removed what could not be trusted: resume the affected runs to run their tasks again.\n`
        : `; run flowspec fsck${flow ? ` ${flow}` : ''} --repair to remove them.\n`),
  );
  return 1;
}

export const command: Command = { spec, main };

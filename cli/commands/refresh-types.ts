// The background half of the pre-run check (internal command `__refresh-types FILE FLOW`, started
// detached by cli/validate.ts): regenerates the artifact types of a flow file that was just run,
// and records the declarations written in the verdict of the text they were made from, so the next
// run of that text knows whether they are still on disk. Its output goes nowhere: `flowspec types`
// and `flowspec check` are the commands that report on the types.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readVerdict, verdictKey, writeVerdict } from '../../runtime/checkCache';
import { Command, defineSpec, parse } from '../command';
import { loadAnalyzer } from '../loadAnalyzer';
import { refreshArtifactTypes } from '../artifactTypes';

const spec = defineSpec({
  name: '__refresh-types',
  positionals: 'FILE FLOW',
  options: {},
  summary: "refreshes a run flow's artifact types in the background",
  internal: true,
});

/** A file edited during every pass is left to the refresh its next run starts. */
const MAX_PASSES = 3;

async function main(argv: string[]): Promise<number> {
  const [given, flowName] = parse(spec, argv).positionals;
  const file = resolve(given);
  const analyzer = loadAnalyzer();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const text = readFileSync(file, 'utf8');
    const types = refreshArtifactTypes(analyzer, [file], new Map([[file, text]]));
    // Edited meanwhile: nothing was written; generate the types of what the file holds now.
    if (!types) continue;
    const key = verdictKey(flowName, file, text);
    const verdict = readVerdict(key);
    if (verdict) writeVerdict(key, { ...verdict, types });
    return 0;
  }
  return 0;
}

export const command: Command = { spec, main };

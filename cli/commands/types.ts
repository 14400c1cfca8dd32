// `flowspec types [PATH]...`: writes the declarations that type each flow's artifacts into
// .flowspec-types/ beside the project's tsconfig.json (as `svelte-kit sync` writes ./$types), so
// `tsc --noEmit` and the editor check artifact types. Run it before tsc in CI; check, run and the
// editor refresh the files of projects whose tsconfig includes the folder.
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../runtime/errors';
import { Command, defineSpec, parse } from '../command';
import { loadAnalyzer } from '../loadAnalyzer';

const spec = defineSpec({
  name: 'types',
  positionals: '[FILE|DIR]...',
  options: {},
  summary: "writes the types of flows' artifacts into .flowspec-types/, for tsc and the editor",
  details:
    'by default every flow of the project in the current folder. Run it before `tsc --noEmit` in CI; `check`, `run` and the editor keep the files fresh in projects whose tsconfig includes `.flowspec-types/**/*`.',
});

async function main(argv: string[]): Promise<number> {
  const { positionals } = parse(spec, argv);
  const analyzer = loadAnalyzer();
  const files: string[] = [];
  let whole = false;
  for (const given of positionals.length ? positionals : ['.']) {
    if (!existsSync(given)) throw new UserError(`no such file or folder: ${given}`);
    if (statSync(given).isDirectory()) {
      const dir = path.resolve(given);
      const project = analyzer.typesProject(dir);
      files.push(...analyzer.projectFlowFiles(project).filter((f) => !path.relative(dir, f).startsWith('..')));
      whole ||= dir === project.root;
    } else files.push(path.resolve(given));
  }
  for (const r of analyzer.refreshTypes(files, { orphans: whole })) {
    const shown = (f: string) => path.relative(process.cwd(), f) || '.';
    const typed = r.results.filter((g) => g.text !== undefined);
    const artifacts = typed.reduce((n, g) => n + g.flows.reduce((m, f) => m + f.artifacts.filter((a) => a.type).length, 0), 0);
    process.stdout.write(
      `${shown(path.join(r.project.root, analyzer.TYPES_DIR))}: ${typed.length} flow file${typed.length === 1 ? '' : 's'}, ${artifacts} typed artifact${artifacts === 1 ? '' : 's'}` +
        (r.touched.length ? ` (${r.touched.length} file${r.touched.length === 1 ? '' : 's'} updated)` : ' (up to date)') +
        '\n',
    );
    if (!r.project.includesTypes) {
      process.stderr.write(
        `note: ${shown(r.project.tsconfig ?? path.join(r.project.root, 'tsconfig.json'))} does not include ${analyzer.TYPES_DIR}: add "${analyzer.TYPES_DIR}/**/*" to its "include" (with "**/*" when it has none) so tsc sees these types (the editor with the FlowSpec extension does already)\n`,
      );
    }
  }
  return 0;
}

export const command: Command = { spec, main };

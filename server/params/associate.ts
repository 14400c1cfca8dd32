// Which YAML/JSON files are params files, and which flow each is for. Pure: the disk is reached
// only through the injected host, so the rules are tested with a fake folder.
//
//   1. The file says so: a first line `# flowspec: <path/to/flow.ts> [FlowName]` (YAML) or a
//      top-level `"$flow": "<path>#<FlowName>"` (parsed by runtime/params/document.ts).
//   2. Else its name is `params*.{yaml,yml,json}` or `*.params.{yaml,yml,json}` and a flow file
//      sits in the same folder: the flow whose parameters and configs cover the most entry names. A tie
//      chooses none, and only the structural checks run.
//   Any other YAML/JSON file is not ours: no diagnostics, no hover.
import { basename, dirname, resolve } from 'node:path';
import { EntryRange, isParamsFileName, ParamsDocument } from '../../runtime/params/document';
import { closest, FlowModel } from '../../analyzer';
import type { ConfigTextResult } from '../../model/configText';

export interface ParamsHost {
  /** File names in a folder; [] when it cannot be read. */
  listDir(dir: string): string[];
  /**
   * The flows of a .ts file: the editor's buffer when it is open, else the file on disk.
   * [] for a file without flows, undefined when there is no such file.
   */
  flowsOf(path: string): FlowModel[] | undefined;
  /** A config file parsed as JSON or YAML; undefined when there is no such file. */
  configFile(path: string, format: 'json' | 'yaml'): ConfigTextResult | undefined;
}

export type ParamsLanguage = 'yaml' | 'json';

/** YAML or JSON, by the editor's language id or else by the extension. */
export function paramsLanguage(path: string, languageId?: string): ParamsLanguage | undefined {
  if (languageId === 'yaml') return 'yaml';
  if (languageId === 'json' || languageId === 'jsonc') return 'json';
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  if (/\.json$/i.test(path)) return 'json';
  return undefined;
}

export interface FlowCandidate {
  flow: FlowModel;
  path: string;
  /** Entries of the file that are parameters of the flow. */
  covered: number;
}

export interface Association {
  /** 'target': the file names its flow (header or $flow); 'folder': by its name and folder. */
  via: 'target' | 'folder';
  /** The flow the entries are checked against; undefined when the choice is ambiguous. */
  flow?: FlowModel;
  flowPath?: string;
  /** The flows considered, best first. */
  candidates: FlowCandidate[];
  /** Why no flow could be chosen, when the file names one that does not exist. */
  problem?: { message: string; range: EntryRange };
}

/** The association of a params document, or undefined when the file is not a params file. */
export function associate(path: string, doc: ParamsDocument, host: ParamsHost): Association | undefined {
  const names = doc.entries.map((e) => e.name);
  if (doc.target) {
    const { target } = doc;
    const flowPath = resolve(dirname(path), target.path);
    const flows = host.flowsOf(flowPath);
    if (flows === undefined)
      return {
        via: 'target',
        candidates: [],
        problem: { range: target.range, message: `no flow file ${target.path} (the path is relative to this file)` },
      };
    const runnable = flows.filter((f) => !f.base);
    if (target.name) {
      const flow = flows.find((f) => f.name === target.name);
      if (!flow) {
        const suggestion = closest(
          target.name,
          runnable.map((f) => f.name),
        );
        const list = runnable.length ? `flows: ${runnable.map((f) => f.name).join(', ')}` : 'it has no flow';
        return {
          via: 'target',
          candidates: [],
          problem: {
            range: target.range,
            message: `${target.path} has no flow ${target.name} (${list})${suggestion ? `; did you mean '${suggestion}'?` : ''}`,
          },
        };
      }
      return { via: 'target', flow, flowPath, candidates: [{ flow, path: flowPath, covered: coverage(flow, names) }] };
    }
    if (!runnable.length) return { via: 'target', candidates: [], problem: { range: target.range, message: `${target.path} has no flow` } };
    return choose(
      'target',
      runnable.map((flow) => ({ flow, path: flowPath, covered: coverage(flow, names) })),
    );
  }
  if (!isParamsFileName(basename(path))) return undefined;
  const dir = dirname(path);
  const candidates: FlowCandidate[] = [];
  for (const name of host.listDir(dir).sort()) {
    if (!/\.(ts|mts|cts)$/.test(name) || /\.d\.[mc]?ts$/.test(name)) continue;
    const flowPath = resolve(dir, name);
    for (const flow of host.flowsOf(flowPath) ?? []) {
      if (!flow.base) candidates.push({ flow, path: flowPath, covered: coverage(flow, names) });
    }
  }
  // A params-named file in a folder without flows belongs to some other tool.
  if (!candidates.length) return undefined;
  return choose('folder', candidates);
}

function coverage(flow: FlowModel, names: string[]): number {
  const declared = new Set([...flow.parameters.map((p) => p.name), ...(flow.configs ?? []).map((c) => c.name)]);
  return names.filter((n) => declared.has(n)).length;
}

/** The candidate covering the most entries; none on a tie (a lone candidate always wins). */
function choose(via: Association['via'], candidates: FlowCandidate[]): Association {
  const sorted = [...candidates].sort((a, b) => b.covered - a.covered);
  const best = sorted[0];
  const tie = sorted.length > 1 && sorted[1].covered === best.covered;
  return tie ? { via, candidates: sorted } : { via, flow: best.flow, flowPath: best.path, candidates: sorted };
}

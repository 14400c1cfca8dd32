// A flow published for remote runs: its code package (the bundled flow, `.code/<sha>/flow.js`)
// and, beside it, a manifest with the flow's declared graph, which only the analyzer can read from
// the source. `flowspec argo create` publishes; `flowspec init-run --package` loads, on a machine
// that has the datastore but not the source.
import { dirname, relative } from 'node:path';
import type { Datastore } from '../datastore';
import type { StaticStep } from '../datastore/records';
import { UserError } from '../errors';
import { introspectFlow } from '../flowcode/introspect';
import { flowClassesOf, loadCodePackage, pickFlow } from '../flowcode/load';
import type { LoadedFlow } from '../flowcode/loadFlow';

export interface FlowManifest {
  flow: string;
  /** The flow file, relative to where it was published from (for messages and `flowspec step FILE`). */
  sourceFile: string;
  graph: Record<string, StaticStep>;
}

export interface PublishedFlow {
  flow: LoadedFlow;
  graph: Record<string, StaticStep>;
  manifest: FlowManifest;
}

export function manifestKey(codeKey: string, flow: string): string {
  return `${dirname(codeKey)}/flows/${flow}.json`;
}

/** Stores a loaded and checked flow's manifest beside its code package in the datastore. */
export function publishFlow(datastore: Datastore, flow: LoadedFlow, graph: Record<string, StaticStep>): PublishedFlow {
  const shown = relative(process.cwd(), flow.file);
  const manifest: FlowManifest = { flow: flow.info.name, sourceFile: shown && !shown.startsWith('..') ? shown : flow.file, graph };
  datastore.writeJson(manifestKey(flow.code.key, flow.info.name), manifest);
  return { flow, graph, manifest };
}

/** Loads a published flow from its code package key (`.code/<sha>/flow.js`). */
export async function loadPublishedFlow(datastore: Datastore, codeKey: string, flowName: string): Promise<PublishedFlow> {
  const manifest = datastore.readJson<FlowManifest>(manifestKey(codeKey, flowName));
  if (!manifest)
    throw new UserError(
      `no published flow ${flowName} with code package ${codeKey} in ${datastore.location} (publish it with flowspec argo create)`,
    );
  const path = datastore.localPath(codeKey);
  if (!path) throw new Error('the datastore cannot give a local path for the code package');
  let exports: Record<string, unknown>;
  try {
    ({ exports } = await loadCodePackage(path));
  } catch (e) {
    throw new UserError(`cannot load code package ${codeKey}: ${(e as Error).message}`);
  }
  const info = introspectFlow(pickFlow(flowClassesOf(exports), flowName, codeKey));
  return { flow: { file: manifest.sourceFile, code: { key: codeKey, path }, info }, graph: manifest.graph, manifest };
}

// A flow file made ready to run: bundled into a code package in the datastore, loaded, and the
// flow picked and introspected (its steps, parameters and constants).
import { relative } from 'node:path';
import type { Datastore } from '../datastore';
import { UserError } from '../errors';
import { bundleFlowFile, CodePackage } from './bundle';
import { FlowInfo, introspectFlow } from './introspect';
import { flowClassesOf, loadCodePackage, pickFlow } from './load';

export interface LoadedFlow {
  file: string;
  code: CodePackage;
  info: FlowInfo;
}

/** Bundles and loads the flow file and picks the flow; throws UserError for anything wrong. */
export async function loadFlow(file: string, flowName: string | undefined, datastore: Datastore): Promise<LoadedFlow> {
  const code = await bundleFlowFile(file, datastore);
  let exports: Record<string, unknown>;
  try {
    ({ exports } = await loadCodePackage(code.path));
  } catch (e) {
    throw new UserError(`cannot load ${file}: ${(e as Error).message}`);
  }
  const cls = pickFlow(flowClassesOf(exports), flowName, file);
  let info: FlowInfo;
  try {
    info = introspectFlow(cls);
  } catch (e) {
    throw new UserError(`cannot create ${cls.name}: ${(e as Error).message}`);
  }
  return { file, code, info };
}

/** A path as short as it can be said from the current directory. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

// Loads a code package in this process. Each call evaluates the bundle afresh, so module-level
// state of one task never leaks into the next task a warm worker runs.
import Module from 'node:module';
import { UserError } from '../errors';
import * as library from '../index';
import { FlowSpec } from '../flow/flowspec';

export type FlowClass = new () => FlowSpec;

const LIBRARY_ID = '\0flowspec';
let resolverInstalled = false;

/** Makes `require('flowspec')` in a code package give this runtime's own library. */
function installLibraryResolver(): void {
  if (resolverInstalled) return;
  resolverInstalled = true;
  const mod = Module as unknown as {
    _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string;
    _cache: Record<string, unknown>;
  };
  const original = mod._resolveFilename;
  mod._resolveFilename = function (request, parent, ...rest) {
    if (request === 'flowspec') return LIBRARY_ID;
    if (request === 'flowspec/client') return `${LIBRARY_ID}/client`;
    if (request === 'flowspec/cards') return `${LIBRARY_ID}/cards`;
    return original.call(this, request, parent, ...rest);
  };
  mod._cache[LIBRARY_ID] = { id: LIBRARY_ID, filename: LIBRARY_ID, loaded: true, exports: library };
  // The client API is loaded only when a flow asks for it.
  Object.defineProperty(mod._cache, `${LIBRARY_ID}/client`, {
    configurable: true,
    enumerable: true,
    get: () => ({ id: `${LIBRARY_ID}/client`, loaded: true, exports: require('../client') }),
  });
  // The card components: the runtime's own, so the task recognises what a step appends.
  Object.defineProperty(mod._cache, `${LIBRARY_ID}/cards`, {
    configurable: true,
    enumerable: true,
    get: () => ({ id: `${LIBRARY_ID}/cards`, loaded: true, exports: require('../cards') }),
  });
}

export function loadCodePackage(path: string): Record<string, unknown> {
  installLibraryResolver();
  delete require.cache[path];
  try {
    return require(path);
  } finally {
    // Forget the module entirely: out of the cache, and out of the requiring module's children,
    // which would otherwise keep every task's module (and all it holds) alive in a warm worker.
    delete require.cache[path];
    const children = module.children;
    for (let i = children.length - 1; i >= 0; i--) if (children[i].id === path) children.splice(i, 1);
  }
}

export function flowClassesOf(exports: Record<string, unknown>): Map<string, FlowClass> {
  const flows = new Map<string, FlowClass>();
  for (const value of Object.values(exports)) {
    if (typeof value === 'function' && value.prototype instanceof FlowSpec) flows.set(value.name, value as FlowClass);
  }
  return flows;
}

/** The flow named `name`, or the only flow of the file. */
export function pickFlow(flows: Map<string, FlowClass>, name: string | undefined, file: string): FlowClass {
  if (name) {
    const flow = flows.get(name);
    if (!flow) throw new UserError(`no flow named '${name}' in ${file}${flows.size ? ` (flows: ${[...flows.keys()].join(', ')})` : ''}`);
    return flow;
  }
  if (flows.size === 0) throw new UserError(`no flow in ${file}: expected a class that extends FlowSpec`);
  if (flows.size > 1) throw new UserError(`${file} has several flows (${[...flows.keys()].join(', ')}): choose one with --flow NAME`);
  return flows.values().next().value!;
}

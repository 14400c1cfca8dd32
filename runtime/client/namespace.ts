// Namespaces, as Metaflow's client: a namespace is a tag (`user:alice`, `project:fraud_model`,
// `project_branch:prod`), and the client sees only runs that carry it. By default a script sees
// its user's runs (`user:NAME`); `namespace(null)` sees every run. The setting is global to the
// process, as Metaflow's; ClientOptions.namespace overrides it for one Flow.
import { userNamespace } from '../identity';
import { NotFoundError } from './reading';

/** undefined until first asked: the default then comes from who is running (FLOWSPEC_USER, else the login). */
let chosen: string | null | undefined;

/** Switches the namespace the client API filters runs by; `null` sees every run. Returns it. */
export function namespace(ns: string | null): string | null {
  if (ns !== null && (typeof ns !== 'string' || !ns)) throw new TypeError('namespace(ns) takes a tag such as user:alice, or null');
  chosen = ns;
  return ns;
}

/** The namespace runs are filtered by now (null: none). */
export function getNamespace(): string | null {
  if (chosen === undefined) chosen = userNamespace();
  return chosen;
}

/** Back to the default namespace, `user:NAME`; returns it. */
export function defaultNamespace(): string {
  chosen = userNamespace();
  return chosen;
}

/** Options for a tool that opens what the user named explicitly (`flowspec dump FLOW/RUN`): any namespace. */
export const ANY_NAMESPACE = { namespace: null } as const;

/** A run asked for by id that is not in the namespace (Metaflow's MetaflowNamespaceMismatch). */
export class NamespaceMismatchError extends NotFoundError {
  constructor(
    pathspec: string,
    readonly namespace: string,
  ) {
    super(`run ${pathspec} is not in namespace '${namespace}'; namespace(null) (or { namespace: null }) sees every run`);
    this.name = 'NamespaceMismatchError';
  }
}

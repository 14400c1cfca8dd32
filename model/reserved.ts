// The members of FlowSpec a flow's own code uses: they cannot name a step, an artifact or a
// parameter field. One list for the runtime (which refuses them) and the analyzer (which flags them).

/** FlowSpec's members that steps call or read (`this.next(...)`, `this.input`, ...). */
export const FLOWSPEC_MEMBERS: ReadonlySet<string> = new Set(['next', 'mergeArtifacts', 'input', 'index', 'foreachStack']);

/** Names a flow author may not use for steps, artifacts or parameter fields. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([...FLOWSPEC_MEMBERS, 'constructor']);

// A params file's `ref`: the run an entry's value is taken from. `runs.<RUN_ID|latest|latestSuccessful>`
// is a run of the flow the file is for; `flows.<Flow>.<RUN_ID|latest|latestSuccessful>` names the
// flow. Parsed and built here only: the runtime resolves it, the editor checks and writes it.

/** The forms, as error messages give them. */
export const RUN_REF_FORMS = 'runs.<RUN_ID|latest|latestSuccessful> or flows.<Flow>.<RUN_ID|latest|latestSuccessful>';

export interface RunRef {
  /** The flow named by `flows.<Flow>.…`; undefined for `runs.…` (the file's own flow). */
  flow?: string;
  /** A run id, `latest` or `latestSuccessful`. */
  run: string;
}

const FORM = /^(?:runs\.([^.\s]+)|flows\.([A-Za-z_$][\w$]*)\.([^.\s]+))$/;

/** The run a ref names; undefined when the text is not a ref. */
export function parseRunRef(ref: string): RunRef | undefined {
  const m = FORM.exec(ref);
  if (!m) return undefined;
  return m[2] !== undefined ? { flow: m[2], run: m[3] } : { run: m[1] };
}

/** The ref to run `runId` of `flow`: `flows.<Flow>.<RUN_ID>`. */
export function runRef(flow: string, runId: string): string {
  return `flows.${flow}.${runId}`;
}

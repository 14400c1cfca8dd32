// "Did you mean": the one way a rule reports an unknown name with the closest known one
// (didYouMean: the message's hint, the quick fix's data). The edit distance itself is
// model/suggest.ts's, which the runtime's messages use too.
import type { FlowDiagnostic } from '../model/flowModel';
import { closest } from '../model/suggest';

export { closest, editDistance } from '../model/suggest';

/**
 * The diagnostic for an unknown `name`: `make(hint)` builds it, with `hint` the end of its message
 * (`; did you mean 'x'?` when a candidate is close, else ''); a suggestion is also put in the
 * diagnostic's data, for the quick fix that replaces the name (server/services/codeActions.ts).
 */
export function didYouMean(name: string, candidates: Iterable<string>, make: (hint: string) => FlowDiagnostic): FlowDiagnostic {
  const guess = closest(name, candidates);
  if (guess === undefined) return make('');
  return { ...make(`; did you mean '${guess}'?`), data: { suggestion: guess } };
}

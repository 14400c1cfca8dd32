// The one type-based question the analyzer asks: is the value assigned to a foreach target
// iterable? Asked lazily, only for assignments whose syntax does not tell; any doubt answers
// "unknown", so this can only remove a missed error, never add a false one.
import { ts } from 'ts-morph';
import type { ArtifactAccess } from '../model/flowModel';
import { getTypeChecker } from './project';

/**
 * Answers by assignment, keyed by file, step and the assignment's text: a later syntax-only pass
 * reuses what an earlier typed pass found while the code around it is unchanged.
 */
const answers = new Map<string, boolean | undefined>();

export interface IterableOracle {
  isIterable(a: ArtifactAccess): boolean | undefined;
  /** In 'cached' mode: a question only the type checker can answer came up (its answer may be stale or missing). */
  missed: boolean;
}

/** `mode` true: ask the checker (building a Program on first use); 'cached': only reuse answers. */
export function makeIsIterable(fileName: string, values: Map<ArtifactAccess, ts.Expression>, mode: true | 'cached'): IterableOracle {
  let checker: ts.TypeChecker | undefined;
  const oracle: IterableOracle = {
    missed: false,
    isIterable(a) {
      const expr = values.get(a);
      if (!expr) return undefined;
      const key = `${fileName}\0${a.name}\0${expr.getSourceFile().text.slice(expr.parent.getStart(), expr.getEnd())}`;
      if (mode === 'cached') {
        oracle.missed = true;
        return answers.get(key);
      }
      let answer: boolean | undefined;
      try {
        checker ??= getTypeChecker();
        answer = iterable(checker, checker.getTypeAtLocation(expr));
      } catch {
        answer = undefined;
      }
      if (answers.size > 5000) answers.clear();
      answers.set(key, answer);
      return answer;
    },
  };
  return oracle;
}

function iterable(checker: ts.TypeChecker, type: ts.Type): boolean | undefined {
  const flags = type.getFlags();
  if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter | ts.TypeFlags.Never)) return undefined;
  if (type.isUnion()) {
    const parts = type.types.map((t) => iterable(checker, t));
    if (parts.every((p) => p === false)) return false;
    if (parts.every((p) => p === true)) return true;
    return undefined;
  }
  if (type.isIntersection()) {
    const parts = type.types.map((t) => iterable(checker, t));
    return parts.some((p) => p === true) ? true : parts.every((p) => p === false) ? false : undefined;
  }
  if (flags & ts.TypeFlags.StringLike) return true;
  if (
    flags &
    (ts.TypeFlags.NumberLike |
      ts.TypeFlags.BooleanLike |
      ts.TypeFlags.BigIntLike |
      ts.TypeFlags.Null |
      ts.TypeFlags.Undefined |
      ts.TypeFlags.Void |
      ts.TypeFlags.ESSymbolLike)
  )
    return false;
  if (flags & ts.TypeFlags.Object) {
    if (checker.isArrayType(type) || checker.isTupleType(type)) return true;
    const props = checker.getPropertiesOfType(type);
    if (props.some((p) => p.escapedName.toString().startsWith('__@iterator'))) return true;
    // A promise, a function or a plain object: not iterable. An unresolved (error) type: unknown.
    const sym = type.getSymbol();
    if (!sym) return undefined;
    if (type.getCallSignatures().length > 0) return false;
    if (sym.flags & (ts.SymbolFlags.ObjectLiteral | ts.SymbolFlags.Class | ts.SymbolFlags.Interface | ts.SymbolFlags.TypeLiteral))
      return false;
    return undefined;
  }
  return undefined;
}

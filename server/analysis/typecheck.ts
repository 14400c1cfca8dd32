// The one type-based question the analyzer asks: is the value assigned to a foreach target
// iterable? Asked lazily, only for assignments whose syntax does not tell; any doubt answers
// "unknown", so this can only remove a missed error, never add a false one.
import { ts } from 'ts-morph';
import type { ArtifactAccess } from './model';
import { getTypeChecker } from './project';

export function makeIsIterable(values: Map<ArtifactAccess, ts.Expression>): (a: ArtifactAccess) => boolean | undefined {
  let checker: ts.TypeChecker | undefined;
  return (a) => {
    const expr = values.get(a);
    if (!expr) return undefined;
    try {
      checker ??= getTypeChecker();
      return iterable(checker, checker.getTypeAtLocation(expr));
    } catch {
      return undefined;
    }
  };
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
  if (flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.Null
    | ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.ESSymbolLike)) return false;
  if (flags & ts.TypeFlags.Object) {
    if (checker.isArrayType(type) || checker.isTupleType(type)) return true;
    const props = checker.getPropertiesOfType(type);
    if (props.some((p) => p.escapedName.toString().startsWith('__@iterator'))) return true;
    // A promise, a function or a plain object: not iterable. An unresolved (error) type: unknown.
    const sym = type.getSymbol();
    if (!sym) return undefined;
    if (type.getCallSignatures().length > 0) return false;
    if (sym.flags & (ts.SymbolFlags.ObjectLiteral | ts.SymbolFlags.Class | ts.SymbolFlags.Interface | ts.SymbolFlags.TypeLiteral)) return false;
    return undefined;
  }
  return undefined;
}

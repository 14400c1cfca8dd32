// The type of an artifact as hover shows it: what the type checker says of the values its
// reaching assignments (`this.x = value`) assign, widened (`1` → number) and joined in a union. A
// value the checker only knows as `any` because it is itself an artifact (`this.model =
// inputs.train.model`) is followed to that artifact's own assignments.
import { ts } from 'ts-morph';
import { currentDocument, getTypeChecker } from './project';

/** Longest type text hover shows; a longer one is cut with `…`. */
const MAX_TYPE_CHARS = 200;

/** How many artifact-to-artifact assignments are followed. */
const MAX_FOLLOWED = 5;

/**
 * The type of the values assigned at the given offsets (each the start of a `this.x` that is
 * assigned), as TypeScript prints it; undefined when the checker knows nothing (`any` everywhere).
 * `follow(offset)`: for a value that ends with an artifact's name at `offset`, the offsets of the
 * assignments that reach it (the navigation's definitions), or undefined when it is no artifact.
 */
export function assignedTypeText(
  fileName: string,
  text: string,
  offsets: number[],
  follow: (nameOffset: number) => number[] | undefined = () => undefined,
): string | undefined {
  const sf = currentDocument(fileName, text);
  const checker = getTypeChecker();
  const parts = new Set<string>();
  const seen = new Set<number>();
  let pending = offsets;
  for (let round = 0; round <= MAX_FOLLOWED && pending.length; round++) {
    const next: number[] = [];
    for (const offset of pending) {
      if (seen.has(offset)) continue;
      seen.add(offset);
      const value = assignedValueAt(sf, offset);
      if (!value) continue;
      let type = checker.getTypeAtLocation(value);
      if (type.flags & ts.TypeFlags.Any) {
        const inner = ts.isPropertyAccessExpression(value) ? follow(value.name.getStart(sf)) : undefined;
        if (inner) next.push(...inner);
        continue;
      }
      type = checker.getBaseTypeOfLiteralType(type);
      parts.add(checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation));
    }
    pending = next;
  }
  if (!parts.size) return undefined;
  const joined = [...parts].join(' | ');
  return joined.length > MAX_TYPE_CHARS ? `${joined.slice(0, MAX_TYPE_CHARS)}…` : joined;
}

/** `this.x = value` whose `this.x` starts at `offset`: the value. */
function assignedValueAt(sf: ts.SourceFile, offset: number): ts.Expression | undefined {
  let node: ts.Node | undefined = findToken(sf, offset);
  while (node && !(ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken)) {
    if (ts.isBlock(node) || ts.isSourceFile(node)) return undefined;
    node = node.parent;
  }
  return node && node.left.getStart(sf) === offset ? node.right : undefined;
}

function findToken(sf: ts.SourceFile, offset: number): ts.Node | undefined {
  let node: ts.Node = sf;
  for (;;) {
    const child: ts.Node | undefined = node.getChildren(sf).find((c) => c.getStart(sf) <= offset && offset < c.getEnd());
    if (!child) return node;
    node = child;
  }
}

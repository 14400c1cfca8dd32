// The type of an artifact as hover shows it: what the type checker says of the values its
// reaching assignments (`this.x = value`) assign, widened (`1` → number) and joined in a union.
import { ts } from 'ts-morph';
import { currentDocument, getTypeChecker } from './project';

/** Longest type text hover shows; a longer one is cut with `…`. */
const MAX_TYPE_CHARS = 200;

/**
 * The type of the values assigned at the given offsets (each the start of a `this.x` that is
 * assigned), as TypeScript prints it; undefined when the checker knows nothing (`any` everywhere).
 */
export function assignedTypeText(fileName: string, text: string, offsets: number[]): string | undefined {
  const sf = currentDocument(fileName, text);
  const checker = getTypeChecker();
  const parts = new Set<string>();
  for (const offset of offsets) {
    const value = assignedValueAt(sf, offset);
    if (!value) continue;
    let type = checker.getTypeAtLocation(value);
    if (type.flags & ts.TypeFlags.Any) continue;
    type = checker.getBaseTypeOfLiteralType(type);
    parts.add(checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation));
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

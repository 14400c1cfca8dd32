// Artifact navigation → LSP: go to definition, find references, document highlights and rename
// (analyzer/navigation.ts finds the ranges), and go to definition from a params file's entries
// to the parameter's field or the assignments of the artifact a `ref` takes.
import { DocumentHighlight, DocumentHighlightKind, Location, Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { pathToFileURL } from 'node:url';
import {
  AnalysisResult,
  definitionsAt,
  definitionsAtExit,
  FlowModel,
  Occurrence,
  parameterFieldRange,
  referencesAt,
  renameEdits,
  renameRangeAt,
} from '../../analyzer';
import { LineIndex } from '../../model/lineIndex';
import type { ParamsAnalysis } from '../params';

export function definition(result: AnalysisResult, uri: string, text: string, p: Position): Location[] {
  return definitionsAt(result, text, p).map((range) => ({ uri, range }));
}

export function references(result: AnalysisResult, uri: string, text: string, p: Position, includeDeclaration: boolean): Location[] {
  return referencesAt(result, text, p, includeDeclaration).map((o) => ({ uri, range: o.range }));
}

const HIGHLIGHT: Record<Occurrence['role'], DocumentHighlightKind> = {
  assign: DocumentHighlightKind.Write,
  field: DocumentHighlightKind.Write,
  read: DocumentHighlightKind.Read,
  input: DocumentHighlightKind.Read,
  foreach: DocumentHighlightKind.Text,
  condition: DocumentHighlightKind.Text,
  merge: DocumentHighlightKind.Text,
};

export function documentHighlights(result: AnalysisResult, text: string, p: Position): DocumentHighlight[] {
  return referencesAt(result, text, p).map((o) => ({ range: o.range, kind: HIGHLIGHT[o.role] }));
}

/** The name a rename starts from; null when it is not an artifact (the editor's TypeScript renames the rest). */
export function prepareRename(result: AnalysisResult, text: string, p: Position): { range: Range; placeholder: string } | null {
  const range = renameRangeAt(result, text, p);
  if (!range) return null;
  const lines = new LineIndex(text);
  return { range, placeholder: text.slice(lines.offset(range.start), lines.offset(range.end)) };
}

/** Throws RenameRefused (analyzer) when the new name is taken or not an identifier. */
export function rename(result: AnalysisResult, uri: string, text: string, p: Position, newName: string): WorkspaceEdit | null {
  const edits: TextEdit[] = renameEdits(result, text, p, newName);
  return edits.length ? { changes: { [uri]: edits } } : null;
}

/** A flow file's current text (the editor's buffer when open) by path; undefined when unreadable. */
export type FlowText = (path: string) => string | undefined;

/**
 * In a params file: from an entry's name to the parameter's field, and from a ref's
 * `value: outputs.x` (or `train.x`, `train[0].x`) to the assignments that give `x` its value when
 * that step (`end` for outputs) ends.
 */
export function paramsDefinition(analysis: ParamsAnalysis, text: string, p: Position, flowText: FlowText): Location[] {
  const offset = new LineIndex(text).offset(p);
  const within = (r: readonly [number, number] | undefined) => !!r && offset >= r[0] && offset <= r[1];
  const entry = analysis.doc.entries.find((e) => within(e.keyRange) || within(e.fieldRanges.value));
  const { association } = analysis;
  if (!entry) return [];
  if (within(entry.keyRange)) {
    const param = association.flow?.parameters.find((x) => x.name === entry.name);
    const source = association.flowPath && flowText(association.flowPath);
    return param && source !== undefined ? [{ uri: fileUri(association.flowPath!), range: parameterFieldRange(source, param) }] : [];
  }
  if (!entry.ref || typeof entry.value !== 'string') return [];
  const m = /^(?:outputs|([A-Za-z_$][\w$]*)(?:\[\d+\])?)\.([A-Za-z_$][\w$]*)$/.exec(entry.value);
  if (!m) return [];
  const [, step, artifact] = m;
  const named = /^flows\.([A-Za-z_$][\w$]*)\./.exec(entry.ref)?.[1];
  const candidate = named
    ? association.candidates.find((c) => c.flow.name === named)
    : association.flow && { flow: association.flow, path: association.flowPath! };
  if (!candidate) return [];
  const source = flowText(candidate.path);
  if (source === undefined) return [];
  return definitionsAtExit(candidate.flow as FlowModel, source, step ?? 'end', artifact).map((range) => ({
    uri: fileUri(candidate.path),
    range,
  }));
}

function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

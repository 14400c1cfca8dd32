// Quick fixes, keyed by diagnostic code. Each provider gets the document, the analysis and the
// diagnostic, and returns code actions with plain text edits; none of them touches the disk.
import { CodeAction, CodeActionKind, Diagnostic, Range, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisResult, FlowDiagnostic, FlowModel, StepModel, flowGraph } from '../../analyzer';
import { toLspDiagnostic } from './convert';
import { overlaps } from './locate';

interface FixContext {
  doc: TextDocument;
  result: AnalysisResult;
  flow: FlowModel | undefined;
  diagnostic: FlowDiagnostic;
}

type Provider = (ctx: FixContext) => Array<{ title: string; edits: TextEdit[]; preferred?: boolean }>;

const PROVIDERS: Record<string, Provider> = {
  'missing-end': addEndStep,
  'join-needs-inputs': addInputs,
  'ambiguous-artifact': fixLostArtifact,
  'unmerged-artifact': fixLostArtifact,
  'unknown-step': replaceWithSuggestion,
  'unknown-artifact': replaceWithSuggestion,
  'bad-foreach-target': replaceWithSuggestion,
  'bad-switch-condition': replaceWithSuggestion,
  'params-unknown-parameter': replaceWithSuggestion,
};

/** Quick fixes for the flowspec diagnostics of `result` that overlap `range`. */
export function quickFixes(uri: string, text: string, result: AnalysisResult, range: Range): CodeAction[] {
  const doc = TextDocument.create(uri, 'typescript', 0, text);
  const actions: CodeAction[] = [];
  for (const d of result.diagnostics) {
    if (!overlaps(d.range, range)) continue;
    const provider = PROVIDERS[d.code];
    if (!provider) continue;
    const flow = result.flows.find((f) => f.name === d.flow);
    for (const fix of provider({ doc, result, flow, diagnostic: d })) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [toLspDiagnostic(d) as Diagnostic],
        isPreferred: fix.preferred ?? false,
        edit: { changes: { [uri]: fix.edits } },
      });
    }
  }
  return actions;
}

function addEndStep({ doc, flow }: FixContext) {
  if (!flow) return [];
  const at = flow.insertAt;
  const text = `\n\n${flow.indent}@step end() {}`;
  // A class with no members: put the step inside the braces.
  if (flow.steps.length === 0 && flow.parameters.length === 0 && Object.keys(flow.members).length === 0) {
    const close = doc.getText().lastIndexOf('}', doc.offsetAt(flow.fullRange.end));
    return [
      { title: "Add an 'end' step", edits: [TextEdit.insert(doc.positionAt(close), `\n${flow.indent}@step end() {}\n`)], preferred: true },
    ];
  }
  return [{ title: "Add an 'end' step", edits: [TextEdit.insert(at, text)], preferred: true }];
}

/** Offsets of a step method's parameter list `(`, `)` and body `{`. */
function methodParts(doc: TextDocument, step: StepModel): { open: number; close: number; body: number } | undefined {
  const text = doc.getText();
  let i = doc.offsetAt(step.range.end);
  const end = doc.offsetAt(step.fullRange.end);
  while (i < end && text[i] !== '(') i++;
  const open = i;
  let depth = 0;
  for (; i < end; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) break;
  }
  const close = i;
  while (i < end && text[i] !== '{') i++;
  return i < end ? { open, close, body: i } : undefined;
}

/** `import { ... } from 'flowspec'` without Inputs: the edit that adds it. */
function importInputs(doc: TextDocument): TextEdit[] {
  const text = doc.getText();
  const m = /import\s*\{([^}]*)\}\s*from\s*['"]flowspec['"]/.exec(text);
  if (!m || /\bInputs\b/.test(m[1])) return [];
  const closeBrace = m.index + m[0].indexOf('}');
  const before = text.slice(m.index, closeBrace);
  const trimmed = before.replace(/\s+$/, '');
  const insertAt = m.index + trimmed.length;
  return [TextEdit.insert(doc.positionAt(insertAt), trimmed.endsWith(',') ? ' Inputs' : ', Inputs')];
}

function addInputs({ doc, flow, diagnostic }: FixContext) {
  const step = flow?.steps.find((s) => s.name === diagnostic.step);
  if (!step || step.params.length) return [];
  const parts = methodParts(doc, step);
  if (!parts) return [];
  return [
    {
      title: `Make '${step.name}' a join: add 'inputs: Inputs'`,
      edits: [TextEdit.insert(doc.positionAt(parts.open + 1), 'inputs: Inputs'), ...importInputs(doc)],
      preferred: true,
    },
  ];
}

/** Inserts a statement as the first one of a step's body, matching its layout. */
function insertFirst(doc: TextDocument, step: StepModel, statement: string): TextEdit | undefined {
  const parts = methodParts(doc, step);
  if (!parts) return undefined;
  const text = doc.getText();
  const after = text.slice(parts.body + 1);
  const nl = /^[ \t]*\r?\n([ \t]*)/.exec(after);
  if (nl) {
    const lineEnd = parts.body + 1 + nl[0].length - nl[1].length;
    return TextEdit.insert(doc.positionAt(lineEnd), `${nl[1]}${statement}\n`);
  }
  return TextEdit.insert(doc.positionAt(parts.body + 1), ` ${statement}`);
}

function fixLostArtifact({ doc, flow, diagnostic }: FixContext) {
  const data = diagnostic.data as { join?: string; artifact?: string } | undefined;
  if (!flow || !data?.join || !data.artifact) return [];
  const join = flow.steps.find((s) => s.name === data.join);
  if (!join || !join.params.length) return [];
  const inputs = join.params[0].name.replace(/[:?].*$/, '').trim();
  const name = data.artifact;
  const fixes: ReturnType<Provider> = [];
  const mergeCall = join.merges.length === 0;
  // At a mergeArtifacts call the merge itself is the problem: offer the assignments only.
  const atMerge = join.merges.some(
    (m) => m.range.start.line === diagnostic.range.start.line && m.range.start.character === diagnostic.range.start.character,
  );
  if (mergeCall && !atMerge) {
    const e = insertFirst(doc, join, `this.mergeArtifacts(${inputs});`);
    if (e)
      fixes.push({
        title: `Call this.mergeArtifacts(${inputs}) in '${join.name}'`,
        edits: [e],
        preferred: diagnostic.code === 'unmerged-artifact',
      });
  }
  const g = flowGraph(flow);
  const frames = g.structure.inStack.get(join.name) ?? [];
  const closes = frames[frames.length - 1];
  const isForeach = closes && g.steps.get(closes.split)?.transition?.kind === 'foreach';
  if (isForeach) {
    const e = insertFirst(doc, join, `this.${name} = [...${inputs}].map((input) => input.${name});`);
    if (e) fixes.push({ title: `Collect '${name}' from every input in '${join.name}'`, edits: [e] });
  } else {
    for (const p of g.preds.get(join.name) ?? []) {
      const e = insertFirst(doc, join, `this.${name} = ${inputs}.${p}.${name};`);
      if (e) fixes.push({ title: `Assign '${name}' from branch '${p}' in '${join.name}'`, edits: [e] });
    }
  }
  return fixes;
}

function replaceWithSuggestion({ doc, diagnostic }: FixContext) {
  const suggestion = (diagnostic.data as { suggestion?: string } | undefined)?.suggestion;
  if (!suggestion) return [];
  const old = doc.getText(diagnostic.range);
  let replacement: string;
  if (/^this\./.test(old)) replacement = `this.${suggestion}`;
  else if (/^['"`]/.test(old)) replacement = `${old[0]}${suggestion}${old[0]}`;
  else replacement = suggestion;
  return [{ title: `Change to '${suggestion}'`, edits: [TextEdit.replace(diagnostic.range, replacement)], preferred: true }];
}

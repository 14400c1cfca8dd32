// The one ts-morph Project the analyzer parses into: an in-memory file system, one source file per
// document whose text is replaced on every analysis. Nothing here touches the disk, so the same
// code serves the CLI, the language server and the runtime's pre-run validation.
import { Project, SourceFile, ts } from 'ts-morph';

let project: Project | undefined;

function getProject(): Project {
  project ??= new Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      lib: ['lib.es2022.d.ts'],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    },
  });
  return project;
}

/** The in-memory path a document is parsed under. */
export function virtualPath(fileName: string): string {
  let p = fileName.replace(/\\/g, '/').replace(/^file:\/\//, '');
  if (!p.startsWith('/')) p = '/' + p;
  if (!/\.(ts|tsx|mts|cts)$/.test(p)) p += '.ts';
  return p;
}

/** Parses `text` as the document `fileName`, replacing any earlier text of that document. */
export function parseDocument(fileName: string, text: string): SourceFile {
  return getProject().createSourceFile(virtualPath(fileName), text, { overwrite: true });
}

/** The document's syntax tree for `text`: the one parsed last when its text is the same, else parsed now. */
export function currentDocument(fileName: string, text: string): ts.SourceFile {
  const sf = getProject().getSourceFile(virtualPath(fileName));
  return sf && sf.getFullText() === text ? sf.compilerNode : parseDocument(fileName, text).compilerNode;
}

/** Drops a document from the project (the editor closed it). */
export function forgetDocument(fileName: string): void {
  const sf = project?.getSourceFile(virtualPath(fileName));
  if (sf) project!.removeSourceFile(sf);
}

/** The type checker over the current texts. Built lazily: only type-based rules ask for it. */
export function getTypeChecker(): ts.TypeChecker {
  return getProject().getProgram().compilerObject.getTypeChecker();
}

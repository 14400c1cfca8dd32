// Config files edited on disk: the open flow documents that read one as a config's default file
// (or would, where a run looks for it) are analysed again and their generated types rewritten, so
// config-file-missing/-invalid, unknown-config-key, hover's values and `this.cfg`'s type follow an
// edit of only the config file. The editor reports the edits (workspace/didChangeWatchedFiles, for
// the *.json, *.yaml and *.yml the extension watches); a file is read as saved, as a run reads it.
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultConfigPaths, mayContainFlow } from '../analyzer';
import { DocumentAnalyses, uriToPath } from './documentAnalyses';
import { MAX_DOCUMENT_CHARS } from './limits';

/** The files a config may be read from. */
export const CONFIG_FILE = /\.(json|ya?ml)$/i;

/** The open flow documents (uris) whose configs read one of `paths` (absolute). */
export function flowsReadingConfigs(documents: TextDocuments<TextDocument>, analyses: DocumentAnalyses, paths: string[]): string[] {
  const changed = new Set(paths.filter((p) => CONFIG_FILE.test(p)));
  if (changed.size === 0) return [];
  return documents
    .all()
    .filter((doc) => {
      const text = doc.getText();
      if (text.length > MAX_DOCUMENT_CHARS || !mayContainFlow(text) || !/\bConfig\b/.test(text)) return false;
      const file = uriToPath(doc.uri);
      return analyses
        .now(doc)
        .flows.some((flow) => (flow.configs ?? []).some((config) => defaultConfigPaths(file, config)?.some((p) => changed.has(p))));
    })
    .map((doc) => doc.uri);
}

// Params files (YAML/JSON) open in the editor: checked against the flow they are for and the
// datastore's runs. The flows of open documents come from their buffers, other flow files from
// the disk; s3:// datastores are not read from the editor (their refs are checked when the run starts).
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isS3Root } from '../runtime/datastore';
import { LocalDatastore } from '../runtime/datastore/local';
import { DocumentAnalyses, uriToPath } from './documentAnalyses';
import { analyzeParams, datastoreRootFor, diskHost, ParamsAnalysis, ParamsHost, paramsLanguage, RefResolver } from './params';

export class ParamsDocuments {
  private readonly host: ParamsHost;
  private readonly refResolver = new RefResolver((root) => (isS3Root(root) ? undefined : new LocalDatastore(root)));

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    analyses: DocumentAnalyses,
  ) {
    this.host = diskHost((path) => {
      const doc = this.documents.all().find((d) => uriToPath(d.uri) === path);
      return doc && !this.isParams(doc) ? analyses.now(doc).flows : undefined;
    });
  }

  isParams(doc: TextDocument): boolean {
    return paramsLanguage(uriToPath(doc.uri), doc.languageId) !== undefined;
  }

  /** The document checked as a params file; undefined when it is not one (another tool's YAML/JSON). */
  analysisOf(doc: TextDocument): ParamsAnalysis | undefined {
    const path = uriToPath(doc.uri);
    return analyzeParams(path, doc.getText(), this.host, this.refResolver.lookup(datastoreRootFor(path)));
  }
}

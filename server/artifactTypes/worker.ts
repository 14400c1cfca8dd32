// The language server's artifact-types thread (bundled as dist/artifactTypesWriter.js, beside
// dist/analysis.js which it loads): generates and writes a flow file's declarations
// (`flowspec types`) from the editor's text, so the server's own thread never waits for TypeScript.
// The generator keeps each project's program between requests: an edit re-reads only the edited file.
import { answerRequests } from '../../runtime/datastore/readerThread';
import { refreshTypes } from '../../analyzer';
import type { FlowArtifactTypes } from '../../analyzer';

export interface RefreshedTypes {
  /** The generated files written or removed. */
  touched: string[];
  /** The artifact types of the file's flows, as written (hover shows them). */
  flows: FlowArtifactTypes[];
}

export interface ArtifactTypesOps {
  /** Refreshes the declarations of `file` (text as in the editor). */
  refresh(file: string, text: string): RefreshedTypes;
}

const ops: ArtifactTypesOps = {
  refresh(file, text) {
    const refreshed = refreshTypes([file], { texts: new Map([[file, text]]) });
    return {
      touched: refreshed.flatMap((r) => r.touched),
      flows: refreshed.flatMap((r) => r.results.flatMap((g) => g.flows)),
    };
  },
};

answerRequests(ops);

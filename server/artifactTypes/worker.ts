// The language server's artifact-types thread (bundled as dist/artifactTypesWriter.js, beside
// dist/analysis.js which it loads): generates and writes a flow file's declarations
// (`flowspec types`) from the editor's text, so the server's own thread never waits for TypeScript.
import { answerRequests } from '../../runtime/datastore/readerThread';
import { refreshTypes } from '../../analyzer';

export interface ArtifactTypesOps {
  /** Refreshes the declarations of `file` (text as in the editor); the generated files it wrote or removed. */
  refresh(file: string, text: string): string[];
}

const ops: ArtifactTypesOps = {
  refresh(file, text) {
    return refreshTypes([file], { texts: new Map([[file, text]]) }).flatMap((r) => r.touched);
  },
};

answerRequests(ops);

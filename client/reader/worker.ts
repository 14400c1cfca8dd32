// The datastore reader's thread (bundled on its own as dist/datastoreReader.js): answers the
// extension host's requests (protocol.ts) one at a time with queries.ts. Only this thread and
// the S3 datastore's own worker ever wait for the datastore.
import { answerRequests } from '../../runtime/datastore/readerThread';
import { queries } from './queries';

answerRequests(queries);

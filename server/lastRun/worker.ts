// The language server's last-run reader thread (bundled as dist/lastRunReader.js): answers
// queries.ts one at a time, so the server's own thread never waits for the datastore.
import { answerRequests } from '../../runtime/datastore/readerThread';
import { queries } from './queries';

answerRequests(queries);

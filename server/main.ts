// Entry point of dist/server.js: `node dist/server.js --stdio`.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

process.on('uncaughtException', (e) => {
  process.stderr.write(`flowspec server: uncaught ${e && e.stack ? e.stack : e}\n`);
});

startServer(createConnection(ProposedFeatures.all));

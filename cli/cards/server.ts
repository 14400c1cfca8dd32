// `flowspec card server [--port N]`: a local web page listing runs and their cards, for users
// without the editor. Bound to 127.0.0.1 only. A card of a running task refreshes itself: its page
// polls /data/... (the viewer stops once the card is final); the index reloads while runs run.
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { escapeAttribute, htmlPage } from '../../model/htmlPage';
import { cardPage } from '../../runtime/cards/html';
import type { StoredCard } from '../../runtime/cards/store';
import { Flow, Run, Task } from '../../runtime/client';
import { openDatastore } from '../../runtime/datastore';
import { UserError } from '../../runtime/errors';
import { Command, defineSpec, parse } from '../command';

const DEFAULT_PORT = 8324; // Metaflow's card server port
const RUNS_PER_FLOW = 10;

const spec = defineSpec({
  name: 'card server',
  positionals: '',
  options: { port: { type: 'string', value: 'N', help: `the port (default ${DEFAULT_PORT}, 0 for any free one)` } },
  summary: 'a local page of runs and their cards, live, on 127.0.0.1',
});

async function serve(argv: string[]): Promise<number> {
  const { values } = parse(spec, argv);
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UserError(`--port must be a port number (0 for any free port), not '${values.port}'`);
  const store = openDatastore();
  const server = createServer((req, res) => {
    try {
      route(req, res, store);
    } catch (e) {
      send(res, 500, 'text/plain', `flowspec card server: ${(e as Error).message}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new UserError(`port ${port} is in use: choose another with --port N`) : e),
    );
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  process.stdout.write(`Card server on http://127.0.0.1:${actual}/ (datastore ${store.location}); Ctrl+C stops it.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

export const serverCommand: Command = { spec, main: serve };

type Store = ReturnType<typeof openDatastore>;

function route(req: IncomingMessage, res: ServerResponse, store: Store): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return send(res, 200, 'text/html', indexPage(store));
  const [kind, ...rest] = parts;
  if (kind === 'viewer' && rest.length === 2 && rest[0] === '.cards' && /^viewer-[0-9a-f]+\.js$/.test(rest[1])) {
    const script = store.readFile(rest.join('/'));
    return script ? send(res, 200, 'text/javascript', script) : send(res, 404, 'text/plain', 'no such viewer');
  }
  if ((kind === 'card' || kind === 'data') && rest.length === 5) {
    const card = findCard(store, rest);
    if (!card) return send(res, 404, 'text/plain', `no card ${rest.join('/')}`);
    if (kind === 'data') return send(res, 200, 'application/json', JSON.stringify(card.data));
    const viewer = card.viewerKey ? { src: `/viewer/${card.viewerKey}` } : { inline: card.viewerScript() };
    return send(res, 200, 'text/html', cardPage(card.data, viewer, { pollUrl: `/data/${rest.map(encodeURIComponent).join('/')}` }));
  }
  send(res, 404, 'text/plain', 'not found');
}

function findCard(store: Store, [flow, runId, step, taskId, index]: string[]): StoredCard | undefined {
  return new Task(store, flow, runId, step, taskId).cards.find((c) => String(c.index) === index);
}

function indexPage(store: Store): string {
  const flows = Flow.list({ datastore: store });
  let running = false;
  const sections = flows.map((flow) => {
    const runs = flow
      .runs()
      .slice(0, RUNS_PER_FLOW)
      .map((run) => {
        if (run.status === 'running') running = true;
        return runItem(run);
      });
    return `<h2>${escapeAttribute(flow.name)}</h2><ul>${runs.join('')}</ul>`;
  });
  const refresh = running ? '<meta http-equiv="refresh" content="3">\n' : '';
  return htmlPage({
    policy: [
      ['default-src', ["'none'"]],
      ['style-src', ["'unsafe-inline'"]],
    ],
    title: 'FlowSpec cards',
    head: `${refresh}<style>${INDEX_CSS}</style>\n`,
    body: `<h1>FlowSpec cards</h1>
${sections.join('\n') || '<p>No runs yet.</p>'}`,
  });
}

function runItem(run: Run): string {
  const links = run.steps().flatMap((step) =>
    step.tasks().flatMap((task) =>
      task.cards.map((card) => {
        const href = `/card/${[task.flow, task.runId, task.step, task.id, String(card.index)].map(encodeURIComponent).join('/')}`;
        const name = `${task.step}/${task.id}${card.id ? ` · ${card.id}` : card.index ? ` · card ${card.index}` : ''}`;
        return `<li><a href="${escapeAttribute(href)}">${escapeAttribute(name)}</a> <span class="muted">${escapeAttribute(card.type)}${card.data.status === 'running' ? ' · running' : ''}</span></li>`;
      }),
    ),
  );
  const body = links.length ? `<ul>${links.join('')}</ul>` : '<span class="muted"> no cards</span>';
  return `<li><b>run ${escapeAttribute(run.id)}</b> <span class="status-${escapeAttribute(run.status)}">${escapeAttribute(run.status)}</span> <span class="muted">${escapeAttribute(run.createdAt.toISOString().replace('T', ' ').slice(0, 19))}</span>${body}</li>`;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
  res.end(body);
}

const INDEX_CSS = `body { font-family: system-ui, sans-serif; margin: 24px; color: #1f2328; }
h2 { margin-top: 24px; } ul { line-height: 1.7; } .muted { color: #59636e; }
.status-running { color: #0969da; } .status-failed, .status-crashed, .status-killed { color: #d1242f; } .status-success { color: #1a7f37; }`;

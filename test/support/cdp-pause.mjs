// A minimal Chrome DevTools Protocol client (run with --experimental-websocket): attaches to the
// inspector on PORT, lets the program run, and prints what the first pause looks like as JSON:
// the function, the script and the original (.ts) position found through the script's source map.
const port = process.argv[2];
const deadline = Date.now() + 30_000;
let target;
while (!target) {
  try { target = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json())[0]; } catch { /* not up yet */ }
  if (!target) { if (Date.now() > deadline) throw new Error('no inspector'); await new Promise((r) => setTimeout(r, 50)); }
}
const ws = new WebSocket(target.webSocketDebuggerUrl);
let id = 0;
const pending = new Map();
const scripts = new Map();
const send = (method, params = {}) => new Promise((resolve) => { pending.set(++id, resolve); ws.send(JSON.stringify({ id, method, params })); });
ws.onmessage = async (event) => {
  const msg = JSON.parse(event.data);
  if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg.result); return; }
  if (msg.method === 'Debugger.scriptParsed') scripts.set(msg.params.scriptId, msg.params);
  if (msg.method === 'Debugger.paused') {
    const frame = msg.params.callFrames[0];
    const script = scripts.get(frame.location.scriptId);
    console.log(JSON.stringify({ reason: msg.params.reason, functionName: frame.functionName, url: script?.url, hasSourceMap: Boolean(script?.sourceMapURL), line: frame.location.lineNumber }));
    await send('Debugger.resume');
    ws.close();
    process.exit(0);
  }
};
ws.onopen = async () => {
  await send('Debugger.enable');
  await send('Runtime.runIfWaitingForDebugger');
};

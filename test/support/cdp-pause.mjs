// A minimal Chrome DevTools Protocol client (run with --experimental-websocket): attaches to the
// inspector at the ws:// URL it is given, lets the program run, and prints what the first pause
// (after --inspect-brk's on the first line) looks like as JSON: the reason, the function, the
// script and whether the script has a source map.
const ws = new WebSocket(process.argv[2]);
let id = 0;
const pending = new Map();
const scripts = new Map();
const send = (method, params = {}) =>
  new Promise((resolve) => {
    pending.set(++id, resolve);
    ws.send(JSON.stringify({ id, method, params }));
  });
ws.onmessage = async (event) => {
  const msg = JSON.parse(event.data);
  if (msg.id && pending.has(msg.id)) {
    pending.get(msg.id)(msg.result);
    return;
  }
  if (msg.method === 'Debugger.scriptParsed') scripts.set(msg.params.scriptId, msg.params);
  if (msg.method === 'Debugger.paused' && msg.params.reason === 'Break on start') {
    await send('Debugger.resume'); // --inspect-brk holds the first line: the pause of interest comes later
    return;
  }
  if (msg.method === 'Debugger.paused') {
    const frame = msg.params.callFrames[0];
    const script = scripts.get(frame.location.scriptId);
    console.log(
      JSON.stringify({
        reason: msg.params.reason,
        functionName: frame.functionName,
        url: script?.url,
        hasSourceMap: Boolean(script?.sourceMapURL),
        line: frame.location.lineNumber,
      }),
    );
    await send('Debugger.resume');
    ws.close();
    process.exit(0);
  }
};
ws.onopen = async () => {
  await send('Debugger.enable');
  await send('Runtime.runIfWaitingForDebugger');
};

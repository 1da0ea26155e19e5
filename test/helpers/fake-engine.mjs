// A scripted engine process for the engine host's fault tests: it speaks the handshake of the
// engine protocol (hello, then ready after init) and then misbehaves as argv[2] says, producing
// faults a real engine does not: 'hang' never answers a request; 'busy' answers syncNow only
// after 1 s of log events; 'exit3' writes a line to stderr and exits with code 3 once ready.
// Every mode obeys stop (the tests' cleanup). argv[3] is the protocol version to speak.

const [mode, version] = process.argv.slice(2);
const v = Number(version);
const send = (m) => { if (process.connected) process.send(m); };

process.on('message', (m) => {
  if (m.t === 'init') {
    send({ t: 'ready', v });
    if (mode === 'exit3') {
      process.stderr.write('fatal: the fake engine gives up\n');
      setTimeout(() => process.exit(3), 20);
    }
    return;
  }
  if (m.t === 'req' && m.op === 'stop') {
    send({ t: 'reply', id: m.id, ok: true, stopped: true });
    setTimeout(() => process.exit(0), 20);
    return;
  }
  if (m.t === 'req' && mode === 'busy' && m.op === 'syncNow') {
    let n = 0;
    const timer = setInterval(() => {
      send({ t: 'event', event: { name: 'log', data: { level: 'info', message: `still syncing ${++n}` } } });
      if (n === 10) { clearInterval(timer); send({ t: 'reply', id: m.id, ok: true }); }
    }, 100);
  }
  // 'hang': nothing is ever answered.
});
process.on('disconnect', () => process.exit(0));
send({ t: 'hello', v });

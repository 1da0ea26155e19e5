// The log view: the backend's redacted log (passwords never reach it), newest last, filtered by
// level, following new lines as they are pushed unless the user scrolled up to read.

import { useEffect, useRef, useState } from 'react';
import type { LogLine, SatchelBridge } from '../../../core/contract/bridge-contract.js';

const LEVELS: Array<LogLine['level']> = ['debug', 'info', 'warn', 'error'];
const MAX_LINES = 2000;

export function LogView({ bridge }: { bridge: SatchelBridge }) {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [min, setMin] = useState<LogLine['level']>('info');
  const box = useRef<HTMLDivElement>(null);
  const follow = useRef(true);

  useEffect(() => {
    let live = true;
    const off = bridge.onLog((l) => { if (live) setLines((cur) => [...cur, l].slice(-MAX_LINES)); });
    bridge.getLog().then((all) => setLines((cur) => [...all, ...cur.filter((c) => !all.some((a) => a.time === c.time && a.message === c.message))].slice(-MAX_LINES)), () => undefined);
    return () => { live = false; off(); };
  }, [bridge]);

  useEffect(() => {
    const el = box.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [lines, min]);

  const shown = lines.filter((l) => LEVELS.indexOf(l.level) >= LEVELS.indexOf(min));
  return (
    <section className="log" aria-labelledby="log-title">
      <div className="status-head">
        <h2 id="log-title">Log</h2>
        <label>Show from level{' '}
          <select value={min} onChange={(e) => setMin(e.target.value as LogLine['level'])}>
            {LEVELS.map((l) => <option key={l} value={l}>{l}</option>)}
          </select>
        </label>
      </div>
      <div className="log-lines" ref={box} tabIndex={0} role="log" aria-label="Log lines"
        onScroll={(e) => { const el = e.currentTarget; follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8; }}>
        {shown.length === 0 && <p className="help">Nothing logged yet.</p>}
        {shown.map((l, i) => (
          <div key={i} className={`log-line level-${l.level}`}>
            <time dateTime={new Date(l.time).toISOString()}>{new Date(l.time).toLocaleTimeString()}</time>
            <span className="level">{l.level}</span>
            <span className="message">{l.message}</span>
          </div>
        ))}
      </div>
    </section>
  );
}

// Import of an OfflineIMAP configuration: reads ~/.offlineimaprc (or a path the user types)
// through the backend and lists every option as honoured, not honoured (with why) or unknown
// (with "did you mean"), and the accounts it defines. Option values are never shown.

import { useId, useState } from 'react';
import type { ImportReport, SatchelBridge } from '../../../core/contract/bridge-contract.js';
import { errorText } from '../bridge/call-error.js';

const STATUS_LABELS = { honoured: 'honoured', 'not-honoured': 'not honoured', unknown: 'unknown' } as const;

export function ImportView({ bridge }: { bridge: SatchelBridge }) {
  const [path, setPath] = useState('');
  const [report, setReport] = useState<ImportReport>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const id = useId();

  const read = () => {
    setBusy(true);
    setFailure(undefined);
    bridge.importOfflineImap(path.trim() || undefined).then(setReport, (e: unknown) => setFailure(errorText(e))).finally(() => setBusy(false));
  };
  const counts = report ? (['honoured', 'not-honoured', 'unknown'] as const).map((k) => [k, report.options.filter((o) => o.status === k).length] as const) : [];
  return (
    <section className="import" aria-labelledby="import-title">
      <h2 id="import-title">Import ~/.offlineimaprc</h2>
      <form onSubmit={(e) => { e.preventDefault(); read(); }}>
        <div className="field">
          <label htmlFor={`${id}-path`}>Configuration file (empty: where OfflineIMAP looks)</label>
          <input id={`${id}-path`} value={path} spellCheck={false} placeholder="~/.offlineimaprc" onChange={(e) => setPath(e.target.value)} />
        </div>
        <button type="submit" disabled={busy}>Read it</button>
      </form>
      {failure && <p className="error" role="alert">{failure}</p>}
      {report && (
        <div className="import-report">
          <p>File: <code>{report.file}</code></p>
          {report.error && <p className="error" role="alert">{report.error}</p>}
          <p>Accounts: {report.accounts.length ? report.accounts.join(', ') : 'none'}. {counts.map(([k, n]) => `${n} ${STATUS_LABELS[k]}`).join(', ')}.</p>
          <p className="help">To sync these accounts as they are, run <code>satchel -c {report.file}</code> (or <code>satchel ui -c {report.file}</code>).</p>
          <table>
            <thead><tr><th scope="col">Section</th><th scope="col">Option</th><th scope="col">Line</th><th scope="col">Satchel</th><th scope="col">Note</th></tr></thead>
            <tbody>
              {report.options.map((o, i) => (
                <tr key={i} className={`import-${o.status}`}>
                  <td>{o.section}</td><td><code>{o.option}</code></td><td>{o.line ?? ''}</td>
                  <td><span className={`badge badge-${o.status}`}>{STATUS_LABELS[o.status]}</span></td><td>{o.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

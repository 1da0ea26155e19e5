// The folder rules of a saved account: its current rules in the editor, previewed live against
// the folders its server lists now, saved only when the preview finds nothing wrong (the engine
// then re-reads them). Accounts from a configuration file (satchel ui -c) are shown read-only.

import { useEffect, useState } from 'react';
import type { AccountSummary, Preferences, RuleSources, SatchelBridge } from '../../../core/contract/bridge-contract.js';
import { errorText } from '../bridge/call-error.js';
import { RulesEditor } from './rules-editor.js';
import { sameRules, type PreviewSummary } from './rules-model.js';

export function AccountRules({ bridge, accounts, account, onAccount }: {
  bridge: SatchelBridge; accounts: AccountSummary[]; account?: string; onAccount(name: string): void;
}) {
  const current = accounts.find((a) => a.name === account) ?? accounts[0];
  const [folders, setFolders] = useState<{ folders: string[]; separator: string }>();
  const [rules, setRules] = useState<RuleSources>({});
  const [summary, setSummary] = useState<PreviewSummary>();
  const [prefs, setPrefs] = useState<Preferences>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();

  useEffect(() => { bridge.getPreferences().then(setPrefs, () => undefined); }, [bridge]);
  useEffect(() => {
    if (!current) return;
    setRules(current.rules ?? {});
    setFolders(undefined);
    setMessage(undefined);
    bridge.accountFolders(current.name).then(setFolders, (e: unknown) => setMessage({ ok: false, text: `Could not list the server's folders: ${errorText(e)}` }));
    // Reload when another account is chosen, not on every status change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bridge, current?.name]);

  if (!current) return <p>No account yet: add one first.</p>;
  const changed = !sameRules(rules, current.rules ?? {});
  const save = () => {
    setMessage(undefined);
    bridge.saveRules(current.name, rules).then(
      () => setMessage({ ok: true, text: 'Saved. The next sync uses these rules.' }),
      (e: unknown) => setMessage({ ok: false, text: errorText(e) }));
  };
  return (
    <section className="account-rules" aria-labelledby="rules-title">
      <div className="status-head">
        <h2 id="rules-title">Folder rules</h2>
        {accounts.length > 1 && (
          <label>Account{' '}
            <select value={current.name} onChange={(e) => onAccount(e.target.value)}>
              {accounts.map((a) => <option key={a.name} value={a.name}>{a.name}</option>)}
            </select>
          </label>
        )}
      </div>
      {folders
        ? <RulesEditor bridge={bridge} folders={folders.folders} separator={folders.separator} localSeparator={current.localSeparator ?? prefs?.localSeparator ?? '.'}
            rules={rules} onChange={setRules} onSummary={setSummary} />
        : !message && <p role="status">Asking the server for its folders…</p>}
      <div className="actions">
        <button type="button" className="primary" onClick={save} disabled={!changed || !summary?.canSave}>Save rules</button>
        <button type="button" onClick={() => setRules(current.rules ?? {})} disabled={!changed}>Undo changes</button>
      </div>
      {message && <p className={message.ok ? 'ok' : 'error'} role={message.ok ? 'status' : 'alert'}>{message.text}</p>}
    </section>
  );
}

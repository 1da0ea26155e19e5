// Preferences: how often to sync, IDLE for new mail within seconds, launch at login (read back
// from the system in the desktop app), notifications, and the local folder layout for new
// accounts. Each change is saved at once through the bridge and the saved values are shown.

import { useEffect, useId, useState } from 'react';
import type { Preferences, SatchelBridge } from '../../../core/contract/bridge-contract.js';
import { errorText } from '../bridge/call-error.js';
import type { DesktopExtras } from '../bridge/pick-bridge.js';

export function PreferencesView({ bridge, desktop }: { bridge: SatchelBridge; desktop?: DesktopExtras }) {
  const [prefs, setPrefs] = useState<Preferences>();
  const [failure, setFailure] = useState<string>();
  const [saved, setSaved] = useState(false);
  const id = useId();

  useEffect(() => {
    bridge.getPreferences().then(async (p) => {
      // The system's login items are the truth (the user may have turned it off there).
      const atLogin = desktop ? await desktop.loginItem().catch(() => p.launchAtLogin) : p.launchAtLogin;
      setPrefs({ ...p, launchAtLogin: atLogin });
    }, (e: unknown) => setFailure(errorText(e)));
  }, [bridge, desktop]);

  const change = (p: Partial<Preferences>) => {
    const before = prefs;
    setSaved(false);
    setFailure(undefined);
    // Shown at once; the saved values replace it, or the old ones come back with the reason.
    setPrefs((cur) => (cur ? { ...cur, ...p } : cur));
    bridge.setPreferences(p).then((next) => { setPrefs({ ...next, launchAtLogin: p.launchAtLogin ?? before?.launchAtLogin ?? next.launchAtLogin }); setSaved(true); },
      (e: unknown) => { setPrefs(before); setFailure(errorText(e)); });
  };
  if (!prefs) return failure ? <p className="error" role="alert">{failure}</p> : <p role="status">Loading…</p>;
  return (
    <section className="preferences" aria-labelledby="prefs-title">
      <h2 id="prefs-title">Preferences</h2>
      <fieldset>
        <legend>Schedule</legend>
        <div className="field">
          <label htmlFor={`${id}-every`}>Sync every (minutes, 0 = only when asked)</label>
          <input id={`${id}-every`} type="number" min={0} max={1440} value={prefs.syncEveryMinutes}
            onChange={(e) => { const v = Math.max(0, Math.min(1440, Math.round(Number(e.target.value) || 0))); setPrefs({ ...prefs, syncEveryMinutes: v }); }}
            onBlur={(e) => change({ syncEveryMinutes: Math.max(0, Math.min(1440, Math.round(Number(e.target.value) || 0))) })} />
        </div>
        <label className="check"><input type="checkbox" checked={prefs.idle} onChange={(e) => change({ idle: e.target.checked })} /> Watch the inbox (IDLE): new mail within seconds</label>
      </fieldset>
      <fieldset>
        <legend>Desktop</legend>
        <label className="check"><input type="checkbox" checked={prefs.launchAtLogin} onChange={(e) => change({ launchAtLogin: e.target.checked })} /> Start Satchel when I log in</label>
        <label className="check"><input type="checkbox" checked={prefs.notifyErrors} onChange={(e) => change({ notifyErrors: e.target.checked })} /> Notify me when sign-in is needed or errors persist</label>
        <label className="check"><input type="checkbox" checked={prefs.notifyNewMail} onChange={(e) => change({ notifyNewMail: e.target.checked })} /> Notify me of new mail</label>
      </fieldset>
      <fieldset>
        <legend>Local folder layout for new accounts</legend>
        <label className="check"><input type="radio" name="layout" checked={prefs.localSeparator === '.'} onChange={() => change({ localSeparator: '.' })} /> <code>Archive.2024</code> (OfflineIMAP's default, one level)</label>
        <label className="check"><input type="radio" name="layout" checked={prefs.localSeparator === '/'} onChange={() => change({ localSeparator: '/' })} /> <code>Archive/2024</code> (nested folders)</label>
        <p className="help">Existing accounts keep their layout: changing it would download everything again.</p>
      </fieldset>
      {saved && <p role="status" className="ok">Saved.</p>}
      {failure && <p className="error" role="alert">{failure}</p>}
    </section>
  );
}

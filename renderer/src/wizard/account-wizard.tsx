// The account wizard: the address first, then the server (discovered, editable) with "Test
// connection", the folder rules with their live preview on the server's real folders, the local
// Maildir folder (checked), a review, and Save (password to the keyring, the rest to settings).
// The flow and checks live in wizard-model.ts; the steps' forms in wizard-steps.tsx.

import { useEffect, useState } from 'react';
import type { AccountSummary, Preferences, SatchelBridge } from '../../../core/contract/bridge-contract.js';
import { errorText } from '../bridge/call-error.js';
import type { PreviewSummary } from '../rules/rules-model.js';
import { RulesEditor } from '../rules/rules-editor.js';
import {
  EDIT_STEPS, STEPS, STEP_TITLES, applyDiscovery, blockedReason, defaultLocalFolder, editState, initialState, nextStep, previousStep,
  serverProblems, suggestAccountName, testedFolders, toDraft, type WizardState,
} from './wizard-model.js';
import { AddressStep, LocalStep, ReviewStep, ServerStep } from './wizard-steps.js';

export interface AccountWizardProps {
  bridge: SatchelBridge;
  taken: string[];
  onDone(account: string): void;
  onImport(): void;
  /** Edit this saved account (server, password, certificate, rules) instead of adding one. */
  existing?: AccountSummary;
}

export function AccountWizard({ bridge, taken, onDone, onImport, existing }: AccountWizardProps) {
  const [s, setS] = useState<WizardState>(() => (existing ? editState(existing) : initialState()));
  const steps = existing ? EDIT_STEPS : STEPS;
  const [nameEdited, setNameEdited] = useState(false);
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [rulesSummary, setRulesSummary] = useState<PreviewSummary>();
  const [prefs, setPrefs] = useState<Preferences>();

  useEffect(() => { bridge.getPreferences().then(setPrefs, () => undefined); }, [bridge]);

  const update = (next: Partial<WizardState>) => setS((cur) => ({ ...cur, ...next }));
  const run = async (label: string, fn: () => Promise<void>) => {
    setBusy(label);
    setFailure(undefined);
    try { await fn(); } catch (e) { setFailure(errorText(e)); } finally { setBusy(undefined); }
  };

  const rulesErrors = rulesSummary ? (rulesSummary.canSave ? 0 : 1) : 0;
  const blocked = blockedReason(s, existing ? taken.filter((t) => t !== existing.name) : taken, rulesErrors);
  const folderList = testedFolders(s);

  const goNext = () => run('Working…', async () => {
    if (blocked) return;
    if (s.step === 'address') {
      setBusy('Looking up your server settings…');
      const d = await bridge.discover(s.email.trim());
      setS((cur) => ({ ...applyDiscovery(cur, d), step: 'server', localfolders: cur.localfolders || defaultLocalFolder(cur.name) }));
      return;
    }
    if (s.step === 'review') {
      setBusy('Saving…');
      await bridge.saveAccount(toDraft(s));
      onDone(s.name);
      return;
    }
    update({ step: nextStep(s.step, steps) });
  });

  const testWith = async (st: WizardState, fingerprint?: string) => {
    const certFingerprint = fingerprint ?? st.certFingerprint;
    const oauth = st.auth === 'oauth' && st.signIn?.done ? { signIn: st.signIn.id } : {};
    const test = await bridge.testConnection({ ...st.server, password: st.auth === 'oauth' ? '' : st.password, ...oauth, ...(certFingerprint ? { certFingerprint } : {}) });
    setS((cur) => ({ ...cur, test, ...(certFingerprint ? { certFingerprint } : {}) }));
  };
  const testConnection = (fingerprint?: string) => run('Testing the connection…', () => testWith(s, fingerprint));
  // OAuth2: the browser (the desktop's own, or a new tab here) signs in; then the connection is tested with the token.
  const signIn = (device: boolean) => {
    const tab = device ? null : window.open('about:blank', '_blank');
    return run(device ? 'Waiting for the sign-in on the other device…' : 'Waiting for you to sign in in your browser…', async () => {
      try {
        const start = await bridge.startSignIn({ ...s.oauth, user: s.server.user.trim(), ...(device ? { device } : {}) });
        if (start.kind === 'browser') {
          if (start.opened) tab?.close();
          else if (tab) { tab.opener = null; tab.location.href = start.url; }
          setS((cur) => ({ ...cur, signIn: { id: start.id, done: false, url: start.url }, test: undefined }));
        } else {
          setS((cur) => ({ ...cur, signIn: { id: start.id, done: false, device: { uri: start.verificationUri, code: start.userCode } }, test: undefined }));
        }
        await bridge.finishSignIn(start.id);
        const done = { ...s, signIn: { id: start.id, done: true } };
        setS((cur) => ({ ...cur, signIn: { id: start.id, done: true } }));
        setBusy('Testing the connection…');
        await testWith(done);
      } catch (e) {
        tab?.close();
        setS((cur) => ({ ...cur, signIn: undefined }));
        throw e;
      }
    });
  };
  const cancelSignIn = () => { if (s.signIn) void bridge.cancelSignIn(s.signIn.id).catch(() => undefined); };
  // Enter in a field: on the server step it tests the connection until that succeeded, elsewhere it goes on.
  const submit = () => {
    if (s.step !== 'server' || s.test?.ok) return goNext();
    if (!busy && s.auth === 'password' && Object.keys(serverProblems(s.server, s.password)).length === 0) return testConnection();
  };

  const stepIndex = steps.indexOf(s.step);
  return (
    <section className="wizard" aria-labelledby="wizard-title">
      <h2 id="wizard-title">{existing ? `Edit ${existing.name}` : 'Add an account'}</h2>
      {existing && <p className="help">{existing.signIn ? 'Sign in again' : 'Type the password again'}: it is tested before it replaces the saved one. The local folder stays <code>{existing.localfolders}</code>.</p>}
      <ol className="steps" aria-label="Steps">
        {steps.map((step, i) => (
          <li key={step} aria-current={step === s.step ? 'step' : undefined} className={i < stepIndex ? 'done' : ''}>{STEP_TITLES[step]}</li>
        ))}
      </ol>
      <form className="wizard-body" noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}
        onKeyDown={(e) => {
          // Enter in a field acts even while Next is disabled (a disabled default button would swallow it).
          if (e.key === 'Enter' && e.target instanceof HTMLInputElement && e.target.type !== 'checkbox') { e.preventDefault(); void submit(); }
        }}>
        <h3>{STEP_TITLES[s.step]}</h3>
        {s.step === 'address' && (
          <AddressStep state={s} taken={taken}
            onEmail={(email) => update({ email, ...(nameEdited ? {} : { name: suggestAccountName(email, taken) }) })}
            onName={(name) => { setNameEdited(true); update({ name }); }} onImport={onImport} />
        )}
        {s.step === 'server' && (
          <ServerStep state={s} busy={!!busy} setState={setS}
            onTest={testConnection} onSignIn={(device) => void signIn(device)} onCancelSignIn={cancelSignIn} again={!!existing?.signIn} />
        )}
        {s.step === 'folders' && folderList && (
          <RulesEditor bridge={bridge} folders={folderList.folders} separator={folderList.separator}
            localSeparator={prefs?.localSeparator ?? '.'} rules={s.rules} onChange={(rules) => update({ rules })} onSummary={setRulesSummary} />
        )}
        {s.step === 'local' && (
          <LocalStep state={s} busy={!!busy}
            onPath={(localfolders) => update({ localfolders, localOk: undefined, localMessage: undefined })}
            onCheck={() => run('Checking the folder…', async () => {
              const r = await bridge.checkLocalFolder(s.localfolders.trim(), s.name);
              setS((cur) => ({ ...cur, localOk: r.ok, localMessage: r.message }));
            })} />
        )}
        {s.step === 'review' && <ReviewStep state={s} rulesSummary={rulesSummary} />}

        {busy && <p className="busy" role="status">{busy}</p>}
        {failure && <p className="error" role="alert">{failure}</p>}
        <div className="wizard-actions">
          {stepIndex > 0 && <button type="button" onClick={() => update({ step: previousStep(s.step, steps) })} disabled={!!busy}>Back</button>}
          <button type="submit" className="primary" disabled={!!busy || !!blocked} aria-describedby={blocked ? 'wizard-blocked' : undefined}>
            {s.step === 'review' ? 'Save account' : 'Next'}
          </button>
          {blocked && s.step !== 'address' && <span id="wizard-blocked" className="help">{blocked}</span>}
        </div>
      </form>
    </section>
  );
}

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

  const testConnection = (fingerprint?: string) => run('Testing the connection…', async () => {
    const certFingerprint = fingerprint ?? s.certFingerprint;
    const test = await bridge.testConnection({ ...s.server, password: s.password, ...(certFingerprint ? { certFingerprint } : {}) });
    setS((cur) => ({ ...cur, test, ...(certFingerprint ? { certFingerprint } : {}) }));
  });
  // Enter in a field: on the server step it tests the connection until that succeeded, elsewhere it goes on.
  const submit = () => {
    if (s.step !== 'server' || s.test?.ok) return goNext();
    if (!busy && Object.keys(serverProblems(s.server, s.password)).length === 0) return testConnection();
  };

  const stepIndex = steps.indexOf(s.step);
  return (
    <section className="wizard" aria-labelledby="wizard-title">
      <h2 id="wizard-title">{existing ? `Edit ${existing.name}` : 'Add an account'}</h2>
      {existing && <p className="help">Type the password again: it is tested before it replaces the saved one. The local folder stays <code>{existing.localfolders}</code>.</p>}
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
            onTest={testConnection} />
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

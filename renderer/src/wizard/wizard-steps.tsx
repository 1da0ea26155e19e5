// The forms of the account wizard's steps: address and account name; server settings with
// the discovery's source and the provider's guidance, "Test connection" and its outcome in plain
// words (an untrusted certificate's fingerprint with an explicit "Trust"); the local folder and
// its check; the review. Each control has a label; state changes go through wizard-model.ts.

import { useId, type Dispatch, type SetStateAction } from 'react';
import type { Security } from '../../../core/contract/bridge-contract.js';
import type { PreviewSummary } from '../rules/rules-model.js';
import { SignInPanel } from './sign-in-panel.js';
import {
  DEFAULT_PORTS, DISCOVERY_SOURCES, FAILURE_TITLES, accountNameProblem, editServer, emailProblem, formatFingerprint,
  serverProblems, type WizardState,
} from './wizard-model.js';

function Field(p: { id: string; label: string; problem?: string; help?: string; children: React.ReactNode }) {
  return (
    <div className={`field${p.problem ? ' invalid' : ''}`}>
      <label htmlFor={p.id}>{p.label}</label>
      {p.children}
      {p.help && <p className="help" id={`${p.id}-help`}>{p.help}</p>}
      {p.problem && <p className="error" id={`${p.id}-err`}>{p.problem}</p>}
    </div>
  );
}
const describedBy = (id: string, help?: string, problem?: string) =>
  [help ? `${id}-help` : '', problem ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;

export function AddressStep(p: { state: WizardState; taken: string[]; onEmail(v: string): void; onName(v: string): void; onImport(): void }) {
  const id = useId();
  const s = p.state;
  const emailErr = s.email ? emailProblem(s.email) : undefined;
  const nameErr = s.name ? accountNameProblem(s.name, p.taken) : undefined;
  return (
    <>
      <Field id={`${id}-email`} label="E-mail address" problem={emailErr}>
        <input id={`${id}-email`} name="email" type="email" autoComplete="email" autoFocus value={s.email}
          aria-invalid={!!emailErr} aria-describedby={describedBy(`${id}-email`, undefined, emailErr)} onChange={(e) => p.onEmail(e.target.value)} />
      </Field>
      <Field id={`${id}-name`} label="Account name" problem={nameErr} help="Letters, digits, - and _. It names the account in the tray, the log and the keyring.">
        <input id={`${id}-name`} name="name" value={s.name} aria-invalid={!!nameErr}
          aria-describedby={describedBy(`${id}-name`, 'help', nameErr)} onChange={(e) => p.onName(e.target.value)} />
      </Field>
      <p className="help">Already use OfflineIMAP? <button type="button" className="link" onClick={p.onImport}>Import ~/.offlineimaprc</button></p>
    </>
  );
}

export function ServerStep(p: { state: WizardState; busy: boolean; setState: Dispatch<SetStateAction<WizardState>>; onTest(fingerprint?: string): void;
  onSignIn(device: boolean): void; onCancelSignIn(): void; again?: boolean }) {
  const id = useId();
  const s = p.state;
  const oauth = s.auth === 'oauth';
  const problems = serverProblems(s.server, oauth ? undefined : s.password);
  const offer = s.discovery?.signIn;
  const useOAuth = (provider: 'google' | 'microsoft' | 'custom') => p.setState((cur) => ({ ...cur, auth: 'oauth', oauth: { provider }, signIn: undefined, test: undefined }));
  const edit = (change: Parameters<typeof editServer>[1]) => p.setState((cur) => editServer(cur, change));
  const t = s.test;
  return (
    <>
      {s.discovery && (
        <p className="discovery" role="status">
          {s.discovery.provider ? <strong>{s.discovery.provider}: </strong> : null}
          Settings from {DISCOVERY_SOURCES[s.discovery.source]}. Every field can be changed.
        </p>
      )}
      {s.discovery?.guidance && <p className="guidance">{s.discovery.guidance}</p>}
      <div className="row">
        <Field id={`${id}-host`} label="IMAP server" problem={s.server.host ? problems.host : undefined}>
          <input id={`${id}-host`} name="host" value={s.server.host} spellCheck={false} onChange={(e) => edit({ host: e.target.value })} />
        </Field>
        <Field id={`${id}-port`} label="Port" problem={problems.port}>
          <input id={`${id}-port`} name="port" inputMode="numeric" value={String(s.server.port || '')}
            onChange={(e) => edit({ port: Number(e.target.value.replace(/\D/g, '')) || 0 })} />
        </Field>
        <Field id={`${id}-security`} label="Security">
          <select id={`${id}-security`} name="security" value={s.server.security}
            onChange={(e) => {
              const security = e.target.value as Security;
              const port = s.server.port === DEFAULT_PORTS[s.server.security] ? DEFAULT_PORTS[security] : s.server.port;
              edit({ security, port });
            }}>
            <option value="tls">TLS (port 993)</option>
            <option value="starttls">STARTTLS (port 143)</option>
          </select>
        </Field>
      </div>
      <Field id={`${id}-user`} label="User name" problem={s.server.user ? problems.user : undefined}>
        <input id={`${id}-user`} name="user" autoComplete="username" spellCheck={false} value={s.server.user} onChange={(e) => edit({ user: e.target.value })} />
      </Field>
      {oauth && <SignInPanel state={s} offer={offer} busy={p.busy} again={p.again} setState={p.setState} onSignIn={p.onSignIn} onCancel={p.onCancelSignIn} />}
      {oauth && <p className="help">{offer && s.oauth.provider !== 'custom'
        ? <button type="button" className="link" onClick={() => p.setState((cur) => ({ ...cur, auth: 'password', signIn: undefined, test: undefined }))}>Use an app password instead</button>
        : <button type="button" className="link" onClick={() => p.setState((cur) => ({ ...cur, auth: 'password', signIn: undefined, test: undefined }))}>Use a password instead</button>}</p>}
      {!oauth && (
        <Field id={`${id}-password`} label="Password" help="Kept in your system keyring, never in a file.">
          <input id={`${id}-password`} name="password" type="password" autoComplete="current-password" value={s.password}
            aria-describedby={`${id}-password-help`} onChange={(e) => edit({ password: e.target.value })} />
        </Field>
      )}
      {!oauth && (
        <p className="help">
          {offer && <><button type="button" className="link" onClick={() => useOAuth(offer.provider)}>Sign in with {offer.name} instead</button> · </>}
          <button type="button" className="link" onClick={() => useOAuth('custom')}>Sign in with another OAuth2 server</button>
        </p>
      )}
      {(!oauth || s.signIn?.done) && <button type="button" onClick={() => p.onTest()} disabled={p.busy || Object.keys(problems).length > 0}>Test connection</button>}
      {t && t.ok && (
        <div className="test-result ok" role="status">
          <strong>Connected.</strong> {t.folders.length} folders on the server: {t.folders.slice(0, 8).join(', ')}{t.folders.length > 8 ? ', …' : ''}
        </div>
      )}
      {t && !t.ok && (
        <div className="test-result failed" role="alert" data-kind={t.kind}>
          <strong>{FAILURE_TITLES[t.kind]}.</strong> {t.message}
          <p className="fix">{t.fix}</p>
          {t.kind === 'tls-untrusted' && t.fingerprint && (
            <div className="fingerprint">
              <p>SHA-256 fingerprint of the server's certificate:</p>
              <code>{formatFingerprint(t.fingerprint)}</code>
              <p>Trust it only if your server's administrator gives you the same fingerprint.</p>
              <button type="button" onClick={() => p.onTest(t.fingerprint)} disabled={p.busy}>Trust this certificate and test again</button>
            </div>
          )}
        </div>
      )}
      {s.certFingerprint && <p className="help">Trusted certificate (pinned): <code>{formatFingerprint(s.certFingerprint)}</code></p>}
    </>
  );
}

export function LocalStep(p: { state: WizardState; busy: boolean; onPath(v: string): void; onCheck(): void }) {
  const id = useId();
  const s = p.state;
  return (
    <>
      <Field id={`${id}-local`} label="Local Maildir folder" help="Where your mail is kept on this computer (a new or empty folder, or an existing Maildir: OfflineIMAP's is adopted without downloading again).">
        <input id={`${id}-local`} name="localfolders" spellCheck={false} value={s.localfolders} aria-describedby={`${id}-local-help`}
          onChange={(e) => p.onPath(e.target.value)} />
      </Field>
      <button type="button" onClick={p.onCheck} disabled={p.busy || !s.localfolders.trim()}>Check folder</button>
      {s.localMessage && <p className={s.localOk ? 'test-result ok' : 'test-result failed'} role={s.localOk ? 'status' : 'alert'}>{s.localMessage}</p>}
    </>
  );
}

export function ReviewStep(p: { state: WizardState; rulesSummary?: PreviewSummary }) {
  const s = p.state;
  const rules = Object.entries(s.rules).filter(([, v]) => v?.trim());
  return (
    <dl className="review">
      <dt>Account</dt><dd>{s.name} ({s.email})</dd>
      <dt>Server</dt><dd>{s.server.host}:{s.server.port}, {s.server.security === 'tls' ? 'TLS' : 'STARTTLS'}, user {s.server.user}</dd>
      {s.certFingerprint && <><dt>Trusted certificate</dt><dd><code>{formatFingerprint(s.certFingerprint)}</code></dd></>}
      <dt>{s.auth === 'oauth' ? 'Sign-in' : 'Password'}</dt><dd>{s.auth === 'oauth' ? 'OAuth2: the sign-in is kept in the system keyring' : 'saved in the system keyring'}</dd>
      <dt>Folder rules</dt>
      <dd>{rules.length ? rules.map(([k, v]) => <div key={k}><code>{k} = {v}</code></div>) : 'none: every folder, with its server name'}</dd>
      {p.rulesSummary && <><dt>Folders</dt><dd>{p.rulesSummary.synced} synced, {p.rulesSummary.skipped} not synced</dd></>}
      <dt>Local folder</dt><dd>{s.localfolders}</dd>
    </dl>
  );
}

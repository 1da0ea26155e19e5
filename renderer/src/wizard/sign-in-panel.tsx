// The wizard's OAuth2 part of the server step: "Sign in with Google / Microsoft" first (with the
// app password as the alternative where the provider allows one), "use your own client ID" with
// short instructions when this copy of Satchel has none, another OAuth2 server by its endpoints,
// and, while the browser is out, a wait with Cancel. Forms only: the flow is in account-wizard.tsx.

import { useId, type Dispatch, type SetStateAction } from 'react';
import type { SignInOffer, SignInSettings } from '../../../core/contract/bridge-contract.js';
import { signInProblem, type WizardState } from './wizard-model.js';

export function SignInPanel(p: { state: WizardState; offer?: SignInOffer; busy: boolean; setState: Dispatch<SetStateAction<WizardState>>;
  /** Editing an account that already signs in: the button says "Sign in again". */
  again?: boolean; onSignIn(device: boolean): void; onCancel(): void }) {
  const id = useId();
  const s = p.state;
  const o = s.oauth;
  const setOAuth = (change: Partial<SignInSettings>) => p.setState((cur) => ({ ...cur, oauth: { ...cur.oauth, ...change }, signIn: undefined, test: undefined }));
  const setServer = (k: 'authorizationUrl' | 'tokenUrl' | 'scope' | 'deviceUrl', v: string) =>
    setOAuth({ server: { authorizationUrl: '', tokenUrl: '', scope: '', ...o.server, [k]: v } });
  const custom = o.provider === 'custom';
  const name = custom ? 'your OAuth2 server' : p.offer?.name ?? (o.provider === 'google' ? 'Google' : 'Microsoft');
  const problem = signInProblem(s, !custom && !!p.offer?.hasClientId);
  const waiting = s.signIn && !s.signIn.done;
  return (
    <div className="sign-in">
      {!custom && p.offer && !p.offer.hasClientId && (
        <div className="guidance">
          <p>This copy of Satchel has no client ID for {p.offer.name}. Use your own: {p.offer.registerHelp}</p>
        </div>
      )}
      {(custom || !p.offer?.hasClientId) && (
        <div className="row">
          <div className="field">
            <label htmlFor={`${id}-client`}>Client ID</label>
            <input id={`${id}-client`} name="clientId" spellCheck={false} value={o.clientId ?? ''} onChange={(e) => setOAuth({ clientId: e.target.value.trim() || undefined })} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-secret`}>Client secret (if it has one)</label>
            <input id={`${id}-secret`} name="clientSecret" type="password" value={o.clientSecret ?? ''} onChange={(e) => setOAuth({ clientSecret: e.target.value || undefined })} />
          </div>
        </div>
      )}
      {custom && (
        <>
          {(['authorizationUrl', 'tokenUrl', 'scope', 'deviceUrl'] as const).map((k) => (
            <div className="field" key={k}>
              <label htmlFor={`${id}-${k}`}>{{ authorizationUrl: 'Authorization URL', tokenUrl: 'Token URL', scope: 'Scope', deviceUrl: 'Device authorization URL (optional)' }[k]}</label>
              <input id={`${id}-${k}`} name={k} spellCheck={false} value={o.server?.[k] ?? ''} onChange={(e) => setServer(k, e.target.value.trim())} />
            </div>
          ))}
        </>
      )}
      <div className="wizard-actions">
        <button type="button" className="primary" disabled={p.busy || !!problem || !s.server.user.trim()} onClick={() => p.onSignIn(false)}>
          {s.signIn?.done || p.again ? 'Sign in again' : `Sign in with ${custom ? 'OAuth2' : name}`}
        </button>
        <button type="button" disabled={p.busy || !!problem || !s.server.user.trim() || (custom && !o.server?.deviceUrl)} onClick={() => p.onSignIn(true)}>
          Sign in on another device
        </button>
      </div>
      {problem && <p className="help">{problem}</p>}
      {waiting && (
        <div className="sign-in-wait" role="status">
          {s.signIn!.device
            ? <p>On any device, open <a href={s.signIn!.device.uri} target="_blank" rel="noreferrer noopener">{s.signIn!.device.uri}</a> and enter the code <code>{s.signIn!.device.code}</code>.</p>
            : <p>Finish signing in in your browser. {s.signIn!.url && <a href={s.signIn!.url} target="_blank" rel="noreferrer noopener">Open the sign-in page again</a>}</p>}
          <button type="button" onClick={p.onCancel}>Cancel sign-in</button>
        </div>
      )}
      {s.signIn?.done && <p className="test-result ok" role="status">Signed in to {name}.</p>}
    </div>
  );
}

// The folder rules editor: folderfilter, nametrans and folderincludes as the user writes them,
// presets, and a live preview against the account's real folder list (each server folder,
// whether it syncs, its local name), refreshed as the user types. Rules that do not compile,
// collisions and names that would not round-trip are marked before anything is saved.

import { useEffect, useId, useRef, useState } from 'react';
import type { PreviewResult, RuleSources, SatchelBridge } from '../../../core/contract/bridge-contract.js';
import { errorText } from '../bridge/call-error.js';
import { RULE_FIELDS, RULE_PRESETS, presetOf, rowKind, summarize, type PreviewSummary } from './rules-model.js';

export interface RulesEditorProps {
  bridge: SatchelBridge;
  folders: string[];
  separator: string;
  localSeparator: '.' | '/';
  rules: RuleSources;
  onChange(rules: RuleSources): void;
  /** The preview's verdict, for the Save / Next button. */
  onSummary?(s: PreviewSummary | undefined): void;
}

const ROW_LABELS = { synced: 'synced', skipped: 'not synced', problem: 'problem' } as const;

export function RulesEditor(p: RulesEditorProps) {
  const [preview, setPreview] = useState<PreviewResult>();
  const [failure, setFailure] = useState<string>();
  const seq = useRef(0);
  const ids = useId();
  const { bridge, folders, separator, localSeparator, rules, onSummary } = p;

  useEffect(() => {
    const mine = ++seq.current;
    const t = setTimeout(() => {
      bridge.previewRules({ folders, separator, localSeparator, rules }).then((r) => {
        if (mine !== seq.current) return;
        setPreview(r);
        setFailure(undefined);
        onSummary?.(summarize(r));
      }, (e: unknown) => {
        if (mine !== seq.current) return;
        setFailure(errorText(e));
        onSummary?.(undefined);
      });
    }, 120);
    return () => clearTimeout(t);
    // onSummary is a callback of the parent; the preview depends on the data only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bridge, folders, separator, localSeparator, rules]);

  const chosen = presetOf(rules);
  const summary = preview ? summarize(preview) : undefined;
  const fieldError = (f: string) => preview?.errors.filter((e) => e.field === f).map((e) => e.message).join(' ');

  return (
    <div className="rules-editor">
      <fieldset className="presets">
        <legend>Presets</legend>
        {RULE_PRESETS.map((preset) => (
          <button key={preset.id} type="button" className={chosen === preset.id ? 'chosen' : ''} aria-pressed={chosen === preset.id}
            title={preset.description} onClick={() => p.onChange({ ...preset.rules })}>
            {preset.label}
          </button>
        ))}
      </fieldset>
      {RULE_FIELDS.map(({ field, label, help, placeholder }) => {
        const err = fieldError(field);
        return (
          <div className={`field${err ? ' invalid' : ''}`} key={field}>
            <label htmlFor={`${ids}-${field}`}>{label}</label>
            <textarea id={`${ids}-${field}`} name={field} rows={2} spellCheck={false} placeholder={placeholder}
              value={rules[field] ?? ''} aria-invalid={!!err} aria-describedby={`${ids}-${field}-help${err ? ` ${ids}-${field}-err` : ''}`}
              onChange={(e) => p.onChange({ ...rules, [field]: e.target.value })} />
            <p className="help" id={`${ids}-${field}-help`}>{help}</p>
            {err && <p className="error" role="alert" id={`${ids}-${field}-err`}>{err}</p>}
          </div>
        );
      })}
      {failure && <p className="error" role="alert">{failure}</p>}
      <section className="preview" aria-label="Preview" aria-live="polite">
        <h3>Preview</h3>
        {summary && (
          <p className="preview-summary">
            {summary.synced} synced, {summary.skipped} not synced
            {summary.problems ? `, ${summary.problems} with problems` : ''}
            {summary.collisions.length ? ` — collision: ${summary.collisions.map((c) => `"${c}"`).join(', ')}` : ''}
          </p>
        )}
        <table className="preview-table">
          <thead><tr><th scope="col">Server folder</th><th scope="col">Local name</th><th scope="col">Sync</th></tr></thead>
          <tbody>
            {(preview?.rows ?? []).map((r) => {
              const kind = rowKind(r);
              return (
                <tr key={r.remote} className={`row-${kind}`} data-remote={r.remote}>
                  <td>{r.remote}</td>
                  <td className="local-name">{r.synced || r.problem ? r.local : '—'}</td>
                  <td>
                    <span className={`badge badge-${kind}`}>{ROW_LABELS[kind]}</span>
                    {(r.problem ?? r.reason) && <span className="row-note">{r.problem ?? r.reason}</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {!folders.length && <p className="help">No folder list yet: test the connection first.</p>}
      </section>
    </div>
  );
}

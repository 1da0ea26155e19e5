// What every output mode (quiet, basic, ttyui, machineui) implements, and the wording shared
// by the text modes: "3 downloaded, 1 flag changes". A UI only writes to the streams it was
// given; it never decides the exit code and never sees a secret.

import type { EngineEventName, EngineEvents } from '../engine/engine-events.js';

export interface UiStreams {
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  err: NodeJS.WritableStream;
}

export interface AccountDone {
  account: string;
  /** Folders synced or skipped because nothing changed. */
  folders: number;
  errors: number;
  dryRun: boolean;
}

export interface Ui {
  event<K extends EngineEventName>(name: K, e: EngineEvents[K]): void;
  /** A configuration warning or a note from the command line itself. */
  warning(text: string): void;
  /** --dry-run: what one folder pair would get. */
  plan(account: string, farName: string, nearName: string, ops: Record<string, number>): void;
  accountDone(d: AccountDone): void;
  /** Last call, with the exit code the command line returns. */
  exit(code: number): void;
}

const LABELS: Record<string, string> = {
  'copy-to-near': 'downloaded', 'copy-to-far': 'uploaded', flags: 'flag changes', 'delete-near': 'deleted locally',
  'delete-far': 'deleted on server', link: 'matched', forget: 'forgotten', 'adopt-near-only': 'kept locally only',
};

/** "1 downloaded, 2 flag changes" (zero counts left out; '' when nothing happens). */
export function describe(s: Record<string, number>): string {
  return Object.entries(s).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${LABELS[k] ?? k}`).join(', ');
}

/** "main/INBOX: " style prefix of error lines. */
export function where(e: { account?: string; folder?: string }): string {
  return `${e.account ?? ''}${e.folder ? `/${e.folder}` : ''}`;
}

// The `machineui` output mode: one JSON object per line on stdout for every engine event and
// command-line milestone, for wrappers and scripts. The shape is stable and documented in the
// README: {"type": <event name>, ...the event's fields, "time": <ISO 8601>}. Never pretty-
// printed, never a partial line, never a secret (events carry none).

import type { Ui, UiStreams } from './ui-common.js';

export function createMachineUi(io: UiStreams, clock: () => Date = () => new Date()): Ui {
  const json = (type: string, fields: object) => io.out.write(JSON.stringify({ type, ...fields, time: clock().toISOString() }) + '\n');
  return {
    event(name, e) { json(name, e); },
    warning(text) { json('warning', { message: text }); },
    plan(account, farName, nearName, ops) { json('plan', { account, folder: farName, nearFolder: nearName, ops }); },
    accountDone(d) { json('account-done', { account: d.account, folders: d.folders, errors: d.errors, dryRun: d.dryRun }); },
    exit(code) { json('exit', { code }); },
  };
}

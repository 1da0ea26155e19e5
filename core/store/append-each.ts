// appendBatch() one message after the other, for a store or a connection that cannot send
// several at once: a message's own error becomes its entry, anything else (a lost connection)
// ends the batch by throwing (the caller's upload intents remain for the next run).

import { SyncError } from '../errors.js';
import type { NewMessage, OpenFolder } from './mail-store.js';

export async function appendEach(folder: Pick<OpenFolder, 'append'>, msgs: NewMessage[]): Promise<Array<string | null | SyncError>> {
  const out: Array<string | null | SyncError> = [];
  for (const m of msgs) {
    try {
      out.push(await folder.append(m));
    } catch (e) {
      if (!(e instanceof SyncError) || e.scope !== 'message') throw e;
      out.push(e);
    }
  }
  return out;
}

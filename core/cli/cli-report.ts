// Turns engine events into the command line's output: quiet (errors only, for cron),
// basic/ttyui (a line per folder and a summary), machineui (one JSON object per line),
// and the --dry-run plan. Writes only to the streams it is given.

import type { CliOptions } from './cli-args.js';
import type { Engine, AccountReport } from '../engine/engine.js';
import { summarize } from '../sync/plan.js';

export function createReporter(opts: CliOptions, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }) {
  const json = (o: object) => io.out.write(JSON.stringify(o) + '\n');
  return {
    attach(engine: Engine) {
      engine.on('error', (e) => {
        if (opts.ui === 'machineui') json({ type: 'error', ...e });
        else io.err.write(`satchel: ${e.account ?? ''}${e.folder ? `/${e.folder}` : ''}: ${e.message}\n`);
      });
      if (opts.ui === 'quiet') return;
      engine.on('folder-state', (e) => {
        if (opts.ui === 'machineui') json({ type: 'folder', ...e });
        else if (e.state === 'synced' && !opts.dryRun && e.summary && Object.keys(e.summary).length) {
          io.out.write(`${e.account}: ${e.folder}: ${describe(e.summary)}\n`);
        }
      });
      engine.on('account-state', (e) => { if (opts.ui === 'machineui') json({ type: 'account', ...e }); });
      engine.on('log', (e) => {
        if (opts.ui === 'machineui') json({ type: 'log', ...e });
        else if (e.level !== 'debug' || opts.debug.length) io.out.write(`${e.account ?? ''}: ${e.message}\n`);
      });
    },
    finish(reports: AccountReport[]) {
      for (const r of reports) {
        if (opts.dryRun) {
          for (const f of r.result?.folders ?? []) {
            if (!f.result) continue;
            const s = summarize(f.result.plan);
            const desc = describe(s);
            if (opts.ui === 'machineui') json({ type: 'plan', account: r.account, folder: f.farName, ops: s });
            else io.out.write(`${r.account}: ${f.farName} -> ${f.nearName}: ${desc || 'nothing to do'}\n`);
          }
        }
        if (opts.ui === 'machineui') json({ type: 'done', account: r.account, errors: r.errors.length });
        else if (opts.ui !== 'quiet') {
          const synced = r.result?.folders.filter((f) => f.result || f.skipped).length ?? 0;
          io.out.write(`${r.account}: ${opts.dryRun ? 'dry run, nothing changed' : `${synced} folders in sync`}` +
            `${r.errors.length ? `, ${r.errors.length} error(s)` : ''}\n`);
        }
      }
    },
  };
}

const LABELS: Record<string, string> = {
  'copy-to-near': 'downloaded', 'copy-to-far': 'uploaded', flags: 'flag changes', 'delete-near': 'deleted locally',
  'delete-far': 'deleted on server', link: 'matched', forget: 'forgotten', 'adopt-near-only': 'kept locally only',
};

function describe(s: Record<string, number>): string {
  return Object.entries(s).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${LABELS[k] ?? k}`).join(', ');
}

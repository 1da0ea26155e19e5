// Connects the engine's events to the chosen output mode (quiet, basic, ttyui — basic when
// stdout is not a terminal — or machineui) and to the log sinks of -l/-s, and reports the
// end of a run (the --dry-run plan, one line per account). Writes only to the streams and
// sinks it is given; never decides the exit code.

import type { AccountReport, Engine } from '../engine/engine.js';
import type { EngineEventName, EngineEvents } from '../engine/engine-events.js';
import type { LogLevel, LogSink } from '../log/log-sink.js';
import { summarize } from '../sync/plan.js';
import { describe, where, type Ui, type UiStreams } from './ui-common.js';
import type { UiName } from './ui-names.js';
import { createBasicUi } from './ui-basic.js';
import { createMachineUi } from './ui-machine.js';
import { createTtyUi } from './ui-tty.js';

export interface ReporterOptions {
  ui: UiName;
  dryRun: boolean;
  /** -d given: debug log lines and progress are shown/logged. */
  debug: boolean;
}

export function createUi(opts: ReporterOptions, io: UiStreams): Ui {
  if (opts.ui === 'machineui') return createMachineUi(io);
  if (opts.ui === 'ttyui' && io.out.isTTY) return createTtyUi(io, opts);
  return createBasicUi(io, { quiet: opts.ui === 'quiet', dryRun: opts.dryRun, debug: opts.debug });
}

const EVENTS: EngineEventName[] = ['account-state', 'folder-state', 'progress', 'error', 'log'];

export function createReporter(opts: ReporterOptions, io: UiStreams, log?: LogSink) {
  const ui = createUi(opts, io);
  const toLog = <K extends EngineEventName>(name: K, ev: EngineEvents[K]) => {
    const line = logLine(name, ev, opts.debug);
    if (line) log!.write(line[0], line[1]);
  };
  return {
    ui,
    attach(engine: Engine) {
      for (const name of EVENTS) {
        engine.on(name, (ev) => {
          ui.event(name, ev);
          if (log) toLog(name, ev);
        });
      }
    },
    warning(text: string) {
      ui.warning(text);
      log?.write('warning', text);
    },
    finish(reports: AccountReport[]) {
      for (const r of reports) {
        if (opts.dryRun) {
          for (const f of r.result?.folders ?? []) if (f.result) ui.plan(r.account, f.farName, f.nearName, summarize(f.result.plan));
        }
        const folders = r.result?.folders.filter((f) => f.result || f.skipped).length ?? 0;
        ui.accountDone({ account: r.account, folders, errors: r.errors.length, dryRun: opts.dryRun });
        log?.write(r.errors.length ? 'warning' : 'info', `${r.account}: done, ${folders} folders in sync, ${r.errors.length} error(s)`);
      }
    },
    exit(code: number) {
      ui.exit(code);
      log?.write(code ? 'warning' : 'info', `exit code ${code}`);
    },
  };
}

/** The log file's wording of an event: [level, text], or undefined when not logged. */
export function logLine<K extends EngineEventName>(name: K, ev: EngineEvents[K], debug: boolean): [LogLevel, string] | undefined {
  switch (name) {
    case 'account-state': {
      const e = ev as EngineEvents['account-state'];
      return ['info', `${e.account}: ${e.state}${e.error ? ` (${e.error})` : ''}`];
    }
    case 'folder-state': {
      const e = ev as EngineEvents['folder-state'];
      const s = e.summary ? describe(e.summary) : '';
      return [e.state === 'syncing' ? 'debug' : 'info', `${e.account}: ${e.folder}: ${e.state}${s ? ` (${s})` : ''}`];
    }
    case 'progress': {
      if (!debug) return undefined;
      const e = ev as EngineEvents['progress'];
      return ['debug', `${e.account}: ${e.folder}: ${e.messagesDone}${e.messagesTotal !== undefined ? `/${e.messagesTotal}` : ''} messages, ${e.bytesDone} bytes`];
    }
    case 'error': {
      const e = ev as EngineEvents['error'];
      return ['error', `${where(e)}: ${e.message} [${e.code}, ${e.scope}, retry ${e.retry}]`];
    }
    case 'log': {
      const e = ev as EngineEvents['log'];
      return [e.level, `${e.account ?? 'satchel'}: ${e.message}`];
    }
  }
  return undefined;
}

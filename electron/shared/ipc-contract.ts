// The renderer⇄main contract: every channel the renderer may invoke, with a runtime check of
// its arguments, plus the events main pushes. The preload generates its bridge from these
// names and main validates every call against them: one source of truth for both sides.
// No Electron, no Node: it is bundled into the sandboxed preload. Never a channel returning a secret.

type Check = (args: unknown[]) => string | undefined;

const isStr = (x: unknown, max = 4096): x is string => typeof x === 'string' && x.length > 0 && x.length <= max;
const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

const none: Check = (a) => (a.length === 0 ? undefined : 'takes no arguments');
const optionalAccount: Check = (a) =>
  a.length === 0 || (a.length === 1 && (a[0] === undefined || isStr(a[0], 256))) ? undefined : 'takes an optional account name';
const account: Check = (a) => (a.length === 1 && isStr(a[0], 256) ? undefined : 'takes an account name');
const PREF_KEYS = ['notifyErrors', 'notifyNewMail', 'launchAtLogin', 'showWindowOnStart'];
const prefs: Check = (a) => {
  if (a.length !== 1 || !isObj(a[0])) return 'takes an object of preferences';
  for (const [k, v] of Object.entries(a[0])) {
    if (!PREF_KEYS.includes(k)) return `'${k}' is not a preference`;
    if (typeof v !== 'boolean') return `'${k}' must be true or false`;
  }
  return undefined;
};
/** The shape only; main runs core's validateConfig and the settings rules on it. */
const config: Check = (a) => (a.length === 1 && isObj(a[0]) && Array.isArray(a[0].accounts) && isObj(a[0].general) ? undefined : 'takes a configuration { general, accounts }');
const secret: Check = (a) => (a.length === 2 && isStr(a[0], 256) && typeof a[1] === 'string' && a[1].length <= 16384 ? undefined : 'takes an account name and a secret');

/** Channel → argument check. Results are plain data (structured clone) described in the bridge type. */
export const INVOKE_CHANNELS = {
  'status:get': none,
  'sync:now': optionalAccount,
  'engine:pause': none,
  'engine:resume': none,
  'engine:retry': none,
  'settings:get': none,
  'settings:set-prefs': prefs,
  'config:set': config,
  'secret:set': secret,
  'secret:delete': account,
  'log:get': none,
  'folder:open': account,
  'login-item:get': none,
} as const satisfies Record<string, Check>;

export type InvokeChannel = keyof typeof INVOKE_CHANNELS;

/** Main → renderer events; the bridge offers on<Name>(fn) returning an unsubscribe. */
export const EVENT_CHANNELS = ['status:changed', 'log:line', 'settings:changed', 'navigate'] as const;
export type EventChannel = (typeof EVENT_CHANNELS)[number];

/** The bridge method name for a channel: 'sync:now' → 'syncNow', 'status:changed' → 'onStatusChanged'. */
export function methodName(channel: string, prefix = ''): string {
  const camel = channel.split(/[:-]/).map((w, i) => (i === 0 && !prefix ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
  return prefix + camel;
}

export function isInvokeChannel(c: unknown): c is InvokeChannel {
  return typeof c === 'string' && Object.prototype.hasOwnProperty.call(INVOKE_CHANNELS, c);
}

/** undefined when the call is acceptable, else why not. */
export function checkInvoke(channel: unknown, args: unknown[]): string | undefined {
  if (!isInvokeChannel(channel)) return `unknown channel ${JSON.stringify(channel)}`;
  const why = INVOKE_CHANNELS[channel](args);
  return why ? `${channel} ${why}` : undefined;
}

/** The global the preload exposes to the renderer. */
export const BRIDGE_NAME = 'satchel';

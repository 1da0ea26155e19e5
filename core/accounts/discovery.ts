// Finds the IMAP server for an e-mail address, in this order: a provider preset, the domain's
// autoconfig file (https://autoconfig.<domain>/mail/config-v1.1.xml), its /.well-known copy,
// DNS SRV records (RFC 6186: _imaps._tcp then _imap._tcp), and last the guess imap.<domain>:993.
// The network lookups run at once with short timeouts; the first answer in that order wins.
// The XML is read by a small hand parser (no entities, no DTDs); nothing is ever evaluated.

import dns from 'node:dns';
import type { DiscoveryResult, Security, ServerSettings } from '../contract/bridge-contract.js';
import { domainOf, localPartOf, presetDiscovery } from './provider-presets.js';
import { providerForHost } from '../auth/oauth-providers.js';
import { BUILT_IN_CLIENTS } from '../auth/client-ids.js';

export interface SrvResolver { resolveSrv(name: string): Promise<dns.SrvRecord[]> }

export interface DiscoveryOptions {
  /** Default: a resolver with the system's servers, one try, the timeout below. */
  resolver?: SrvResolver;
  /** Where the two autoconfig files are fetched from (tests point them at a local server). */
  autoconfigUrl?: (domain: string, email: string) => string;
  wellKnownUrl?: (domain: string, email: string) => string;
  /** Per lookup; default 4000 ms. */
  timeoutMs?: number;
  /** Skip the built-in presets (tests of the network steps). */
  noPresets?: boolean;
}

const MAX_XML_BYTES = 256 * 1024;

/** The result with the provider's OAuth2 sign-in offered, when its server is Google's or Microsoft's (Google Workspace included). */
export function withSignInOffer(r: DiscoveryResult): DiscoveryResult {
  const p = providerForHost(r.server.host);
  if (!p) return r;
  return { ...r, signIn: { provider: p.id, name: p.name, hasClientId: !!BUILT_IN_CLIENTS[p.id].clientId, registerHelp: p.registerHelp } };
}

export async function discover(email: string, opts: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  return withSignInOffer(await discoverServer(email, opts));
}

async function discoverServer(email: string, opts: DiscoveryOptions): Promise<DiscoveryResult> {
  const address = email.trim();
  const domain = domainOf(address);
  if (!domain || !/^[a-z0-9.-]+$/.test(domain) || domain.includes('..')) {
    throw new Error(`"${email}" is not an e-mail address with a domain Satchel can look up.`);
  }
  const preset = opts.noPresets ? undefined : presetDiscovery(address);
  if (preset) return preset;
  const timeoutMs = opts.timeoutMs ?? 4000;
  const enc = encodeURIComponent(address);
  const autoconfigUrl = opts.autoconfigUrl?.(domain, address) ?? `https://autoconfig.${domain}/mail/config-v1.1.xml?emailaddress=${enc}`;
  const wellKnownUrl = opts.wellKnownUrl?.(domain, address) ?? `https://${domain}/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=${enc}`;
  const resolver = opts.resolver ?? new dns.promises.Resolver({ timeout: timeoutMs, tries: 1 });

  const [auto, known, srv] = await Promise.all([
    fetchAutoconfig(autoconfigUrl, address, timeoutMs),
    fetchAutoconfig(wellKnownUrl, address, timeoutMs),
    lookupSrv(resolver, domain, address, timeoutMs),
  ]);
  if (auto) return { source: 'autoconfig', ...auto };
  if (known) return { source: 'well-known', ...known };
  if (srv) return { source: 'srv', server: srv };
  return { source: 'guess', server: { host: `imap.${domain}`, port: 993, security: 'tls', user: address } };
}

type Found = { provider?: string; server: ServerSettings };

async function fetchAutoconfig(url: string, email: string, timeoutMs: number): Promise<Found | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow', headers: { accept: 'application/xml, text/xml' } });
    if (!res.ok) return undefined;
    const body = Buffer.from(await res.arrayBuffer());
    if (body.length > MAX_XML_BYTES) return undefined;
    return parseAutoconfig(body.toString('utf8'), email);
  } catch {
    return undefined; // no such host, refused, timeout, bad TLS: this step has no answer
  }
}

/** The best IMAP server of an autoconfig (config-v1.1) document: SSL before STARTTLS; plain ones never. */
export function parseAutoconfig(xml: string, email: string): Found | undefined {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return undefined;
  const servers: Array<{ server: ServerSettings; rank: number }> = [];
  for (const m of xml.matchAll(/<incomingServer\b([^>]*)>([\s\S]*?)<\/incomingServer>/gi)) {
    if (!/\btype\s*=\s*["']imap["']/i.test(m[1]!)) continue;
    const body = m[2]!;
    const host = subst(element(body, 'hostname'), email);
    const port = Number(element(body, 'port'));
    const socket = (element(body, 'socketType') ?? '').toUpperCase();
    const security: Security | undefined = socket === 'SSL' ? 'tls' : socket === 'STARTTLS' ? 'starttls' : undefined;
    if (!host || !/^[A-Za-z0-9.-]+$/.test(host) || !Number.isInteger(port) || port < 1 || port > 65535 || !security) continue;
    const user = subst(element(body, 'username'), email) || email;
    servers.push({ server: { host: host.toLowerCase(), port, security, user }, rank: security === 'tls' ? 0 : 1 });
  }
  servers.sort((a, b) => a.rank - b.rank);
  const best = servers[0];
  if (!best) return undefined;
  const provider = unescape(element(xml, 'displayName') ?? '') || undefined;
  return { ...(provider ? { provider } : {}), server: best.server };
}

function element(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}\\b[^>]*>([^<]*)</${name}>`, 'i').exec(xml);
  return m ? m[1]!.trim() : undefined;
}

function unescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

function subst(value: string | undefined, email: string): string {
  if (!value) return '';
  return unescape(value).replace(/%EMAILADDRESS%/g, email).replace(/%EMAILLOCALPART%/g, localPartOf(email)).replace(/%EMAILDOMAIN%/g, domainOf(email));
}

/** RFC 6186: the lowest priority, then the highest weight; a "." target means "no such service here". */
export function pickSrv(records: dns.SrvRecord[]): dns.SrvRecord | undefined {
  const usable = records.filter((r) => r.name && r.name !== '.' && r.port > 0);
  if (!usable.length) return undefined;
  return [...usable].sort((a, b) => a.priority - b.priority || b.weight - a.weight)[0];
}

async function lookupSrv(resolver: SrvResolver, domain: string, email: string, timeoutMs: number): Promise<ServerSettings | undefined> {
  const query = (name: string) => Promise.race([
    resolver.resolveSrv(name).catch(() => [] as dns.SrvRecord[]),
    new Promise<dns.SrvRecord[]>((resolve) => setTimeout(() => resolve([]), timeoutMs).unref()),
  ]);
  const [imaps, imap] = await Promise.all([query(`_imaps._tcp.${domain}`), query(`_imap._tcp.${domain}`)]);
  const tls = pickSrv(imaps);
  if (tls) return { host: tls.name.replace(/\.$/, '').toLowerCase(), port: tls.port, security: 'tls', user: email };
  const plain = pickSrv(imap);
  if (plain) return { host: plain.name.replace(/\.$/, '').toLowerCase(), port: plain.port, security: 'starttls', user: email };
  return undefined;
}

/**
 * Who may reach the control plane, as configuration: the host names a request's `Host` (and a
 * state-changing request's `Origin`) may name, and the rule that live mode needs API_TOKEN.
 *
 * Allowed host names: the loopback names and addresses (localhost, 127.0.0.0/8, ::1), API_HOST
 * when it names one specific address or name (not 0.0.0.0 or ::), and API_ALLOWED_HOSTS. Names
 * are compared lowercase, without a port and without a trailing dot. This list is what defeats
 * DNS rebinding: a foreign page's requests carry its own host name, which is on no list.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';

/** "Any address" binds: they name no host a client would send. */
const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]', '*']);

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A host name as compared: lowercase, no trailing dot, IPv6 without brackets. */
export function normalizeHostname(name: string): string {
  let host = name.trim().toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return host.replace(/\.$/, '');
}

export function isLoopback(host: string): boolean {
  const h = normalizeHostname(host);
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** True for a DNS name, an IPv4 address or an IPv6 address (normalized form). */
export function isValidHostname(host: string): boolean {
  const h = normalizeHostname(host);
  if (/^[\d.]+$/.test(h)) return isIPv4(h);
  if (h.includes(':')) return isIPv6(h);
  return h.length > 0 && h.length <= 253 && h.split('.').every((label) => LABEL.test(label));
}

/** API_ALLOWED_HOSTS: comma-separated host names, no scheme, port or path. */
export const hostList = z
  .string()
  .trim()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .refine(
    (hosts) => hosts.every(isValidHostname),
    'expected a comma-separated list of host names or addresses without scheme or port, e.g. centaur.lan,10.0.0.5',
  )
  .transform((hosts): readonly string[] => hosts.map(normalizeHostname));

/** The configured hosts besides loopback: API_HOST when specific, plus API_ALLOWED_HOSTS. */
export function configuredHosts(apiHost: string, allowed: readonly string[]): string[] {
  const bind = normalizeHostname(apiHost);
  const hosts = WILDCARD_BINDS.has(apiHost.trim()) || WILDCARD_BINDS.has(bind) ? [] : [bind];
  return [...new Set([...hosts, ...allowed.map(normalizeHostname)])];
}

/** True when `host` (a Host header's name part or an Origin's host name) may be served. */
export function hostAllowed(host: string, configured: ReadonlySet<string>): boolean {
  const h = normalizeHostname(host);
  return h !== '' && (isLoopback(h) || configured.has(h));
}

export interface AccessIssue {
  variable: string;
  message: string;
}

/**
 * What the API refuses to start with (the engine and the CLI do not serve HTTP, so these are not
 * load-time errors): live mode without API_TOKEN. A page the operator visits can reach a
 * loopback port; the Host and Origin checks stop it, and the token makes live trading need a
 * secret such a page cannot know.
 */
export function apiStartIssues(config: {
  environment: 'paper' | 'live';
  api: { token: unknown };
}): AccessIssue[] {
  if (config.environment === 'live' && config.api.token === null) {
    return [
      {
        variable: 'API_TOKEN',
        message:
          'is required in live mode (ALPACA_PAPER_TRADING=false), also on a loopback API_HOST: set at least 16 characters',
      },
    ];
  }
  return [];
}

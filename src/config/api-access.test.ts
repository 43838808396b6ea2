import { describe, expect, it } from 'vitest';
import {
  configuredHosts,
  hostAllowed,
  isLoopback,
  isValidHostname,
  normalizeHostname,
} from './api-access.js';

describe('allowed hosts', () => {
  it('knows the loopback names and addresses', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost.']) {
      expect(isLoopback(host), host).toBe(true);
    }
    for (const host of ['evil.example', 'localhost.evil.example', '128.0.0.1', '0.0.0.0', '', '::']) {
      expect(isLoopback(host), host).toBe(false);
    }
  });

  it('adds API_HOST when it names one address, never the wildcard binds', () => {
    expect(configuredHosts('10.0.0.5', [])).toEqual(['10.0.0.5']);
    expect(configuredHosts('0.0.0.0', ['centaur.lan'])).toEqual(['centaur.lan']);
    expect(configuredHosts('::', [])).toEqual([]);
    expect(configuredHosts('[::]', [])).toEqual([]);
    expect(configuredHosts('Box.LAN', ['box.lan'])).toEqual(['box.lan']);
  });

  it('allows loopback and configured names only', () => {
    const configured = new Set(['centaur.lan']);
    expect(hostAllowed('Centaur.lan', configured)).toBe(true);
    expect(hostAllowed('127.0.0.1', configured)).toBe(true);
    expect(hostAllowed('attacker.example', configured)).toBe(false);
    expect(hostAllowed('', configured)).toBe(false);
  });

  it('validates host names and addresses', () => {
    expect(normalizeHostname(' [FD00::1] ')).toBe('fd00::1');
    for (const ok of ['a.b-c.example', '10.0.0.5', 'fd00::1', '[::1]', 'x'])
      expect(isValidHostname(ok), ok).toBe(true);
    for (const bad of ['-a.example', 'a..b', '256.0.0.1', 'a_b', 'x:80', '']) {
      expect(isValidHostname(bad), bad).toBe(false);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { isAllowedHost } from '../../../electron/core/mcp/isAllowedHost.ts';

describe('isAllowedHost', () => {
  it('accepts loopback names with or without our port when the Host names this server', () => {
    for (const host of ['127.0.0.1', '127.0.0.1:4000', 'localhost', 'LOCALHOST:4000', '[::1]', '[::1]:4000']) {
      expect(isAllowedHost(host, 4000), host).toBe(true);
    }
  });

  it('refuses foreign, look-alike and wildcard names when the Host is not loopback', () => {
    const hosts = ['evil.example:4000', 'localhost.evil.example', '127.0.0.1.nip.io', '0.0.0.0', '0.0.0.0:4000', '[::]:4000', '127.0.0.2', '', 'localhost:4000:1', 'user@localhost'];
    for (const host of hosts) expect(isAllowedHost(host, 4000), host).toBe(false);
  });

  it('refuses another port and a missing Host', () => {
    expect(isAllowedHost('127.0.0.1:4001', 4000)).toBe(false);
    expect(isAllowedHost(undefined, 4000)).toBe(false);
  });
});

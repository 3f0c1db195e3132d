// Issue 7 item 2: the logger removes JWTs whole and no longer hides harmless fields such as a warning's `code`.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../electron/core/log/Logger.ts';
import { secretValues } from '../../../electron/core/secrets/scrubSecrets.ts';

function capture() {
  const lines: string[] = [];
  return { lines, logger: createLogger({ level: 'debug', write: (line) => void lines.push(line) }) };
}

describe('createLogger', () => {
  it('redacts the private member d of a JWK passed by mistake, and whole DPoP key fields (C13)', () => {
    const { lines, logger } = capture();
    const d = 'c2VjcmV0LXByaXZhdGUtc2NhbGFyLW9mLXRoZS1rZXktMDA';
    logger.debug('key', { jwk: { kty: 'EC', crv: 'P-256', x: 'public-x', d }, dpopKey: { d }, privateJwk: 'anything' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(d);
    expect(lines[0]).not.toContain('anything');
    expect(lines[0]).toContain('public-x');
  });

  it('removes a JWT from the message whole, not appending [redacted] to it', () => {
    const { lines, logger } = capture();
    logger.info('t eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig');
    expect(lines).toEqual(['info: t [redacted]\n']);
  });

  it("keeps a warning's code and state, which are not secrets", () => {
    const { lines, logger } = capture();
    logger.warn('refused to send a token to an API', { code: 'AUDIENCE_MISMATCH', state: 'signed out' });
    expect(lines[0]).toContain('"code":"AUDIENCE_MISMATCH"');
    expect(lines[0]).toContain('"state":"signed out"');
  });

  it('hides fields named for secrets and every token value the app holds, in messages and fields', () => {
    const { lines, logger } = capture();
    const held = 'opaque-refresh-token-0123456789abcdef';
    secretValues.add(held);
    logger.debug(`rotated ${held}`, { refreshToken: 'whatever-it-is', nested: { text: `x ${held}` }, error: new Error(`bad ${held}`) });
    expect(lines[0]).not.toContain(held);
    expect(lines[0]).toContain('"refreshToken":"[redacted]"');
    expect(lines[0]).toContain('rotated [redacted]');
  });
});

describe('createLogger, URLs (security case I2)', () => {
  it('logs a URL without its query string', () => {
    const { lines, logger } = capture();
    logger.info('callback', { url: 'http://127.0.0.1:5000/callback?code=abc&state=def&iss=x' });
    expect(lines[0]).toBe('info: callback {"url":"http://127.0.0.1:5000/callback?[query removed]"}\n');
  });
});

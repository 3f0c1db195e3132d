import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../electron/core/log/Logger.ts';

describe('createLogger', () => {
  it('redacts the private member d of a JWK passed by mistake, and whole DPoP key fields (C13)', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => void lines.push(line) });
    const d = 'c2VjcmV0LXByaXZhdGUtc2NhbGFyLW9mLXRoZS1rZXktMDA';
    logger.debug('key', { jwk: { kty: 'EC', crv: 'P-256', x: 'public-x', d }, dpopKey: { d }, privateJwk: 'anything' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(d);
    expect(lines[0]).not.toContain('anything');
    expect(lines[0]).toContain('public-x');
  });
});

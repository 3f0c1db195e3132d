import { describe, expect, it } from 'vitest';
import { createSingleFlight } from '../../../electron/core/auth/createSingleFlight.ts';
import { isUsable } from '../../../electron/core/auth/refreshTokens.ts';

describe('createSingleFlight', () => {
  it('shares one running promise per key and starts anew after it settles', async () => {
    const flights = createSingleFlight<number>();
    let starts = 0;
    const start = () => new Promise<number>((resolve) => setTimeout(() => resolve(++starts), 5));
    const results = await Promise.all(Array.from({ length: 50 }, () => flights.run('k', start)));
    expect(new Set(results)).toEqual(new Set([1]));
    expect(await flights.run('k', start)).toBe(2);
    expect(await flights.run('other', start)).toBe(3);
  });
});

describe('isUsable', () => {
  it('stops using a token 30 s before exp, or a quarter of its life for short ones (C12)', () => {
    const hour = { token: 't', issuedAt: 0, expiresAt: 3_600_000 };
    expect(isUsable(hour, 3_569_999)).toBe(true);
    expect(isUsable(hour, 3_570_000)).toBe(false);
    const short = { token: 't', issuedAt: 0, expiresAt: 8_000 };
    expect(isUsable(short, 5_999)).toBe(true);
    expect(isUsable(short, 6_000)).toBe(false);
  });
});

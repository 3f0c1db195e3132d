import type { AccessToken } from './refreshTokens.ts';

/** Concurrent callers with the same key share one running promise. */
export interface SingleFlight<T> {
  run(key: string, start: () => Promise<T>): Promise<T>;
  /** The running promise for a key, if any. */
  running(key: string): Promise<T> | undefined;
}

export function createSingleFlight<T>(): SingleFlight<T> {
  const flights = new Map<string, Promise<T>>();
  return {
    run(key, start) {
      const existing = flights.get(key);
      if (existing) return existing;
      const flight = start().finally(() => flights.delete(key));
      flights.set(key, flight);
      return flight;
    },
    running: (key) => flights.get(key),
  };
}

/** Clock-skew margin: a quarter of the token's life, at most 30 s, so short-lived tokens stay usable. */
export function marginMs(token: AccessToken): number {
  return Math.min(30_000, Math.max(0, token.expiresAt - token.issuedAt) / 4);
}

/** True while the token is not within its clock-skew margin of expiry (security case C12). */
export function isUsable(token: AccessToken, now: number): boolean {
  return now < token.expiresAt - marginMs(token);
}

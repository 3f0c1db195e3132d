/** Concurrent callers with the same key share one running promise. */
export interface SingleFlight<T> {
  run(key: string, start: () => Promise<T>): Promise<T>;
  /** The running promise for a key, if any. */
  running(key: string): Promise<T> | undefined;
}

/** Deduplicates concurrent work per key: one refresh or exchange however many callers wait for it (C8). */
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

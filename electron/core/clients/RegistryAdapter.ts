import { digestOf } from './accessKeys.ts';
import type { ClientRegistry, RegistryState } from './ClientRegistry.ts';

/** What must survive a restart: registered clients, grants and refresh tokens. Codes and access tokens stay in memory. */
export const persistedModels: ReadonlySet<string> = new Set(['Client', 'Grant', 'RefreshToken']);

type Payload = Record<string, unknown>;

/**
 * oidc-provider's storage for one model, kept in the client registry. Entries are keyed by the SHA-256 of their id and
 * stored without `jti`, so the file never holds a usable refresh token or grant id; `find` puts the id back.
 * @see https://github.com/panva/node-oidc-provider/blob/main/example/my_adapter.js
 */
export class RegistryAdapter {
  readonly #registry: ClientRegistry;
  readonly #model: string;

  constructor(registry: ClientRegistry, model: string) {
    this.#registry = registry;
    this.#model = model;
  }

  async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
    const { jti: _jti, ...stored } = payload;
    const now = this.#registry.now();
    await this.#registry.update((state) => {
      pruneExpired(state, now);
      state.oauth[this.#key(id)] = { payload: stored, expiresAt: expiresIn ? now + expiresIn * 1000 : Number.MAX_SAFE_INTEGER };
    });
  }

  async find(id: string): Promise<Payload | undefined> {
    if (typeof id !== 'string' || id === '') return undefined;
    const entry = this.#registry.state.oauth[this.#key(id)];
    if (!entry || entry.expiresAt <= this.#registry.now()) return undefined;
    const payload = structuredClone(entry.payload);
    return this.#model === 'Client' ? payload : { ...payload, jti: id };
  }

  async findByUid(): Promise<undefined> {
    return undefined;
  }

  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  async consume(id: string): Promise<void> {
    await this.#registry.update((state) => {
      const entry = state.oauth[this.#key(id)];
      if (entry) entry.payload.consumed = Math.floor(this.#registry.now() / 1000);
    });
  }

  async destroy(id: string): Promise<void> {
    await this.#registry.update((state) => {
      delete state.oauth[this.#key(id)];
    });
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    const prefix = `${this.#model}:`;
    await this.#registry.update((state) => {
      for (const [key, entry] of Object.entries(state.oauth)) {
        if (key.startsWith(prefix) && entry.payload.grantId === grantId) delete state.oauth[key];
      }
    });
  }

  #key(id: string): string {
    return `${this.#model}:${digestOf(id)}`;
  }
}

/** Deletes every grant and refresh token of an OAuth client (its registration stays, so it can ask again). */
export async function revokeOauthClientGrants(registry: ClientRegistry, oauthClientId: string): Promise<void> {
  await registry.update((state) => {
    for (const [key, entry] of Object.entries(state.oauth)) {
      if (!key.startsWith('Client:') && entry.payload.clientId === oauthClientId) delete state.oauth[key];
    }
  });
}

/** The OAuth client registrations stored, oldest first (for the registration cap). */
export function storedRegistrations(state: RegistryState): Array<{ key: string; clientId: string; issuedAt: number }> {
  return Object.entries(state.oauth)
    .filter(([key]) => key.startsWith('Client:'))
    .map(([key, entry]) => ({ key, clientId: String(entry.payload.client_id), issuedAt: Number(entry.payload.client_id_issued_at ?? 0) }))
    .sort((a, b) => a.issuedAt - b.issuedAt);
}

function pruneExpired(state: RegistryState, now: number): void {
  for (const [key, entry] of Object.entries(state.oauth)) if (entry.expiresAt <= now) delete state.oauth[key];
}

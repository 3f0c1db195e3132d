import type { ApiConfig } from '../config/AppConfig.ts';
import { createUpstreamClient, type UpstreamClientOptions } from './createUpstreamClient.ts';
import type { UpstreamClient } from './UpstreamClient.ts';

/**
 * One pooled client per distinct trust setting: APIs without their own `ca` share one pool (undici keeps one per
 * origin inside it); an API with a `ca` file gets its own, so its extra roots are trusted for it alone.
 */
export class UpstreamClients {
  readonly #clients = new Map<string, UpstreamClient>();
  readonly #env: UpstreamClientOptions['env'];

  constructor(env?: UpstreamClientOptions['env']) {
    this.#env = env;
  }

  for(api: Pick<ApiConfig, 'ca'>): UpstreamClient {
    const key = api.ca ?? '';
    let client = this.#clients.get(key);
    if (!client) this.#clients.set(key, (client = createUpstreamClient({ ca: api.ca, env: this.#env })));
    return client;
  }

  async close(): Promise<void> {
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    await Promise.all(clients.map((client) => client.close()));
  }
}

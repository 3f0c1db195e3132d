import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CoreHandle } from '../../electron/core/startCore.ts';

export interface ConnectClientOptions {
  /** `clientInfo.name`; default 'test-client'. */
  name?: string;
  version?: string;
  /** More headers on every request (the bearer is added to them). */
  headers?: Record<string, string>;
}

/** The official SDK client over Streamable HTTP, sending `Authorization: Bearer <token>` on every request. */
export async function connectClient(url: string, token: string, options: ConnectClientOptions = {}): Promise<Client> {
  const client = new Client({ name: options.name ?? 'test-client', version: options.version ?? '1.0.0' });
  const headers = { ...options.headers, authorization: `Bearer ${token}` };
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

/** Creates an access key through the window's contract (`keys:create`), as a user would, and returns it. */
export async function createAccessKey(core: CoreHandle, name: string, readOnly = false): Promise<{ clientId: string; key: string }> {
  const created = await core.bridge['keys:create'](name, readOnly);
  if (!created.ok) throw new Error(`keys:create failed: ${created.error.code} ${created.error.message}`);
  return { clientId: created.value.clientId, key: created.value.key };
}

/** An SDK client of the running core, approved through a new access key. */
export async function connectToCore(core: CoreHandle, name: string, options: ConnectClientOptions & { readOnly?: boolean } = {}): Promise<{ client: Client; clientId: string; key: string }> {
  const { clientId, key } = await createAccessKey(core, `${name}-${Math.random().toString(36).slice(2, 8)}`, options.readOnly);
  return { client: await connectClient(core.endpoint, key, { name, ...options }), clientId, key };
}

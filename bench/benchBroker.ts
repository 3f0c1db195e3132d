import path from 'node:path';
import { createAuth, type Auth } from '../electron/core/auth/createAuth.ts';
import type { ApiConfig, AppConfig, TokenStrategy } from '../electron/core/config/AppConfig.ts';
import { demoSchemaFiles } from '../electron/core/demo/demoApis.ts';
import { startDemoIdp, type DemoIdp } from '../electron/core/demo/demoIdp.ts';
import { silentLogger } from '../electron/core/log/Logger.ts';
import { createLocalAuthority } from '../electron/core/clients/createLocalAuthority.ts';
import { serveMcp } from '../electron/core/mcp/serveMcp.ts';
import { ToolGateway } from '../electron/core/mcp/ToolGateway.ts';
import { memorySecretStore } from '../electron/core/secrets/memorySecretStore.ts';
import { ToolRegistry } from '../electron/core/ToolRegistry.ts';
import { loginOverHttp } from '../test/helpers/loginOverHttp.ts';
import { callOk, writeBenchOperation } from './benchToolCall.ts';
import { connectHttp } from './connectClient.ts';
import { startChild } from './startChild.ts';
import { measureInterleaved, type ContenderResult } from './summarize.ts';

export interface BrokerOptions {
  dir: string;
  warmup: number;
  /** Measured calls per tool; warmup + calls exchange-tool calls are counted for "exchanges per N calls". */
  calls: number;
  /** Direct `tokenFor` calls with the cached token, for the broker's own cost without the network. */
  tokenForCalls: number;
}

export interface BrokerResult {
  none: ContenderResult;
  exchange: ContenderResult;
  /** Token exchanges the IdP granted during all exchange-tool calls (warm-up included, first call mints). */
  exchanges: number;
  exchangeToolCalls: number;
  tokenLifetimeSeconds: number;
  /** Mean cost of `authorizer.tokenFor` once the token is cached, in microseconds. */
  tokenForMicros: number;
}

const audience = 'https://tasks.bench.example';
const appResource = 'urn:graphql-mcp-desktop:bench';
const tokenLifetimeSeconds = 600;

/**
 * (e) What the per-API token broker adds to a tool call once the token is cached: the same operation through the
 * gateway as an API with strategy `exchange` (real demo IdP, signed in over HTTP, RFC 8693) and as one with `none`,
 * both against the same upstream, round-robin; plus the IdP's count of exchanges over those calls.
 */
export async function benchBroker(options: BrokerOptions): Promise<BrokerResult> {
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const upstream = startChild(path.join(import.meta.dirname, 'runUpstream.ts'));
    closers.push(() => upstream.stop());
    const { url } = await upstream.next<{ event: string; url: string }>('ready');
    const idp = await startDemoIdp({ appResource, apis: [{ resource: audience, scopes: ['tasks:read'] }], accessTokenTtlSeconds: tokenLifetimeSeconds });
    closers.push(() => idp.close());
    const operations = await writeBenchOperation(options.dir);
    const apis = [apiConfig('x_', 'exchange', url, operations), apiConfig('n_', 'none', url, operations)];
    const config: AppConfig = { server: { port: 0 }, apis, signIn: { issuer: idp.issuer, clientId: idp.clientId, scopes: [], resource: appResource, allowInsecureLoopback: true } };
    const auth = await signIn(config);
    const registry = await ToolRegistry.create({ config, authorizer: auth.authorizer, logger: silentLogger, watch: false });
    // /mcp serves approved local clients only: the bench's client uses an access key, as a user's script would.
    const authority = await createLocalAuthority({ dataDir: path.join(options.dir, 'broker-data'), watch: false });
    closers.push(() => authority.close());
    const mcp = await serveMcp({ authority, gateway: new ToolGateway({ catalog: registry }), version: '0', port: 0 });
    closers.push(() => mcp.close());
    const created = await authority.bridgePart['keys:create']!('bench-broker', false);
    const { client } = await connectHttp(mcp.url, created.ok ? created.value.key : undefined);
    closers.push(() => client.close());
    const before = idp.stats();
    const [none, exchange] = await measureInterleaved(
      [
        { name: 'none', run: () => callOk(client, 'n_BenchTasks', {}) },
        { name: 'exchange', run: () => callOk(client, 'x_BenchTasks', {}) },
      ],
      options.warmup,
      options.calls,
    );
    const exchanges = exchangesSince(idp, before);
    const tokenForMicros = await timeTokenFor(auth, apis[0]!, options.tokenForCalls);
    return { none: none!, exchange: exchange!, exchanges, exchangeToolCalls: options.warmup + options.calls, tokenLifetimeSeconds, tokenForMicros };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
  }
}

function apiConfig(prefix: string, strategy: TokenStrategy, endpoint: string, operations: string): ApiConfig {
  return {
    name: `tasks-${strategy}`,
    toolPrefix: prefix,
    endpoint,
    schema: { file: demoSchemaFiles.tasks },
    operations: [{ path: operations }],
    mutations: 'none',
    introspection: { introspect: false, search: false, validate: false, execute: false },
    headers: {},
    customScalars: { DateTime: { type: 'string', format: 'date-time' } },
    timeoutMs: 15_000,
    token: strategy === 'none' ? { strategy } : { strategy, audience },
  };
}

/** Signs in as "alice" through the real authorization-code flow, the browser played by loginOverHttp. */
async function signIn(config: AppConfig): Promise<Auth> {
  const auth = createAuth({
    config,
    secrets: memorySecretStore(),
    openExternal: async (url) => void loginOverHttp(url, 'alice', { follow: true }).catch(() => {}),
    logger: silentLogger,
  });
  const signedIn = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sign-in did not finish: ${JSON.stringify(auth.state())}`)), 15_000);
    const stop = auth.onChange((state) => {
      if (state.status === 'signing-in') return;
      clearTimeout(timer);
      stop();
      if (state.status === 'signed-in') resolve();
      else reject(new Error(`sign-in failed: ${JSON.stringify(state)}`));
    });
  });
  await auth.signIn();
  await signedIn;
  return auth;
}

function exchangesSince(idp: DemoIdp, before: ReturnType<DemoIdp['stats']>): number {
  return idp.stats().tokenExchange - before.tokenExchange;
}

async function timeTokenFor(auth: Auth, api: ApiConfig, calls: number): Promise<number> {
  const started = performance.now();
  for (let index = 0; index < calls; index += 1) await auth.authorizer.tokenFor(api);
  return ((performance.now() - started) * 1000) / calls;
}

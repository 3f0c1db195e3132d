// Shared setup for the sign-in and token-broker integration tests: the demo IdP, recording upstreams that verify
// JWTs like a real API, and a config that points at both.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiConfig, AppConfig, TokenStrategy } from '../../electron/core/config/AppConfig.ts';
import type { Auth } from '../../electron/core/auth/createAuth.ts';
import type { AuthState } from '../../electron/core/auth/AuthState.ts';
import { startDemoIdp, type DemoIdp } from '../../electron/core/demo/demoIdp.ts';
import { verifyBearer } from '../../electron/core/demo/verifyBearer.ts';
import { executeOperation } from '../../electron/core/graphql/executeOperation.ts';
import { createUpstreamClient } from '../../electron/core/http/createUpstreamClient.ts';
import type { SecretStore } from '../../electron/core/secrets/SecretStore.ts';
import { loginOverHttp } from './loginOverHttp.ts';
import { makeApiConfig } from './makeApiConfig.ts';

export const appResource = 'urn:graphql-mcp-desktop:app';

export interface RecordedRequest {
  authorization: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  verified: boolean;
  aud?: unknown;
  sub?: unknown;
}

export interface RecordingUpstream {
  url: string;
  audience: string;
  requests: RecordedRequest[];
  /** Answer this many of the next requests with 401 invalid_token, whatever the token. */
  refuseNext: number;
  close(): Promise<void>;
}

/** A GraphQL-shaped API on 127.0.0.1 that records every Authorization header and verifies the JWT like a real API. */
export async function startRecordingUpstream(idp: DemoIdp, audience: string): Promise<RecordingUpstream> {
  const verify = verifyBearer({ issuer: idp.issuer, jwksUri: idp.jwksUri, audience });
  const requests: RecordedRequest[] = [];
  const upstream: RecordingUpstream = {
    url: '',
    audience,
    requests,
    refuseNext: 0,
    close: () => new Promise((resolve) => (server.close(() => resolve()), server.closeAllConnections())),
  };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      const result = await verify(req.headers.authorization);
      requests.push({
        authorization: req.headers.authorization,
        headers: { ...req.headers },
        verified: result.ok,
        ...(result.ok ? { aud: result.claims.aud, sub: result.claims.sub } : {}),
      });
      if (upstream.refuseNext > 0) {
        upstream.refuseNext -= 1;
        return void res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
      }
      if (!result.ok) return void res.writeHead(401, { 'www-authenticate': result.wwwAuthenticate }).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { me: result.claims.sub } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upstream.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return upstream;
}

export function apiConfig(name: string, strategy: TokenStrategy, audience: string | undefined, endpoint: string, scopes: string[] = []): ApiConfig {
  return makeApiConfig({ name, toolPrefix: name, endpoint, token: { strategy, ...(audience ? { audience } : {}), scopes } });
}

export function appConfig(idp: DemoIdp, apis: ApiConfig[], resource: string | undefined = appResource): AppConfig {
  return {
    server: { port: 0 },
    apis,
    signIn: { issuer: idp.issuer, clientId: idp.clientId, scopes: [], ...(resource ? { resource } : {}), allowInsecureLoopback: true },
  };
}

/** Starts a demo IdP that knows the given API resources (each with scope `<name>:read`); DPoP only with `dpop`. */
export function startIdp(resources: string[], accessTokenTtlSeconds?: number, options: { dpop?: boolean } = {}): Promise<DemoIdp> {
  return startDemoIdp({
    appResource,
    apis: resources.map((resource) => ({ resource, scopes: [`${new URL(resource).host || resource}:read`] })),
    accessTokenTtlSeconds,
    dpop: options.dpop,
  });
}

/** The "system browser": signs in as `name` over HTTP and follows the redirect to the app's loopback listener. */
export function browserSigningInAs(name: string, opened: string[] = []): (url: string) => Promise<void> {
  return async (url) => {
    opened.push(url);
    void loginOverHttp(url, name, { follow: true }).catch(() => {});
  };
}

/** Resolves once the auth state has the given status (or rejects after a few seconds with the last state). */
export function waitForState(auth: Auth, status: AuthState['status'], timeoutMs = 10_000): Promise<AuthState> {
  if (auth.state().status === status) return Promise.resolve(auth.state());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (unsubscribe(), reject(new Error(`state stayed ${JSON.stringify(auth.state())}`))), timeoutMs);
    const unsubscribe = auth.onChange((state) => {
      if (state.status !== status) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(state);
    });
  });
}

const upstream = createUpstreamClient();

/** A tool call through the real engine (executeOperation: token, send, retry once on 401). */
export function callApi(auth: Auth, api: ApiConfig) {
  return executeOperation({ api: api.name, document: 'query Me { me }', operationName: 'Me' }, {}, { api, upstream, authorizer: auth.authorizer });
}

/** A SecretStore over a Map, for tests that need to corrupt or inspect entries; the keychain tests use keytar. */
export function mapSecretStore(): SecretStore & { entries: Map<string, string>; fail?: Error } {
  const entries = new Map<string, string>();
  const store = {
    entries,
    fail: undefined as Error | undefined,
    get: async (account: string) => (store.fail ? Promise.reject(store.fail) : (entries.get(account) ?? null)),
    set: async (account: string, value: string) => (store.fail ? Promise.reject(store.fail) : void entries.set(account, value)),
    delete: async (account: string) => (store.fail ? Promise.reject(store.fail) : entries.delete(account)),
  };
  return store;
}

export interface Interception {
  /** Edit the form body of a request to the IdP (token, revocation, introspection endpoints). */
  request?(url: URL, form: URLSearchParams): void;
  /** Edit a JSON response from the IdP (discovery, token endpoint). */
  response?(url: URL, json: Record<string, unknown>, form: URLSearchParams | undefined): Record<string, unknown>;
}

/** A fetch for createAuth that plays a misbehaving IdP (or network) by editing requests and JSON responses. */
export function interceptingFetch(interception: Interception): typeof fetch {
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    let form: URLSearchParams | undefined;
    if (init.body instanceof URLSearchParams || typeof init.body === 'string') {
      form = new URLSearchParams(init.body as URLSearchParams | string);
      interception.request?.(url, form);
      init = { ...init, body: form };
    }
    const response = await fetch(input, init);
    if (!interception.response || !response.headers.get('content-type')?.includes('json')) return response;
    const json = interception.response(url, (await response.json()) as Record<string, unknown>, form);
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    return new Response(JSON.stringify(json), { status: response.status, headers });
  };
}

/** An unsigned JWT-shaped token (what a misbehaving AS could return). */
export function fakeJwt(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'at+jwt' }): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part(claims)}.c2ln`;
}

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiAuthorizer } from '../../../electron/core/auth/ApiAuthorizer.ts';
import type { ApiConfig } from '../../../electron/core/config/AppConfig.ts';
import { AppError } from '../../../electron/core/errors.ts';
import { executeOperation, type ExecuteOperationDeps } from '../../../electron/core/graphql/executeOperation.ts';
import { createUpstreamClient } from '../../../electron/core/http/createUpstreamClient.ts';
import { noAuthorization } from '../../../electron/core/auth/ApiAuthorizer.ts';
import { startGraphqlServer, testApiConfig, type TestGraphqlServer } from '../../helpers/graphqlServer.ts';

const hello = { api: 'test', document: 'query Hello($name: String) { hello(name: $name) }', operationName: 'Hello' };
const textOf = (result: { content: unknown[] }) => (result.content[0] as { text: string }).text;

/** Hands out tok-1, tok-2, … and records every call, like a real authorizer minting fresh tokens. */
function countingAuthorizer(): ApiAuthorizer & { calls: { forceRefresh?: boolean }[] } {
  const calls: { forceRefresh?: boolean }[] = [];
  return { calls, tokenFor: async (_api: ApiConfig, options) => (calls.push(options ?? {}), `tok-${calls.length}`) };
}

let upstream: TestGraphqlServer;
const client = createUpstreamClient();
let deps: ExecuteOperationDeps;

beforeAll(async () => {
  upstream = await startGraphqlServer();
});
afterAll(async () => {
  await client.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.reset();
  deps = { api: testApiConfig(upstream.url, { headers: { 'x-static': 'yes' } }), upstream: client, authorizer: noAuthorization };
});

describe('executeOperation', () => {
  it('returns the GraphQL data when the API answers', async () => {
    const result = await executeOperation(hello, { name: 'Ada' }, deps);
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toEqual({ data: { hello: 'Hello, Ada!' } });
    const sent = upstream.requests[0]!;
    expect(sent.headers['x-static']).toBe('yes');
    expect(sent.headers.authorization).toBeUndefined();
    expect(JSON.parse(sent.body)).toEqual({ query: hello.document, variables: { name: 'Ada' }, operationName: 'Hello' });
  });

  it('sends the token minted for the API as a Bearer header when the authorizer gives one', async () => {
    const authorizer = countingAuthorizer();
    await executeOperation(hello, {}, { ...deps, authorizer });
    expect(upstream.requests[0]!.headers.authorization).toBe('Bearer tok-1');
    expect(authorizer.calls).toEqual([{}]);
  });

  it('keeps partial data and marks isError when a resolver fails', async () => {
    const result = await executeOperation({ api: 'test', document: 'query Both { hello failing }', operationName: 'Both' }, {}, deps);
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ data: { hello: 'Hello, world!', failing: null } });
    expect(textOf(result)).toContain('failing resolver');
  });

  it('returns a refusal without calling the API when the authorizer rejects with an AppError', async () => {
    const authorizer: ApiAuthorizer = { tokenFor: async () => Promise.reject(new AppError('AUTH_SIGN_IN_REQUIRED')) };
    const result = await executeOperation(hello, {}, { ...deps, authorizer });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Sign-in required');
    expect(upstream.requests).toHaveLength(0);
  });

  it('hides the message of a non-AppError rejection when the authorizer fails unexpectedly', async () => {
    const authorizer: ApiAuthorizer = { tokenFor: async () => Promise.reject(new Error('secret-laden detail')) };
    const result = await executeOperation(hello, {}, { ...deps, authorizer });
    expect(result.isError).toBe(true);
    expect(textOf(result)).not.toContain('secret-laden');
  });

  it('refreshes the token once and retries once when the API answers 401', async () => {
    const authorizer = countingAuthorizer();
    upstream.respond = (request, res) => {
      if (request.headers.authorization !== 'Bearer tok-1') return false;
      res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
      return true;
    };
    const result = await executeOperation(hello, {}, { ...deps, authorizer });
    expect(result.isError).toBeUndefined();
    expect(authorizer.calls).toEqual([{}, { forceRefresh: true }]);
    expect(upstream.requests.map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it('says the API refused a fresh token and what to check, with the error code but never the token, when the retry gets 401 too (issue 7)', async () => {
    const authorizer = countingAuthorizer();
    upstream.respond = (_request, res) => {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="x", error="invalid_token", error_description="tok-2 expired"' }).end('tok-2');
      return true;
    };
    const result = await executeOperation(hello, {}, { ...deps, authorizer });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/refused a freshly minted token \(HTTP 401, invalid_token\) although you are signed in/);
    expect(textOf(result)).toMatch(/token\.audience.*token\.scopes/);
    expect(textOf(result)).not.toMatch(/Sign in again/i);
    expect(textOf(result)).not.toMatch(/tok-/);
    expect(upstream.requests).toHaveLength(2);
    expect(authorizer.calls).toHaveLength(2);
  });

  it('does not retry when the API answers 401 and no token was sent', async () => {
    upstream.respond = (_request, res) => (res.writeHead(401).end(), true);
    const result = await executeOperation(hello, {}, deps);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('no token is configured');
    expect(upstream.requests).toHaveLength(1);
  });

  it('does not follow a redirect and names the status when the API answers 302', async () => {
    upstream.respond = (request, res) => {
      if (request.url !== '/graphql') return false;
      res.writeHead(302, { location: `${upstream.url}-elsewhere` }).end();
      return true;
    };
    const result = await executeOperation(hello, {}, { ...deps, authorizer: countingAuthorizer() });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('302');
    expect(textOf(result)).toContain('redirects are not followed');
    expect(upstream.requests.map((r) => r.url)).toEqual(['/graphql']);
  });

  it('names the status and echoes neither the HTML page nor headers when the API answers 500 HTML', async () => {
    upstream.respond = (_request, res) => {
      res.writeHead(500, { 'content-type': 'text/html', 'x-internal': 'leak' }).end('<html><body>stack trace /srv/app</body></html>');
      return true;
    };
    const result = await executeOperation(hello, {}, deps);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('The GraphQL API answered with HTTP 500.');
  });

  it('times out after the API timeout when the API does not answer', async () => {
    upstream.respond = () => true; // never answers
    const started = performance.now();
    const result = await executeOperation(hello, {}, { ...deps, api: { ...deps.api, timeoutMs: 150 } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('timed out after 150 ms');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('times out when the API sends headers and then stalls the body', async () => {
    upstream.respond = (_request, res) => (res.writeHead(200, { 'content-type': 'application/json' }).write('{"data":'), true);
    const result = await executeOperation(hello, {}, { ...deps, api: { ...deps.api, timeoutMs: 150 } });
    expect(textOf(result)).toContain('timed out after 150 ms');
  });

  it('reports a cancellation without calling the API when the caller signal is already aborted', async () => {
    const result = await executeOperation(hello, {}, deps, AbortSignal.abort());
    expect(textOf(result)).toContain('cancelled');
    expect(upstream.requests).toHaveLength(0);
  });

  it('reports a cancellation when the caller aborts', async () => {
    upstream.respond = () => true;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await executeOperation(hello, {}, deps, controller.signal);
    expect(textOf(result)).toContain('cancelled');
  });

  it('stops reading and refuses the response when the body passes the size cap (H4)', async () => {
    let written = 0;
    let closed = false;
    upstream.respond = (_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.on('close', () => (closed = true));
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (!closed && written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
      return true;
    };
    const result = await executeOperation(hello, {}, { ...deps, maxResponseBytes: 256 * 1024 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('more than 262144 bytes');
    // The API sees the connection close once the app stopped reading; on a loaded machine that takes a moment.
    await expect.poll(() => closed).toBe(true);
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });

  it('refuses up front when Content-Length is over the cap', async () => {
    upstream.respond = (_request, res) => (res.writeHead(200, { 'content-length': '10000' }).end('x'.repeat(10000)), true);
    const result = await executeOperation(hello, {}, { ...deps, maxResponseBytes: 1000 });
    expect(textOf(result)).toContain('more than 1000 bytes');
  });

  it('refuses without calling the API when the arguments are nested too deeply to encode', async () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    const result = await executeOperation(hello, { name: deep }, deps);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('nested too deeply');
    expect(upstream.requests).toHaveLength(0);
  });

  it('names the origin when the connection is refused', async () => {
    const spare = createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const port = (spare.address() as AddressInfo).port;
    await new Promise((resolve) => spare.close(resolve));
    const result = await executeOperation(hello, {}, { ...deps, api: testApiConfig(`http://127.0.0.1:${port}/graphql`) });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(`The GraphQL API test could not be reached at http://127.0.0.1:${port}: connection refused.`);
  });
});

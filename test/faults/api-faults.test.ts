// Fault injection, APIs (issue 7; security cases F1, F2): an API that is down, slow past its timeout, answers 5xx HTML,
// cuts its body short or resets the connection mid-response. Each call ends in an `isError` result that says what
// happened, the app keeps serving, and the next call to a healthy API works.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/core/log/Logger.ts';
import { ToolRegistry } from '../../electron/core/ToolRegistry.ts';
import { makeApiConfig } from '../helpers/makeApiConfig.ts';
import { printFaultTable, recordOutcome } from './helpers/faultTable.ts';

type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;

const scratch = await mkdtemp(path.join(tmpdir(), 'faults-api-'));
let behaviour: Behaviour = () => {};
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => behaviour(req, res));
});
let registry: ToolRegistry;
const healthy: Behaviour = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"hello":"hi"}}');

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  await writeFile(path.join(scratch, 'schema.graphql'), 'type Query { hello: String }');
  await writeFile(path.join(scratch, 'Hello.graphql'), 'query Hello { hello }');
  const down = await closedPort();
  const api = (name: string, url: string) => makeApiConfig({
    name, toolPrefix: `${name}_`, endpoint: url, timeoutMs: 500, schema: { file: path.join(scratch, 'schema.graphql') }, operations: [{ path: scratch }],
  });
  registry = await ToolRegistry.create({ config: { server: { port: 0 }, apis: [api('up', endpoint), api('down', `http://127.0.0.1:${down}/graphql`)] }, authorizer: { tokenFor: async () => undefined }, logger: silentLogger });
});

afterAll(async () => {
  registry?.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(scratch, { recursive: true, force: true });
  printFaultTable('Fault injection: APIs');
});

/** A port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const textOf = (result: CallToolResult) => (result.content as { text: string }[]).map((item) => item.text).join('\n');

/** Calls the tool under `fault`, checks the result, then proves the app still serves a healthy call. */
async function expectFault(fault: string, tool: string, pattern: RegExp): Promise<void> {
  const result = await registry.callTool(tool, {});
  expect(result.isError).toBe(true);
  expect(textOf(result)).toMatch(pattern);
  behaviour = healthy;
  expect((await registry.callTool('up_Hello', {})).isError).toBeFalsy();
  recordOutcome(fault, `isError: ${textOf(result).slice(0, 150)}`);
}

describe('fault injection: APIs', () => {
  it('API down (connection refused): isError naming the API and "connection refused"', async () => {
    await expectFault('API down', 'down_Hello', /could not be reached at http:\/\/127\.0\.0\.1:\d+: connection refused/);
  });

  it('API slow past its timeout: isError "did not answer in time", no hang', async () => {
    behaviour = () => {}; // never answers
    await expectFault('API slow past the timeout', 'up_Hello', /did not answer in time: timed out after 500 ms/);
  });

  it('API answers 503 with an HTML page: isError naming the status, no HTML echoed', async () => {
    behaviour = (_req, res) => res.writeHead(503, { 'content-type': 'text/html' }).end('<html><body><h1>Service Unavailable</h1><script>x</script></body></html>');
    await expectFault('API 5xx HTML', 'up_Hello', /answered with HTTP 503\.$/);
  });

  it('API cuts its body short (Content-Length larger than what it sends): isError, no partial data', async () => {
    behaviour = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"data":{"hello":"h');
      setTimeout(() => req.socket.destroy(), 20);
    };
    await expectFault('API truncated body', 'up_Hello', /broke off the connection before its answer was complete \(\w+\); the operation may or may not have run/);
  });

  it('API resets the connection mid-response: isError, the app keeps serving', async () => {
    behaviour = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":{"hel');
      setTimeout(() => req.socket.resetAndDestroy(), 20);
    };
    await expectFault('API connection reset mid-response', 'up_Hello', /broke off the connection before its answer was complete \(\w+\)/);
  });
});

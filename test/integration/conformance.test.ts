import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpHttpServer } from '../../electron/core/mcp/serveMcp.ts';
import { startBearerProxy, type BearerProxy } from '../helpers/bearerProxy.ts';
import { startGraphqlServer, type TestGraphqlServer } from '../helpers/graphqlServer.ts';
import { serveTestMcp } from '../helpers/serveTestMcp.ts';
import { createTestCatalog } from '../helpers/testCatalog.ts';

// The official MCP conformance runner (devDependency), run as a child process with the project's Node.
const runner = fileURLToPath(new URL('../../node_modules/@modelcontextprotocol/conformance/dist/index.js', import.meta.url));

/**
 * Server scenarios that apply to a generic tools-only server. The others need features this server does not offer
 * (resources, prompts, logging, completion, sampling, elicitation) or test fixtures the suite expects a test server
 * to expose under fixed tool names (tools-call-*), so they cannot apply here.
 */
const scenarios = ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'];

interface ScenarioRun {
  code: number | null;
  output: string;
}

function runConformance(args: string[]): Promise<ScenarioRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [runner, ...args], { timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

function expectAllPassed(run: ScenarioRun): void {
  const summary = /Passed: (\d+)\/(\d+), (\d+) failed/.exec(run.output);
  expect(summary, run.output).not.toBeNull();
  const [, passed, total, failed] = summary!.map(Number);
  expect({ passed, failed, code: run.code }, run.output).toEqual({ passed: total, failed: 0, code: 0 });
  expect(total).toBeGreaterThan(0);
}

let upstream: TestGraphqlServer;
let mcp: McpHttpServer;
let proxy: BearerProxy;

beforeAll(async () => {
  upstream = await startGraphqlServer();
  const served = await serveTestMcp(createTestCatalog(upstream.url), { version: '1.0.0' });
  mcp = served.mcp;
  // The runner cannot send headers: a loopback proxy adds an approved client's key to each request.
  proxy = await startBearerProxy(mcp.url, served.token);
});
afterAll(async () => {
  await proxy.close();
  await mcp.close();
  await upstream.close();
});

describe('MCP conformance suite (with local authorization on)', () => {
  it.each(scenarios)('passes scenario %s when run against serveMcp through a key-adding proxy', async (scenario) => {
    expectAllPassed(await runConformance(['server', '--url', proxy.url, '--scenario', scenario]));
  });

  it('fails the scenarios without a key, since every request needs one', async () => {
    const run = await runConformance(['server', '--url', mcp.url, '--scenario', 'tools-list']);
    expect(run.code, run.output).not.toBe(0);
  });

  it("runs the installed suite's authorization scenarios for servers, when it has any", async () => {
    const listed = await runConformance(['list', '--server']);
    expect(listed.output).toContain('server-initialize');
    const authScenarios = [...listed.output.matchAll(/^\s*-\s*(\S*auth\S*)/gm)].map((match) => match[1]!);
    if (authScenarios.length === 0) {
      console.info('conformance: the installed suite has no authorization scenarios for servers (its auth/* scenarios test clients)');
      return;
    }
    for (const scenario of authScenarios) expectAllPassed(await runConformance(['server', '--url', mcp.url, '--scenario', scenario]));
  });
});

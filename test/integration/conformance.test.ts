import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveMcp, type McpHttpServer } from '../../electron/core/mcp/serveMcp.ts';
import { startGraphqlServer, type TestGraphqlServer } from '../helpers/graphqlServer.ts';
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

function runScenario(url: string, scenario: string): Promise<ScenarioRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [runner, 'server', '--url', url, '--scenario', scenario], { timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

let upstream: TestGraphqlServer;
let mcp: McpHttpServer;

beforeAll(async () => {
  upstream = await startGraphqlServer();
  mcp = await serveMcp({ catalog: createTestCatalog(upstream.url), version: '1.0.0', port: 0 });
});
afterAll(async () => {
  await mcp.close();
  await upstream.close();
});

describe('MCP conformance suite', () => {
  it.each(scenarios)('passes scenario %s when run against serveMcp', async (scenario) => {
    const run = await runScenario(mcp.url, scenario);
    const summary = /Passed: (\d+)\/(\d+), (\d+) failed/.exec(run.output);
    expect(summary, run.output).not.toBeNull();
    const [, passed, total, failed] = summary!.map(Number);
    expect({ passed, failed, code: run.code }, run.output).toEqual({ passed: total, failed: 0, code: 0 });
    expect(total).toBeGreaterThan(0);
  });
});

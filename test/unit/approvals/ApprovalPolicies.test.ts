import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApprovalPolicies, approvalPoliciesFile } from '../../../electron/core/approvals/ApprovalPolicies.ts';
import { parseConfig } from '../../../electron/core/config/parseConfig.ts';

let dataDir: string;
beforeEach(async () => { dataDir = await mkdtemp(path.join(tmpdir(), 'policies-')); });
afterEach(async () => { await rm(dataDir, { recursive: true, force: true }); });

const api = (name: string) => `  - name: ${name}\n    endpoint: http://127.0.0.1:4000/graphql\n    schema: { file: ./s.graphql }\n`;
const parse = (approvals: string) => parseConfig(`apis:\n${api('tasks')}${api('billing')}${approvals}`, { file: '/conf/config.yaml', env: {} });

describe('approvals in the config file', () => {
  it('reads a default and per-API overrides', () => {
    const { config, problems } = parse('approvals:\n  default: deny\n  apis: { tasks: allow }\n');
    expect(problems).toEqual([]);
    expect(config?.approvals).toEqual({ default: 'deny', apis: { tasks: 'allow' } });
  });

  it('refuses an unknown policy, an API that is not configured and an unknown key, each with its line', () => {
    const { config, problems } = parse('approvals:\n  default: maybe\n  apis: { shop: allow, billing: never }\n  defaults: ask\n');
    expect(config).toBeUndefined();
    expect(problems.map((problem) => [problem.key, problem.line])).toEqual([
      ['approvals.defaults', 11], ['approvals.default', 9], ['approvals.apis.shop', 10], ['approvals.apis.billing', 10],
    ]);
    expect(problems[2]!.message).toContain('"shop" is not an API');
  });
});

describe('ApprovalPolicies', () => {
  it('asks by default, follows the config per API, and a client policy set in the app wins and survives a restart', async () => {
    const file = approvalPoliciesFile(dataDir);
    const config = { default: 'ask' as const, apis: { billing: 'deny' as const } };
    const policies = await ApprovalPolicies.load(file, config);
    expect([policies.policyFor('c1', 'tasks'), policies.policyFor('c1', 'billing'), policies.policyFor('c1', '__proto__')]).toEqual(['ask', 'deny', 'ask']);
    await policies.set('c1', 'allow');
    const reloaded = await ApprovalPolicies.load(file, config);
    expect([reloaded.policyFor('c1', 'billing'), reloaded.policyOf('c1'), reloaded.policyOf('c2')]).toEqual(['allow', 'allow', 'ask']);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ version: 1, clients: { c1: 'allow' } });
  });

  it('falls back to the config when the saved file is not JSON or holds unknown policies', async () => {
    const file = approvalPoliciesFile(dataDir);
    await writeFile(file, '{ not json');
    expect((await ApprovalPolicies.load(file, undefined)).policyFor('c1', 'tasks')).toBe('ask');
    await writeFile(file, JSON.stringify({ version: 1, clients: { c1: 'always', c2: 'deny' } }));
    const policies = await ApprovalPolicies.load(file, { default: 'allow', apis: {} });
    expect([policies.policyFor('c1', 'tasks'), policies.policyFor('c2', 'tasks')]).toEqual(['allow', 'deny']);
  });
});

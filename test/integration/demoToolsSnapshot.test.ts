// The window's tests on the memory bridge use a copy of the demo's tools (test/e2e/helpers/demoTools.ts): this
// proves the copy is still what the core generates from operations/ and the demo schemas, so those tests never run
// against tools the app no longer has.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/core/log/Logger.ts';
import { memorySecretStore } from '../../electron/core/secrets/memorySecretStore.ts';
import { startCore, type CoreHandle } from '../../electron/core/startCore.ts';
import type { ToolView } from '../../electron/ipc/contract.ts';
import { generatedDemoTools } from '../e2e/helpers/demoTools.ts';

const home = mkdtempSync(path.join(os.tmpdir(), 'gmd-demo-tools-'));
let core: CoreHandle;
beforeAll(async () => {
  core = await startCore({ env: { HOME: home, XDG_CONFIG_HOME: home }, dataDir: path.join(home, 'data'), port: 0, watch: false, logger: silentLogger, secrets: memorySecretStore(), openExternal: async () => {} });
});
afterAll(async () => {
  await core?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('the memory bridge\'s copy of the demo tools', () => {
  it('equals the tools the core lists for the built-in demo (run this test with DUMP=<file> and paste it into test/e2e/helpers/demoTools.ts when this fails)', async () => {
    const listed = await core.bridge['tools:list']();
    expect(listed.ok).toBe(true);
    if (process.env.DUMP) (await import('node:fs')).writeFileSync(process.env.DUMP, JSON.stringify((listed as { ok: true; value: ToolView[] }).value, null, 2));
    const byName = (tools: ToolView[]) => [...tools].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName((listed as { ok: true; value: ToolView[] }).value)).toEqual(byName(generatedDemoTools));
  });
});

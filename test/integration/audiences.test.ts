import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoResources } from '../../electron/core/demo/startDemo.ts';
import { silentLogger } from '../../electron/core/log/Logger.ts';
import { memorySecretStore } from '../../electron/core/secrets/memorySecretStore.ts';
import { startCore, type CoreHandle } from '../../electron/core/startCore.ts';
import type { AudienceView } from '../../electron/ipc/contract.ts';
import { waitForState } from '../helpers/authHarness.ts';
import { loginOverHttp } from '../helpers/loginOverHttp.ts';

const home = mkdtempSync(path.join(os.tmpdir(), 'gmd-audiences-'));
let core: CoreHandle;
beforeAll(async () => {
  core = await startCore({ env: { HOME: home, XDG_CONFIG_HOME: home }, dataDir: path.join(home, 'data'), port: 0, watch: false, logger: silentLogger, secrets: memorySecretStore(), openExternal: async () => {} });
});
afterAll(async () => { await core?.close(); rmSync(home, { recursive: true, force: true }); });

const audiences = async () => ((await core.bridge['audiences:list']()) as { ok: true; value: AudienceView[] }).value;

describe('audiences:list on the built-in demo', () => {
  it('before sign-in: each API with its strategy and expected audience, and no token yet', async () => {
    expect((await audiences()).map(({ api, strategy, expectedAudience, state }) => ({ api, strategy, expectedAudience, state }))).toEqual([
      { api: 'tasks', strategy: 'exchange', expectedAudience: demoResources.tasks, state: 'no-token' },
      { api: 'directory', strategy: 'passthrough', expectedAudience: demoResources.directory, state: 'no-token' },
    ]);
  });

  it("after sign-in: the actual audience of the token each API would get, the demo's mismatch with its fix, and never a token", async () => {
    const { authorizationUrl } = await core.auth.signIn();
    await loginOverHttp(authorizationUrl, 'alice', { follow: true });
    await waitForState(core.auth, 'signed-in');
    const [tasks, directory] = await audiences();
    expect(tasks).toMatchObject({ api: 'tasks', state: 'ok', actualAudience: [demoResources.tasks] });
    expect(directory).toMatchObject({ api: 'directory', state: 'mismatch', actualAudience: ['urn:graphql-mcp-desktop:app'], warnings: expect.arrayContaining([expect.objectContaining({ code: 'audience-mismatch', fix: expect.any(String) })]) });
    expect(directory!.actualAudience).not.toContain(demoResources.directory);
    expect(JSON.stringify([tasks, directory])).not.toMatch(/eyJ[\w-]+\./);
  });
});

// Sign-in with the real OS keychain (keytar → Secret Service). Run through scripts/with-keychain.sh (npm test does);
// without a usable keychain these tests are skipped with the reason printed. Cases E1–E5 (issue 3: E46–E50).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../electron/core/auth/createAuth.ts';
import { grantAccount } from '../../electron/core/auth/grantStore.ts';
import type { DemoIdp } from '../../electron/core/demo/demoIdp.ts';
import { silentLogger } from '../../electron/core/log/Logger.ts';
import { keytarSecretStore } from '../../electron/core/secrets/keytarSecretStore.ts';
import { apiConfig, appConfig, browserSigningInAs, startIdp, waitForState } from '../helpers/authHarness.ts';
import { deleteKeychainItem, keychainAccounts, keychainSkipReason, readKeychainItem, writeKeychainItem } from '../helpers/keychain.ts';

const skip = await keychainSkipReason();
const service = `dev.graphql-mcp-desktop.test-auth-${process.pid}`;
const billingAud = 'https://billing.example';
let idp: DemoIdp;

beforeAll(async () => {
  idp = await startIdp([billingAud]);
});
afterAll(async () => idp?.close());
afterEach(async () => {
  if (skip) return;
  for (const account of await keychainAccounts(service)) await deleteKeychainItem(service, account);
});

function setup(name = 'alice') {
  const apis = [apiConfig('billing', 'resource', billingAud, 'http://127.0.0.1:9/graphql')];
  const secrets = keytarSecretStore({ service, timeoutMs: 3000 });
  const auth = createAuth({ config: appConfig(idp, apis), secrets, openExternal: browserSigningInAs(name), logger: silentLogger });
  return { auth, apis, account: grantAccount({ issuer: idp.issuer, clientId: idp.clientId }) };
}

describe.skipIf(skip)('createAuth with the OS keychain', () => {
  it('keeps the grant in the keychain under issuer|clientId, rotates it, and restores from it', async () => {
    const { auth, apis, account } = setup();
    await auth.signIn();
    await waitForState(auth, 'signed-in');
    expect(await keychainAccounts(service)).toEqual([account]);
    const first = JSON.parse((await readKeychainItem(service, account))!) as { refreshToken: string; issuer: string };
    expect(first.issuer).toBe(idp.issuer);
    await auth.authorizer.tokenFor(apis[0]!); // a resource refresh rotates the refresh token
    const second = JSON.parse((await readKeychainItem(service, account))!) as { refreshToken: string };
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const restarted = setup().auth;
    await restarted.restore();
    expect(restarted.state()).toEqual({ status: 'signed-in', sub: 'alice', issuer: idp.issuer });
  });

  it.each([
    ['not JSON', () => 'a-plain-refresh-token', /not valid JSON/],
    ['another issuer', () => JSON.stringify({ issuer: 'https://evil.example', clientId: idp.clientId, refreshToken: 'x', scope: '', resources: [], sub: 'm', savedAt: 1 }), /another issuer/],
    ['another client', () => JSON.stringify({ issuer: idp.issuer, clientId: 'other', refreshToken: 'x', scope: '', resources: [], sub: 'm', savedAt: 1 }), /another client/],
  ])('E3: discards a %s entry with a reason, deletes it and never sends it', async (_name, value, reason) => {
    const { auth, account } = setup();
    await writeKeychainItem(service, account, value());
    const before = idp.stats();
    await auth.restore();
    expect(auth.state()).toMatchObject({ status: 'signed-out', reason: expect.stringMatching(reason) });
    expect(await readKeychainItem(service, account)).toBeNull();
    expect(idp.stats()).toEqual(before);
  });

  it("E4: another app's item under the same service and another account is left alone", async () => {
    await writeKeychainItem(service, 'someone-else', 'their secret');
    const { auth } = setup();
    await auth.signIn();
    await waitForState(auth, 'signed-in');
    await auth.signOut();
    expect(await readKeychainItem(service, 'someone-else')).toBe('their secret');
  });

  it('E5: sign-out revokes the refresh token at the IdP and deletes the item; a second sign-out is fine', async () => {
    const { auth } = setup();
    await auth.signIn();
    await waitForState(auth, 'signed-in');
    const revocations = idp.stats().revocations;
    await auth.signOut();
    expect(idp.stats().revocations).toBe(revocations + 1);
    expect(await keychainAccounts(service)).toEqual([]);
    await auth.signOut();
    expect(auth.state()).toEqual({ status: 'signed-out' });
  });
});

// E1 needs a process without a D-Bus session: libsecret keeps its connection once made, so this one runs in a child.
const childScript = `
import { createAuth } from ${JSON.stringify(new URL('../../electron/core/auth/createAuth.ts', import.meta.url).href)};
import { keytarSecretStore } from ${JSON.stringify(new URL('../../electron/core/secrets/keytarSecretStore.ts', import.meta.url).href)};
import { loginOverHttp } from ${JSON.stringify(new URL('../helpers/loginOverHttp.ts', import.meta.url).href)};
const config = JSON.parse(process.env.AUTH_CONFIG);
const auth = createAuth({ config, secrets: keytarSecretStore({ timeoutMs: 3000 }), logger: { debug() {}, info() {}, warn() {}, error() {} },
  openExternal: async (url) => void loginOverHttp(url, 'alice', { follow: true }) });
await auth.restore();
const restored = auth.state();
const refusal = await auth.authorizer.tokenFor(config.apis[0]).then(() => 'sent', (error) => error.message);
await auth.signIn();
const after = await new Promise((resolve) => auth.onChange((state) => state.status !== 'signing-in' && resolve(state)));
console.log(JSON.stringify({ restored, refusal, after }));
`;

describe('createAuth without a keychain', () => {
  it('E1/E2: no D-Bus → "keychain unavailable", calls need sign-in, a sign-in is revoked rather than kept', async () => {
    const config = appConfig(idp, [apiConfig('billing', 'resource', billingAud, 'http://127.0.0.1:9/graphql')]);
    const { DBUS_SESSION_BUS_ADDRESS: _bus, DISPLAY: _display, ...rest } = process.env;
    const env = { ...rest, AUTH_CONFIG: JSON.stringify(config) };
    const revocations = idp.stats().revocations;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', childScript], { env, timeout: 20_000 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, { status: string; reason: string }>;
    expect(result.restored).toMatchObject({ status: 'keychain-unavailable', reason: expect.stringMatching(/D-Bus/) });
    expect(result.refusal).toMatch(/keychain is unavailable/);
    expect(result.after).toMatchObject({ status: 'keychain-unavailable' });
    expect(idp.stats().revocations).toBe(revocations + 1);
  });

  it('E2: a keychain call that never settles times out into "keychain unavailable" and the app keeps running', async () => {
    const never = new Promise<never>(() => {});
    const hanging = { getPassword: () => never, setPassword: () => never, deletePassword: () => never };
    const auth = createAuth({
      config: appConfig(idp, []), secrets: keytarSecretStore({ keytar: hanging, timeoutMs: 200 }), openExternal: async () => {}, logger: silentLogger,
    });
    await auth.restore();
    expect(auth.state()).toMatchObject({ status: 'keychain-unavailable', reason: expect.stringMatching(/no answer within 200 ms/) });
    await auth.signOut();
    expect(auth.state().status).toBe('keychain-unavailable');
  });
});

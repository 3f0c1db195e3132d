// https://github.com/graphql-mcp-desktop/graphql-mcp-desktop/issues/7 items 3 and 7: shutdown during a pending sign-in
// keeps nothing, a sign-in can be cancelled and started again from the window, and a `logout` run by another process
// signs the running app out before its next call.
import { afterEach, describe, expect, it } from 'vitest';
import { createAuth, type CreateAuthOptions } from '../../electron/core/auth/createAuth.ts';
import { createCoreBridge } from '../../electron/core/createCoreBridge.ts';
import { silentLogger } from '../../electron/core/log/Logger.ts';
import type { McpHttpServer } from '../../electron/core/mcp/serveMcp.ts';
import type { ToolRegistry } from '../../electron/core/ToolRegistry.ts';
import { loginOverHttp } from '../helpers/loginOverHttp.ts';
import { apiConfig, appConfig, browserSigningInAs, callApi, mapSecretStore, startIdp, startRecordingUpstream, waitForState } from '../helpers/authHarness.ts';

const ordersAud = 'https://orders.example';
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function started(options: Partial<CreateAuthOptions> = {}) {
  const idp = await startIdp([ordersAud]);
  cleanup.push(() => idp.close());
  const upstream = await startRecordingUpstream(idp, ordersAud);
  cleanup.push(() => upstream.close());
  const api = apiConfig('orders', 'exchange', ordersAud, upstream.url);
  const config = appConfig(idp, [api]);
  const secrets = mapSecretStore();
  const opened: string[] = [];
  const make = (extra: Partial<CreateAuthOptions> = {}) => {
    const auth = createAuth({ config, secrets, openExternal: async (url) => void opened.push(url), logger: silentLogger, ...options, ...extra });
    cleanup.push(() => auth.close());
    return auth;
  };
  return { idp, api, secrets, opened, auth: make(), make };
}

const refused = (url: string) => fetch(new URL(url).searchParams.get('redirect_uri')!).then(() => false, () => true);

describe('issue 7: shutdown and cancel during a pending sign-in', () => {
  it('close() during a pending sign-in closes the callback listener, and the browser coming back saves no grant', async () => {
    const { idp, auth, secrets } = await started();
    const { authorizationUrl } = await auth.signIn();
    auth.close();
    expect(await refused(authorizationUrl)).toBe(true);
    await loginOverHttp(authorizationUrl, 'alice', { follow: true }).catch(() => {});
    expect(secrets.entries.size).toBe(0);
    expect(idp.stats().authorizationCode).toBe(0);
    expect(auth.state().status).toBe('signed-out');
    await expect(auth.signIn()).rejects.toMatchObject({ code: 'AUTH_SIGN_IN_CANCELLED' });
  });

  it('close() while the browser is being opened stops that sign-in too', async () => {
    let opening: () => void = () => {};
    const atBrowser = new Promise<void>((resolve) => (opening = resolve));
    let closeNow: () => void = () => {};
    const { auth, opened } = await started({
      openExternal: async (url) => {
        opened.push(url);
        opening();
        await new Promise<void>((resolve) => (closeNow = resolve));
      },
    });
    const signingIn = auth.signIn();
    await atBrowser;
    auth.close();
    closeNow();
    await expect(signingIn).rejects.toMatchObject({ code: 'AUTH_SIGN_IN_CANCELLED' });
    expect(await refused(opened[0]!)).toBe(true);
  });

  it('the signing-in state carries the sign-in URL, and the window receives it whole (not scrubbed)', async () => {
    const { auth } = await started();
    const { authorizationUrl } = await auth.signIn();
    expect(auth.state()).toEqual({ status: 'signing-in', url: authorizationUrl });
    const bridge = createCoreBridge({ registry: { describeTools: () => [], onToolsChanged: () => () => {}, onProblemsChanged: () => () => {} } as unknown as ToolRegistry, mcp: { url: 'x' } as McpHttpServer, auth, mode: 'config', version: 't', problems: () => [] });
    expect(await bridge['auth:status']()).toEqual({ ok: true, value: { state: 'signing-in', url: authorizationUrl } });
    expect(await bridge['auth:cancel']()).toEqual({ ok: true, value: undefined });
    expect(auth.state()).toEqual({ status: 'signed-out', reason: 'sign-in cancelled' });
  });

  it('cancelSignIn() abandons the sign-in, and a second sign-in from the window then completes', async () => {
    const { auth, secrets } = await started({ openExternal: browserSigningInAs('bob') });
    const first = await auth.signIn();
    // A browser page left open by the first attempt cannot complete after the cancel.
    auth.cancelSignIn();
    expect(await refused(first.authorizationUrl)).toBe(true);
    await auth.signIn();
    expect(await waitForState(auth, 'signed-in')).toMatchObject({ sub: 'bob' });
    expect(secrets.entries.size).toBe(1);
  });

  it('cancelSignIn() while signed in keeps the existing sign-in', async () => {
    const { auth } = await started({ openExternal: browserSigningInAs('carol') });
    await auth.signIn();
    await waitForState(auth, 'signed-in');
    await auth.signIn();
    auth.cancelSignIn();
    expect(auth.state()).toMatchObject({ status: 'signed-in', sub: 'carol' });
  });
});

describe('issue 7: a logout run by another process', () => {
  it('signs the running app out before its next API call, which is refused', async () => {
    const { auth, api, make } = await started({ openExternal: browserSigningInAs('dave') });
    await auth.signIn();
    await waitForState(auth, 'signed-in');
    expect((await callApi(auth, api)).isError).toBeFalsy();
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the once-a-second limit on call-time checks
    await make().signOut(); // what `npm start -- logout` does, on the same keychain
    const result = await callApi(auth, api);
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/Sign-in required/);
    expect(auth.state()).toEqual({ status: 'signed-out', reason: 'signed out from another process' });
  });

  it('notices it on its periodic check too, without any call, so the window updates', async () => {
    const { auth, make } = await started({ openExternal: browserSigningInAs('erin'), grantCheckIntervalMs: 100 });
    await auth.signIn();
    await waitForState(auth, 'signed-in');
    await make().signOut();
    expect(await waitForState(auth, 'signed-out')).toEqual({ status: 'signed-out', reason: 'signed out from another process' });
  });

  it('stays signed in when the keychain cannot be read for a moment (locked), and checks again later', async () => {
    const { auth, api, secrets } = await started({ openExternal: browserSigningInAs('fay'), grantCheckIntervalMs: 100 });
    await auth.signIn();
    await waitForState(auth, 'signed-in');
    // Counted, so the check below runs after the periodic check has met the locked keychain (a fixed 300 ms wait
    // could end before any check ran on a loaded machine and pass without testing anything).
    let lockedReads = 0;
    const read = secrets.get;
    secrets.get = (account) => ((lockedReads += secrets.fail ? 1 : 0), read(account));
    secrets.fail = new Error('locked');
    await expect.poll(() => lockedReads, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(auth.state().status).toBe('signed-in');
    secrets.get = read;
    secrets.fail = undefined;
    expect((await callApi(auth, api)).isError).toBeFalsy();
  });
});

describe('issue 7: the grant check never holds a call up for long', () => {
  it('a keychain read that hangs delays a call only briefly; the call goes through and the app stays signed in', async () => {
    const { auth, api, secrets } = await started({ openExternal: browserSigningInAs('gus') });
    await auth.signIn();
    await waitForState(auth, 'signed-in');
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // a call-time check is due
    const hanging = secrets.get;
    secrets.get = () => new Promise(() => {}); // a keychain prompt nobody answers
    expect((await callApi(auth, api)).isError).toBeFalsy();
    expect(auth.state()).toMatchObject({ status: 'signed-in' });
    secrets.get = hanging;
  });
});

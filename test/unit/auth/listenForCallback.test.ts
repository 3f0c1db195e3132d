import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listenForCallback } from '../../../electron/core/auth/listenForCallback.ts';
import { AppError } from '../../../electron/core/errors.ts';

function start(timeoutMs = 5_000) {
  const received: URL[] = [];
  const listener = listenForCallback({
    expectedState: 'st-1',
    timeoutMs,
    onCallback: async (url) => {
      received.push(url);
      return url.searchParams.has('code') ? 'signed-in' : 'failed';
    },
  });
  return { listener, received };
}

describe('listenForCallback', () => {
  it('listens on an ephemeral 127.0.0.1 port at exactly /callback', async () => {
    const { listener } = start();
    const { redirectUri, close } = await listener;
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(redirectUri).not.toMatch(/:0\//);
    close();
  });

  it('answers 404 to other paths and 405 to other methods without ending the wait (D8)', async () => {
    const { listener, received } = start();
    const { redirectUri, close } = await listener;
    const base = new URL(redirectUri);
    expect((await fetch(new URL('/callbackx?state=st-1&code=c', base))).status).toBe(404);
    expect((await fetch(new URL('/', base))).status).toBe(404);
    expect((await fetch(`${redirectUri}?state=st-1&code=c`, { method: 'POST' })).status).toBe(405);
    expect(received).toEqual([]);
    close();
  });

  it('ignores a callback without the expected state (D1) and takes one callback only (D7)', async () => {
    const { listener, received } = start();
    const { redirectUri, done } = await listener;
    expect((await fetch(`${redirectUri}?state=wrong&code=c`)).status).toBe(400);
    expect((await fetch(`${redirectUri}?code=c`)).status).toBe(400);
    const ok = await fetch(`${redirectUri}?state=st-1&code=c&iss=x`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Signed in');
    await done;
    expect(received).toHaveLength(1);
    expect(received[0]!.searchParams.get('code')).toBe('c');
    await expect(fetch(`${redirectUri}?state=st-1&code=c`)).rejects.toThrow();
  });

  it('shows a static page for an error callback that reflects nothing (D6)', async () => {
    const { listener } = start();
    const { redirectUri } = await listener;
    const evil = '<script>alert(1)</script>';
    const res = await fetch(`${redirectUri}?state=st-1&error=access_denied&error_description=${encodeURIComponent(evil)}`);
    const body = await res.text();
    expect(body).toContain('did not complete');
    expect(body).not.toContain('script');
    expect(body).not.toContain('access_denied');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'");
  });

  it('closes and rejects with AUTH_SIGN_IN_CANCELLED after the timeout (D8, D12)', async () => {
    const { listener } = start(50);
    const { redirectUri, done } = await listener;
    await expect(done).rejects.toSatisfy((error) => AppError.is(error, 'AUTH_SIGN_IN_CANCELLED'));
    await expect(fetch(`${redirectUri}?state=st-1&code=c`)).rejects.toThrow();
  });
});

/** Opens a connection that sends part of a request's headers and then nothing; resolves with what came back once it is closed. */
function slowHeaders(redirectUri: string): Promise<string> {
  const { port } = new URL(redirectUri);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write('GET /callback?state=st-1 HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('listenForCallback, slow connections (issue 7, item 8)', () => {
  it('closes a connection that never finishes its headers once the headers timeout passes, and still takes the callback', async () => {
    const { redirectUri, done, close } = await listenForCallback({
      expectedState: 'st-1', headersTimeoutMs: 300, requestTimeoutMs: 600, onCallback: async () => 'signed-in',
    });
    expect(await slowHeaders(redirectUri)).toMatch(/^HTTP\/1\.1 408|^$/);
    expect((await fetch(`${redirectUri}?state=st-1&code=c`)).status).toBe(200);
    await done;
    close();
  });

  it('uses the same 10 s headers timeout as the other listeners by default, not Node\'s ~66 s', { timeout: 25_000 }, async () => {
    const { redirectUri, close } = await listenForCallback({ expectedState: 'st-1', onCallback: async () => 'signed-in' });
    // The test's 25 s timeout is the check: with Node's defaults this connection stays open for about a minute.
    expect(await slowHeaders(redirectUri)).toMatch(/^HTTP\/1\.1 408|^$/);
    close();
  });
});

import { withAllChannels } from '../../../electron/core/createCoreBridge.ts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CoreBridge, MainEventListener } from '../../../electron/ipc/contract.ts';
import { AppError } from '../../../electron/core/errors.ts';
import { serveUi, type UiServer } from '../../../electron/core/ui/serveUi.ts';

let rendererDir: string;
let ui: UiServer | undefined;

beforeAll(async () => {
  rendererDir = await mkdtemp(path.join(tmpdir(), 'gmd-ui-'));
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  return () => rm(rendererDir, { recursive: true, force: true });
});

afterEach(async () => {
  await ui?.close();
  ui = undefined;
});

/** A bridge whose channels answer fixed values, with one that throws a secret-bearing error and one an AppError. */
function createTestBridge() {
  const listeners = new Set<MainEventListener>();
  const bridge: CoreBridge = {
    ...withAllChannels({}),
    'app:status': async () => ({ ok: true, value: { endpoint: 'http://127.0.0.1:1/mcp', mode: 'demo', version: '0.0.0' } }),
    'tools:list': async () => {
      throw new Error('upstream said Bearer eyJhbGciOi.secret.token');
    },
    'problems:list': async () => ({ ok: true, value: [] }),
    'auth:status': async () => ({ ok: true, value: { state: 'signed-out' } }),
    'auth:signIn': async () => {
      throw new AppError('AUTH_SIGN_IN_FAILED', 'Sign-in failed: the IdP refused the client');
    },
    'auth:signOut': async () => ({ ok: true, value: undefined }),
    'warnings:list': async () => ({ ok: true, value: [] }),
    'clients:list': async () => ({ ok: true, value: [] }),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { bridge, listeners };
}

async function start(bridge: CoreBridge = createTestBridge().bridge): Promise<{ ui: UiServer; auth: Record<string, string> }> {
  ui = await serveUi({ bridge, rendererDir });
  return { ui, auth: { Authorization: `Bearer ${new URL(ui.url).searchParams.get('token')}` } };
}

function call(server: UiServer, channel: string, init: { headers?: Record<string, string>; body?: string; method?: string } = {}) {
  return fetch(`${server.origin}/api/${channel}`, {
    method: init.method ?? 'POST',
    headers: { 'Content-Type': 'application/json', ...init.headers },
    body: init.body ?? (init.method === 'GET' ? undefined : '[]'),
  });
}

describe('serveUi', () => {
  it('prints a launch URL on 127.0.0.1 with a fresh random token each time', async () => {
    const first = await start();
    const firstToken = new URL(first.ui.url).searchParams.get('token');
    await first.ui.close();
    const second = await start();
    expect(second.ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ui\/\?token=[A-Za-z0-9_-]{43}$/);
    expect(new URL(second.ui.url).searchParams.get('token')).not.toBe(firstToken);
  });

  it('serves the renderer with the CSP and anti-framing headers, and redirects /ui keeping the query', async () => {
    const { ui } = await start();
    const page = await fetch(`${ui.origin}/ui/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const redirect = await fetch(`${ui.origin}/ui?token=abc`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/ui/?token=abc');
  });

  it('answers a channel with its Result', async () => {
    const { ui, auth } = await start();
    const response = await call(ui, 'app:status', { headers: auth });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, value: { endpoint: 'http://127.0.0.1:1/mcp', mode: 'demo', version: '0.0.0' } });
  });

  it('turns a throw into a Result without leaking the error text, and keeps an AppError code and message', async () => {
    const { ui, auth } = await start();
    const leaked = await (await call(ui, 'tools:list', { headers: auth })).text();
    expect(JSON.parse(leaked)).toEqual({ ok: false, error: { code: 'UI_REQUEST_FAILED', message: 'The window could not reach the app' } });
    expect(leaked).not.toContain('eyJ');
    expect(await (await call(ui, 'auth:signIn', { headers: auth })).json()).toEqual({
      ok: false,
      error: { code: 'AUTH_SIGN_IN_FAILED', message: 'Sign-in failed: the IdP refused the client' },
    });
  });

  it('refuses unknown channels, prototype keys, wrong methods, content types and bodies', async () => {
    const { ui, auth } = await start();
    expect((await call(ui, 'tools:delete', { headers: auth })).status).toBe(404);
    expect((await call(ui, '__proto__', { headers: auth })).status).toBe(404);
    expect((await call(ui, 'toString', { headers: auth })).status).toBe(404);
    expect((await call(ui, 'tools:list', { headers: auth, method: 'GET' })).status).toBe(405);
    expect((await call(ui, 'app:status', { headers: { ...auth, 'Content-Type': 'text/plain' } })).status).toBe(415);
    expect((await call(ui, 'app:status', { headers: auth, body: '{nope' })).status).toBe(400);
    expect((await call(ui, 'app:status', { headers: auth, body: '{"a":1}' })).status).toBe(400);
    expect((await call(ui, 'app:status', { headers: auth, body: `[${'"x",'.repeat(20_000)}"x"]` })).status).toBe(413);
  });

  it('answers 401 with WWW-Authenticate without the token, and 403 for a foreign Origin or Host', async () => {
    const { ui, auth } = await start();
    const missing = await call(ui, 'app:status');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect((await call(ui, 'app:status', { headers: { ...auth, Origin: 'http://evil.example' } })).status).toBe(403);
    expect(await statusWithHost(ui, 'evil.example', '/ui/')).toBe(403);
    expect(await statusWithHost(ui, `localhost:${new URL(ui.origin).port}`, '/ui/')).toBe(200);
  });

  it('streams events to a subscriber and unsubscribes when the stream closes', async () => {
    const { bridge, listeners } = createTestBridge();
    const { ui, auth } = await start(bridge);
    const controller = new AbortController();
    const response = await fetch(`${ui.origin}/api/events`, { headers: auth, signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    await expect.poll(() => listeners.size).toBe(1);
    for (const listener of listeners) listener('auth:changed', { state: 'signed-in', sub: 'alice' });
    let text = '';
    while (!text.includes('\n\nevent: auth:changed')) text += (await reader.read()).value ?? '';
    expect(text).toContain('data: {"state":"signed-in","sub":"alice"}\n\n');
    controller.abort();
    await expect.poll(() => listeners.size).toBe(0);
  });

  it('ends open event streams on close, even when an event arrives while closing', async () => {
    const { bridge, listeners } = createTestBridge();
    const { ui, auth } = await start(bridge);
    const response = await fetch(`${ui.origin}/api/events`, { headers: auth });
    const reader = response.body!.getReader();
    await reader.read();
    const closing = ui.close();
    for (const listener of listeners) listener('tools:changed', []);
    await closing;
    const rest = await reader.read().catch(() => ({ done: true }));
    expect(rest.done).toBe(true);
  });
});

/** fetch cannot forge Host, so this goes through node:http. */
function statusWithHost(server: UiServer, host: string, pathname: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: new URL(server.origin).port, path: pathname, headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

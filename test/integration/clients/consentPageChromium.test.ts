import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright';
import { afterEach, describe, expect, it } from 'vitest';
import { nextPendingRequest, startAuthorityServer, type AuthorityServer } from '../../helpers/clients/authorityHarness.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startCallbackListener(): Promise<{ url: string; received: string[] }> {
  const received: string[] = [];
  const server = createServer((req, res) => { received.push(req.url ?? ''); res.end('back in the client'); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`, received };
}

async function authorizationUrl(server: AuthorityServer, redirectUri: string): Promise<string> {
  const registration = await fetch(`${server.origin}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'Browser <b>client</b>', redirect_uris: ['http://127.0.0.1/cb'] }) });
  const { client_id: clientId } = await registration.json() as { client_id: string };
  const url = new URL(`${server.origin}/authorize`);
  const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
  for (const [key, value] of Object.entries({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', resource: server.mcpUrl, state: 's' })) url.searchParams.set(key, value);
  return url.href;
}

describe.skipIf(!existsSync(chromiumPath))(`the consent page in Chromium (${chromiumPath})`, () => {
  it('J6: shows the request as text, runs under its CSP, and continues to the client by itself once the app decides', async () => {
    const server = await startAuthorityServer();
    cleanups.push(() => server.close());
    const callback = await startCallbackListener();
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
    cleanups.push(() => browser.close());
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => violations.push(message.text()));
    await page.goto(await authorizationUrl(server, callback.url));
    await expect.poll(() => page.locator('td').first().textContent()).toBe('Browser <b>client</b>');
    expect(await page.locator('form, button, input, a').count()).toBe(0);
    const request = await nextPendingRequest(server.authority);
    await server.authority.bridgePart['clients:decide']!(request.requestId, 'allow-read');
    await page.waitForURL(/\/cb\?/);
    expect(new URL(page.url()).searchParams.get('code')).toBeTruthy();
    // Chromium also asks the client's origin for /favicon.ico; the code itself must arrive exactly once.
    expect(callback.received.filter((url) => url.startsWith('/cb?'))).toHaveLength(1);
    expect(violations).toEqual([]);
  });
});

if (!existsSync(chromiumPath)) console.log(`consent page browser test skipped: no Chromium at ${chromiumPath} (set CHROMIUM_PATH)`);

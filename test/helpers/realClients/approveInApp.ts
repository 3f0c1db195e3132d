import type { ClientDecision, MainApi, PendingClientView } from '../../../electron/ipc/contract.ts';
import { TestBrowser, waitUntilDecided } from '../clients/authorityHarness.ts';

/** The two channels of the window's contract that decide a client's request (the core's bridge, or the authority's part). */
export type DecisionChannels = Pick<MainApi, 'clients:pending' | 'clients:decide'>;

export interface Approval {
  /** The request as the window showed it. */
  request: PendingClientView;
  /** The client's redirect URI with the code (or error), which the "browser" then opened. */
  redirectedTo: URL;
  /** What the client's loopback listener answered. */
  callbackStatus: number;
}

/**
 * Plays the user for a real client's authorization URL: a browser opens it and waits on the app's page, the user
 * decides through the window's contract (`clients:pending`, `clients:decide`), and the browser follows the redirect
 * to the client's own loopback listener, which finishes the client's login.
 */
export async function approveInApp(window: DecisionChannels, authorizationUrl: string, decision: ClientDecision): Promise<Approval> {
  const origin = new URL(authorizationUrl).origin;
  const redirectUri = new URL(authorizationUrl).searchParams.get('redirect_uri');
  const browser = new TestBrowser();
  const page = await browser.follow(authorizationUrl, origin);
  await page.response.text();
  if (!new URL(page.url).pathname.startsWith('/consent/')) throw new Error(`expected the app's waiting page, got ${page.url} (${page.response.status})`);
  const request = await pendingFor(window, redirectUri);
  const decided = await window['clients:decide'](request.requestId, decision);
  if (!decided.ok) throw new Error(decided.error.message);
  return { request, ...(await continueToClient(browser, page.url, origin)) };
}

/**
 * A browser opens the authorization URL of a client the app answers without asking the user (one just denied):
 * the app sends it on to the client's redirect URI, through its waiting page only if that was still shown.
 */
export async function followDecidedRequest(authorizationUrl: string): Promise<Omit<Approval, 'request'>> {
  const origin = new URL(authorizationUrl).origin;
  const browser = new TestBrowser();
  const page = await browser.follow(authorizationUrl, origin);
  await page.response.text();
  if (new URL(page.url).pathname.startsWith('/consent/')) return continueToClient(browser, page.url, origin);
  const callback = await fetch(page.url);
  await callback.text();
  return { redirectedTo: new URL(page.url), callbackStatus: callback.status };
}

async function continueToClient(browser: TestBrowser, pageUrl: string, origin: string): Promise<Omit<Approval, 'request'>> {
  await waitUntilDecided(`${pageUrl}/status`);
  const last = await browser.follow(`${pageUrl}/continue`, origin);
  const callback = await fetch(last.url);
  await callback.text();
  return { redirectedTo: new URL(last.url), callbackStatus: callback.status };
}

async function pendingFor(window: DecisionChannels, redirectUri: string | null): Promise<PendingClientView> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const pending = await window['clients:pending']();
    const request = pending.ok ? pending.value.find((candidate) => candidate.redirectUri === redirectUri) : undefined;
    if (request) return request;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no pending request for ${redirectUri}`);
}

export interface LoginOverHttpOptions {
  /** GET the final redirect (the app's loopback callback) too, as a browser would. Default false. */
  follow?: boolean;
  /** Press "Cancel" on the login page instead (the IdP then redirects with error=access_denied). */
  cancel?: boolean;
  /** A cookie jar to reuse across sign-ins, like a browser that is still signed in at the IdP. */
  cookies?: Map<string, string>;
  /** Sees the HTML of every IdP page before the form on it is submitted. */
  onPage?: (html: string) => void;
}

const maxSteps = 12;

/**
 * Signs in at the demo IdP as `name` the way a browser would, over plain HTTP with a small cookie jar, and returns
 * the URL the IdP finally redirects to (normally `http://127.0.0.1:PORT/callback?code=…&state=…&iss=…`).
 * The redirect is not followed unless `options.follow` is set: the caller decides who receives the code.
 */
export async function loginOverHttp(authorizationUrl: string, name = 'alice', options: LoginOverHttpOptions = {}): Promise<string> {
  const idpOrigin = new URL(authorizationUrl).origin;
  const jar = options.cookies ?? new Map<string, string>();
  let response = await send(jar, authorizationUrl);
  for (let step = 0; step < maxSteps; step += 1) {
    const location = response.headers.get('location');
    if (location !== null) {
      const next = new URL(location, response.url || authorizationUrl).href;
      if (new URL(next).origin !== idpOrigin) return finish(next, options);
      response = await send(jar, next);
    } else if (response.status === 200 && new URL(response.url).pathname.startsWith('/interaction/')) {
      options.onPage?.(await response.text());
      response = await send(jar, response.url, formFor(name, options));
    } else {
      throw new Error(`demo IdP answered ${response.status} at ${new URL(response.url).pathname}: ${await response.text()}`);
    }
  }
  throw new Error('demo IdP sign-in did not finish: too many steps');
}

async function finish(url: string, options: LoginOverHttpOptions): Promise<string> {
  if (options.follow) {
    const callback = await fetch(url, { redirect: 'manual' });
    await callback.text();
  }
  return url;
}

function formFor(name: string, options: LoginOverHttpOptions): URLSearchParams {
  return options.cancel ? new URLSearchParams({ action: 'cancel' }) : new URLSearchParams({ login: name });
}

async function send(jar: Map<string, string>, url: string, form?: URLSearchParams): Promise<Response> {
  const headers: Record<string, string> = {};
  if (jar.size > 0) headers.cookie = [...jar].map(([key, value]) => `${key}=${value}`).join('; ');
  const response = await fetch(url, { method: form ? 'POST' : 'GET', body: form, headers, redirect: 'manual' });
  for (const cookie of response.headers.getSetCookie()) storeCookie(jar, cookie);
  // `response.url` is empty for manual redirects in some runtimes; keep the request URL for resolving Location.
  return Object.defineProperty(response, 'url', { value: url });
}

function storeCookie(jar: Map<string, string>, setCookie: string): void {
  const [pair = ''] = setCookie.split(';');
  const index = pair.indexOf('=');
  const key = pair.slice(0, index).trim();
  const value = pair.slice(index + 1).trim();
  const expired = /expires=Thu, 01 Jan 1970/i.test(setCookie) || /max-age=0\b/i.test(setCookie);
  if (value === '' || expired) jar.delete(key);
  else jar.set(key, value);
}

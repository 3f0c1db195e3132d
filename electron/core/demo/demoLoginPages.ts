import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Interaction } from 'oidc-provider';

export interface DemoLoginPagesOptions {
  /** Scopes per resource (the app's own resource and every API), used to grant consent. */
  resourceScopes: ReadonlyMap<string, string[]>;
  /** Used when the authorization request named no resource. */
  defaultResource: string;
}

const oidcScopes = new Set(['openid', 'offline_access']);
const maxBodyBytes = 4096;
const maxNameLength = 64;

/**
 * Serves `/interaction/:uid`: GET shows a login form (any name signs in and becomes `sub`; the demo has no
 * passwords) or, for a signed-in session, a consent form; POST signs in and grants the requested scopes and
 * resources, or cancels with `access_denied`. Returns false for any other path.
 */
export async function handleLoginPage(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  options: DemoLoginPagesOptions,
): Promise<boolean> {
  const match = /^\/interaction\/([\w-]+)$/.exec(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  if (!match) return false;
  try {
    await serveInteraction(provider, req, res, options);
  } catch {
    // Usually an expired or missing interaction cookie; the details are not worth showing.
    if (!res.headersSent) sendHtml(res, 400, renderPage('Sign-in expired', '<p>Start the sign-in again from the app.</p>'));
  }
  return true;
}

async function serveInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  options: DemoLoginPagesOptions,
): Promise<void> {
  if (req.method === 'GET') {
    const details = await provider.interactionDetails(req, res);
    sendHtml(res, 200, renderInteraction(details));
  } else if (req.method === 'POST') {
    await submitInteraction(provider, req, res, options);
  } else {
    res.writeHead(405, { Allow: 'GET, POST' }).end();
  }
}

async function submitInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  options: DemoLoginPagesOptions,
): Promise<void> {
  const form = new URLSearchParams(await readBody(req));
  const details = await provider.interactionDetails(req, res);
  if (form.get('action') === 'cancel') {
    const result = { error: 'access_denied', error_description: 'End-User aborted interaction' };
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }
  const accountId = details.prompt.name === 'login' ? readName(form) : details.session?.accountId;
  if (accountId === undefined) {
    sendHtml(res, 400, renderPage('Sign in', `<p class="error">Enter a name to sign in.</p>${loginForm(details.uid)}`));
    return;
  }
  const grantId = await grantConsent(provider, details, accountId, options);
  // A signed-in session (consent prompt) keeps its login; a new login here would start a new session.
  const result = details.prompt.name === 'login' ? { login: { accountId }, consent: { grantId } } : { consent: { grantId } };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

/** Grants what was asked: OIDC scopes, and for each requested resource the asked scopes it offers. */
async function grantConsent(
  provider: Provider,
  details: Interaction,
  accountId: string,
  options: DemoLoginPagesOptions,
): Promise<string> {
  const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId: String(details.params.client_id) });
  const scopes = String(details.params.scope ?? '').split(' ').filter(Boolean);
  grant.addOIDCScope(scopes.filter((scope) => oidcScopes.has(scope)).join(' '));
  const claims = details.prompt.details.missingOIDCClaims;
  if (Array.isArray(claims)) grant.addOIDCClaims(claims.map(String));
  for (const resource of requestedResources(details, options.defaultResource)) {
    const offered = options.resourceScopes.get(resource) ?? [];
    grant.addResourceScope(resource, scopes.filter((scope) => offered.includes(scope)).join(' '));
  }
  return grant.save();
}

function requestedResources(details: Interaction, defaultResource: string): string[] {
  const { resource } = details.params;
  if (resource === undefined) return [defaultResource];
  return Array.isArray(resource) ? resource : [resource];
}

/** Any printable name of 1–64 characters; it becomes the account id (`sub`). */
function readName(form: URLSearchParams): string | undefined {
  const name = (form.get('login') ?? '').trim();
  if (name === '' || name.length > maxNameLength || /[\p{Cc}\p{Cf}]/u.test(name)) return undefined;
  return name;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > maxBodyBytes) throw new Error('form body too large');
  }
  return body;
}

function renderInteraction(details: Interaction): string {
  const requested = renderRequested(details);
  if (details.prompt.name === 'login') {
    return renderPage('Sign in', `${introduction}${requested}${loginForm(details.uid)}`);
  }
  const who = escapeHtml(details.session?.accountId ?? '');
  return renderPage('Allow access', `<p>Signed in as <strong>${who}</strong>.</p>${requested}${consentForm(details.uid)}`);
}

const introduction =
  '<p class="note">This is the built-in demo identity provider. It has no passwords: any name signs you in and becomes your user ID.</p>';

function renderRequested(details: Interaction): string {
  const client = escapeHtml(String(details.params.client_id ?? ''));
  const scopes = escapeHtml(String(details.params.scope ?? ''));
  const resources = requestedResources(details, '(default)').map((resource) => `<li><code>${escapeHtml(resource)}</code></li>`);
  return `<p>Client <code>${client}</code> asks for scopes <code>${scopes}</code> on:</p><ul>${resources.join('')}</ul>`;
}

// The cancel button has no type attribute (it still submits) so `button[type=submit]` finds exactly one button.
function loginForm(uid: string): string {
  return `<form method="post" action="/interaction/${escapeHtml(uid)}" autocomplete="off">
<label for="login">Name</label>
<input id="login" name="login" required maxlength="${maxNameLength}" autofocus>
<button type="submit">Sign in and allow</button>
<button name="action" value="cancel" formnovalidate>Cancel</button>
</form>`;
}

function consentForm(uid: string): string {
  return `<form method="post" action="/interaction/${escapeHtml(uid)}">
<button type="submit">Allow</button>
<button name="action" value="cancel">Cancel</button>
</form>`;
}

const logo = '<svg aria-hidden="true" width="28" height="28" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#3b4fd8"/><path d="M32 12 49 22v20L32 52 15 42V22z" fill="none" stroke="#fff" stroke-width="4" stroke-linejoin="round"/><circle cx="32" cy="32" r="6" fill="#fff"/></svg>';

// The window's colours and shapes (renderer/src/app.css), so the demo's sign-in looks like part of the app, dark too.
const pageStyle = `:root{color-scheme:light dark;--bg:#f6f7f9;--surface:#fff;--surface-2:#f0f2f5;--border:#dde1e7;--border-strong:#b9c0ca;--text:#1b1f24;--muted:#5b6470;--accent:#3346c9;--accent-text:#fff;--focus:#3346c9;--danger:#9f1d14;--danger-bg:#fde4e2;--info-bg:#e4ebfd;--info-text:#2a3f9e}
@media (prefers-color-scheme:dark){:root{--bg:#14161a;--surface:#1c1f24;--surface-2:#252930;--border:#333842;--border-strong:#4a505c;--text:#e6e8eb;--muted:#9aa3ae;--accent:#7d8cff;--accent-text:#0d1030;--focus:#9aa6ff;--danger:#ff9c93;--danger-bg:#401a18;--info-bg:#1d2747;--info-text:#a9b8ff}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--text);font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
main{max-width:30rem;margin:3rem auto;padding:0 1rem}
.brand{display:flex;align-items:center;gap:.55rem;margin-bottom:1rem;font-weight:700}.brand small{font-weight:400;color:var(--muted)}
.card{background:var(--surface);border:1px solid var(--border);border-radius:10px;padding:1.25rem 1.4rem 1.4rem}
h1{margin:0 0 .6rem;font-size:1.3rem}p{margin:0 0 .8rem}ul{margin:0 0 1rem;padding-left:1.2rem}
code{font-family:ui-monospace,'SF Mono','DejaVu Sans Mono',monospace;font-size:.88em;overflow-wrap:anywhere}
.note{padding:.5rem .7rem;border-radius:6px;background:var(--info-bg);color:var(--info-text);font-size:.92rem}
label{display:block;font-weight:600;margin-bottom:.25rem}
input{display:block;width:100%;padding:.5rem .6rem;margin:0 0 1rem;font:inherit;color:inherit;background:var(--bg);border:1px solid var(--border-strong);border-radius:6px}
button{font:inherit;padding:.45rem 1rem;margin-right:.5rem;border-radius:6px;border:1px solid var(--border);background:var(--surface);color:var(--text);cursor:pointer}
button[type=submit]{background:var(--accent);border-color:var(--accent);color:var(--accent-text)}
:focus-visible{outline:2px solid var(--focus);outline-offset:2px}
.error{padding:.5rem .7rem;border-radius:6px;background:var(--danger-bg);color:var(--danger)}`;

function renderPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)} · Demo identity provider</title>
<style>${pageStyle}</style></head>
<body><main><div class="brand">${logo}<span>GraphQL MCP Desktop <small>· demo identity provider</small></span></div>
<div class="card"><h1>${escapeHtml(title)}</h1>${body}</div></main></body></html>`;
}

/** oidc-provider's error page (bad redirect_uri, unknown client, …): fixed words plus the escaped OAuth error. */
export function renderError(ctx: { type: string; body: unknown }, out: Record<string, unknown>): void {
  ctx.type = 'html';
  const error = escapeHtml(String(out.error ?? 'server_error'));
  const description = escapeHtml(String(out.error_description ?? ''));
  ctx.body = renderPage('Sign-in error', `<p><code>${error}</code></p><p>${description}</p><p>Start the sign-in again from the app.</p>`);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // No form-action: browsers apply it to the redirect that carries the code to the app's loopback port.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(html);
}

/** Everything rendered passes through here: names, scopes and resources come from the request. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

import type { PendingClientView } from '../../ipc/contract.ts';

/** What the waiting page shows and where it polls. */
export interface ConsentPageInput {
  request: PendingClientView;
  statusUrl: string;
  continueUrl: string;
  nonce: string;
}

/** No framing, no forms, no other origin; only the one inline script (by nonce) that polls the status URL. */
export function consentPageCsp(nonce: string): string {
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`;
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => escapes[char]!);
}

function describeIdentity(request: PendingClientView): string {
  if (request.identity === 'verified' && request.domain) return `Verified: its identity is published at ${request.domain}.`;
  return 'Self-asserted: anything on this computer could have chosen this name.';
}

/**
 * The page `/authorize` leads to: which client asks, for what, and that the decision is taken in the app. It holds no
 * control that grants anything — it only polls and, once the app has decided, continues to the client's redirect.
 * The name is already plain text with invisible characters made visible; here it is only HTML-escaped.
 */
export function renderConsentPage(input: ConsentPageInput): string {
  const { request, nonce } = input;
  const rows: Array<[string, string]> = [
    ['Client', request.name],
    ['Identity', describeIdentity(request)],
    ['Redirects to', request.redirectUri ?? '(none)'],
    ['Asks for', request.scopes.join(', ')],
    ['Waits until', request.expiresAt],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<title>Approve in GraphQL MCP Desktop</title>
<style nonce="${nonce}">body{font:16px system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}th{text-align:left;padding-right:1rem;vertical-align:top}td{overflow-wrap:anywhere}</style></head>
<body><h1>Approve it in GraphQL MCP Desktop</h1>
<p>A local MCP client asks to use your GraphQL tools. Open the GraphQL MCP Desktop window and allow or deny it there.
This page continues by itself once you have decided; nothing on this page can approve it.</p>
<table>${rows.map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('')}</table>
<p id="state">Waiting for your decision in the app…</p>
<script nonce="${nonce}">
const poll = async () => {
  try {
    const response = await fetch(${JSON.stringify(input.statusUrl)}, { cache: 'no-store' });
    const status = await response.json();
    if (status.state !== 'waiting') return location.replace(${JSON.stringify(input.continueUrl)});
  } catch {}
  setTimeout(poll, 1000);
};
poll();
</script>
<noscript><p>Reload this page after deciding in the app.</p></noscript>
</body></html>`;
}

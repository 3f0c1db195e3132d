import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientDecision, ClientScope, PendingClientView } from '../../ipc/contract.ts';
import type { Logger } from '../log/Logger.ts';
import type { ClientRegistry } from './ClientRegistry.ts';
import { newClientId, scopesFor } from './manageKeys.ts';
import type { OidcInteraction, OidcProvider } from './oidcTypes.ts';
import type { PendingRequests } from './PendingRequests.ts';
import { allScopes } from './protectedResourceMetadata.ts';
import { consentPageCsp, renderConsentPage } from './renderConsentPage.ts';
import { toVisibleText } from './toVisibleText.ts';

export interface ConsentRoutesOptions {
  provider: OidcProvider;
  registry: ClientRegistry;
  pending: PendingRequests;
  logger: Logger;
  accountId: string;
  resources: Set<string>;
  isUnverifiedClient(clientId: string): boolean;
}

export interface ConsentRoutes {
  /** `/consent/<uid>` (the waiting page), `/consent/<uid>/status` (JSON), `/consent/<uid>/continue` (back to the client). */
  handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean>;
}

interface Consent {
  request: PendingClientView;
  decision?: ClientDecision;
}

const consentPath = /^\/consent\/([A-Za-z0-9_-]{1,64})(\/status|\/continue)?$/;
/** As long as oidc-provider keeps the interaction (ttl.Interaction). */
const consentLifetimeMs = 600_000;

/**
 * The interaction pages of the authorization server. They only show and wait: the user decides in the app
 * (`clients:decide`), and `continue` then finishes the interaction with that decision (J6, J7).
 */
export function createConsentRoutes(options: ConsentRoutesOptions): ConsentRoutes {
  const consents = new Map<string, Consent>();
  // A page loaded twice at once must still ask the user only once.
  const asking = new Map<string, Promise<Consent>>();
  return {
    async handle(req, res, pathname) {
      const match = consentPath.exec(pathname);
      if (!match) return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET' }).end(), true;
      const [, uid, action] = match as unknown as [string, string, string | undefined];
      if (action === '/status') sendJson(res, { state: stateOf(consents.get(uid)) });
      else if (action === '/continue') await continueToClient(options, consents, uid, req, res);
      else await showPage(options, { consents, asking }, uid, req, res);
      return true;
    },
  };
}

function stateOf(consent: Consent | undefined): 'unknown' | 'waiting' | 'decided' {
  if (!consent) return 'unknown';
  return consent.decision ? 'decided' : 'waiting';
}

interface ConsentState {
  consents: Map<string, Consent>;
  asking: Map<string, Promise<Consent>>;
}

async function showPage(options: ConsentRoutesOptions, state: ConsentState, uid: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const interaction = await options.provider.interactionDetails(req, res).catch(() => undefined);
  if (!interaction || interaction.uid !== uid) return sendExpired(res);
  const consent = state.consents.get(uid) ?? await consentFor(options, state, interaction);
  if (consent.decision) return void res.writeHead(303, { location: `/consent/${uid}/continue` }).end();
  const nonce = randomBytes(16).toString('base64');
  const html = renderConsentPage({ request: consent.request, statusUrl: `/consent/${uid}/status`, continueUrl: `/consent/${uid}/continue`, nonce });
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': consentPageCsp(nonce), 'x-frame-options': 'DENY', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end(html);
}

function consentFor(options: ConsentRoutesOptions, state: ConsentState, interaction: OidcInteraction): Promise<Consent> {
  const { uid } = interaction;
  let asked = state.asking.get(uid);
  if (!asked) {
    asked = askUser(options, interaction).then((consent) => {
      state.consents.set(uid, consent);
      return consent;
    }).finally(() => state.asking.delete(uid));
    state.asking.set(uid, asked);
    setTimeout(() => state.consents.delete(uid), consentLifetimeMs).unref();
  }
  return asked;
}

// Puts the request in front of the user; the consent records the decision once the registry reflects it.
async function askUser(options: ConsentRoutesOptions, interaction: OidcInteraction): Promise<Consent> {
  const view = await describeRequest(options, interaction);
  const { view: request, decision } = options.pending.ask(view, `oauth:${interaction.params.client_id ?? ''}`);
  const consent: Consent = { request };
  void decision.then(async (answer) => {
    if (answer !== 'deny') await approveOauthClient(options.registry, consent.request, interaction.params.client_id ?? '', answer);
    consent.decision = answer;
  }).catch((error: unknown) => {
    options.logger.error('recording a client approval failed', { error });
    consent.decision = 'deny';
  });
  return consent;
}

/** What the user is shown: a metadata document's https host as verified identity, anything else as self-asserted. */
async function describeRequest(options: ConsentRoutesOptions, interaction: OidcInteraction): Promise<Omit<PendingClientView, 'requestId' | 'requestedAt' | 'expiresAt'>> {
  const clientId = interaction.params.client_id ?? '';
  const client = await options.provider.Client.find(clientId);
  const unverified = options.isUnverifiedClient(clientId);
  const verified = client?.clientIdMetadataDocument === true && !unverified;
  const domain = verified ? new URL(clientId).host : undefined;
  const name = unverified ? `unverified: could not fetch ${clientId}` : (client?.clientName ?? domain ?? 'Unnamed client');
  const requested = (interaction.params.scope ?? '').split(' ').filter((scope): scope is ClientScope => (allScopes as string[]).includes(scope));
  return {
    name: toVisibleText(name, 200),
    kind: 'oauth',
    identity: verified ? 'verified' : 'self-asserted',
    ...(domain ? { domain } : {}),
    redirectUri: toVisibleText(interaction.params.redirect_uri ?? '', 1000),
    scopes: requested.length > 0 ? requested : [...allScopes],
  };
}

async function approveOauthClient(registry: ClientRegistry, request: PendingClientView, oauthClientId: string, decision: Exclude<ClientDecision, 'deny'>): Promise<void> {
  await registry.update((state) => {
    const { name, identity, domain, redirectUri } = request;
    const existing = state.clients.find((client) => client.kind === 'oauth' && client.oauthClientId === oauthClientId);
    const fields = { name, identity, ...(domain ? { domain } : {}), redirectUris: redirectUri ? [redirectUri] : [], scopes: scopesFor(decision) };
    if (existing) Object.assign(existing, fields);
    else state.clients.push({ clientId: newClientId(), kind: 'oauth', tools: null, approvedAt: registry.now(), oauthClientId, ...fields });
  });
}

async function continueToClient(options: ConsentRoutesOptions, consents: Map<string, Consent>, uid: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const consent = consents.get(uid);
  if (!consent?.decision) return void res.writeHead(303, { location: `/consent/${uid}` }).end();
  const interaction = await options.provider.interactionDetails(req, res).catch(() => undefined);
  if (!interaction || interaction.uid !== uid) return sendExpired(res);
  consents.delete(uid);
  if (consent.decision === 'deny') {
    const result = { error: 'access_denied', error_description: 'The request was denied in GraphQL MCP Desktop, or not decided in time' };
    return options.provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }
  const grantId = await saveGrant(options, interaction, consent.decision);
  await options.provider.interactionFinished(req, res, { login: { accountId: options.accountId }, consent: { grantId } }, { mergeWithLastSubmission: true });
}

async function saveGrant(options: ConsentRoutesOptions, interaction: OidcInteraction, decision: Exclude<ClientDecision, 'deny'>): Promise<string> {
  const grant = new options.provider.Grant({ accountId: options.accountId, clientId: interaction.params.client_id ?? '' });
  const granted = scopesFor(decision);
  const refused = allScopes.filter((scope) => !granted.includes(scope));
  for (const resource of [interaction.params.resource ?? []].flat()) {
    if (!options.resources.has(resource)) continue;
    grant.addResourceScope(resource, granted.join(' '));
    // Refused rather than left out: a scope left out of the grant would send the browser back to the consent page.
    if (refused.length > 0) grant.rejectResourceScope(resource, refused.join(' '));
  }
  for (const scope of (interaction.params.scope ?? '').split(' ')) if (scope === 'openid' || scope === 'offline_access') grant.addOIDCScope(scope);
  return grant.save();
}

function sendJson(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function sendExpired(res: ServerResponse): void {
  res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': "default-src 'none'; frame-ancestors 'none'", 'cache-control': 'no-store' })
    .end('This authorization request is unknown or has expired. Start the connection again from your MCP client.');
}

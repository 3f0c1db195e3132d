import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTPayload } from 'jose';
import { errors } from 'oidc-provider';
import type Provider from 'oidc-provider';
import type { OidcContext, ResourceServerInfo } from 'oidc-provider';
import validateDpop, { checkDpopReplay } from 'oidc-provider/lib/helpers/validate_dpop.js';

export const tokenExchangeGrantType = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const accessTokenType = 'urn:ietf:params:oauth:token-type:access_token';

const parameters = [
  'subject_token',
  'subject_token_type',
  'actor_token',
  'actor_token_type',
  'requested_token_type',
  'resource',
  'audience',
  'scope',
];

export interface TokenExchangeGrantOptions {
  /** The `aud` a subject token must carry: the app's own resource (its login token). */
  appResource: string;
  /** The provider's public signing keys, to verify subject tokens it issued itself. */
  publicJwks: JSONWebKeySet;
  /** Known API resources and their scopes; anything else is `invalid_target`. */
  apis: ReadonlyMap<string, string[]>;
  resourceServerInfo(resource: string): ResourceServerInfo;
}

/**
 * Adds the RFC 8693 token-exchange grant: the app trades its login token (aud = app) for an access token whose
 * `aud` is one API, keeping `sub` and naming the client in `act`. A DPoP-bound login token needs a proof from its
 * key; the API's token is a plain bearer token either way (no `cnf`), so APIs verify it as before.
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2
 */
export function registerTokenExchangeGrant(provider: Provider, options: TokenExchangeGrantOptions): void {
  const keys = createLocalJWKSet(options.publicJwks);
  // oidc-provider 9.13 calls the handler with ctx only (calling a `next` would throw).
  provider.registerGrantType(tokenExchangeGrantType, async (ctx) => {
    checkTokenTypes(ctx.oidc.params);
    const target = resolveTarget(ctx.oidc.params, options.apis);
    const subject = await verifySubjectToken(ctx, keys, provider.issuer, options.appResource);
    await checkSubjectBinding(provider, ctx, subject);
    const scope = resolveScope(ctx.oidc.params.scope, options.apis.get(target) ?? []);
    const token = new provider.AccessToken({ accountId: subject.sub, client: ctx.oidc.client, scope, gty: 'token_exchange' });
    token.resourceServer = new provider.ResourceServer(target, options.resourceServerInfo(target));
    ctx.oidc.entity('AccessToken', token);
    const accessToken = await token.save();
    ctx.body = {
      access_token: accessToken,
      issued_token_type: accessTokenType,
      token_type: 'Bearer',
      expires_in: token.expiration,
      scope,
    };
  }, parameters);
}

function checkTokenTypes(params: OidcContext['oidc']['params']): void {
  if (typeof params.subject_token !== 'string' || params.subject_token === '') {
    throw new errors.InvalidRequest('missing required parameter subject_token');
  }
  if (params.subject_token_type !== accessTokenType) {
    throw new errors.InvalidRequest('subject_token_type must be an access token');
  }
  if (params.requested_token_type !== undefined && params.requested_token_type !== accessTokenType) {
    throw new errors.InvalidRequest('only access tokens can be requested');
  }
  if (params.actor_token !== undefined) throw new errors.InvalidRequest('actor_token is not supported');
}

/** Exactly one target, named by `resource` or `audience`, that is a known API (never the app itself). */
function resolveTarget(params: OidcContext['oidc']['params'], apis: ReadonlyMap<string, string[]>): string {
  const target = params.resource ?? params.audience;
  if (typeof target !== 'string' || !apis.has(target)) throw new errors.InvalidTarget('unknown or missing target resource');
  if (params.resource !== undefined && params.audience !== undefined && params.audience !== params.resource) {
    throw new errors.InvalidTarget('resource and audience name different targets');
  }
  return target;
}

async function verifySubjectToken(
  ctx: OidcContext,
  keys: ReturnType<typeof createLocalJWKSet>,
  issuer: string,
  appResource: string,
): Promise<JWTPayload & { sub: string }> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(String(ctx.oidc.params.subject_token), keys, {
      issuer,
      audience: appResource,
      typ: 'at+jwt',
      algorithms: ['RS256'],
      requiredClaims: ['sub', 'exp'],
    }));
  } catch {
    // A generic description: the reason (expired, wrong audience, bad signature) is no business of the caller.
    throw new errors.InvalidGrant('subject_token is invalid');
  }
  if (payload.client_id !== ctx.oidc.client.clientId || typeof payload.sub !== 'string') {
    throw new errors.InvalidGrant('subject_token is invalid');
  }
  return payload as JWTPayload & { sub: string };
}

/**
 * A subject token bound to a DPoP key (`cnf.jkt`) is exchanged only with a valid proof signed by that key, so a
 * stolen login token is useless without the app's key (C13). A malformed proof is invalid_dpop_proof; a missing
 * proof or another key is invalid_grant, as oidc-provider's own refresh grant answers.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-6.1, https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 */
async function checkSubjectBinding(provider: Provider, ctx: OidcContext, subject: JWTPayload): Promise<void> {
  const jkt = (subject.cnf as { jkt?: unknown } | undefined)?.jkt;
  if (jkt === undefined) return;
  const proof = await validateDpop(provider, ctx);
  if (!proof || proof.thumbprint !== jkt) throw new errors.InvalidGrant('subject_token is invalid');
  await checkDpopReplay(provider, ctx, proof, ctx.oidc.client.clientId);
}

/**
 * The requested scopes if all belong to the API, else all of the API's scopes when none were asked for.
 * Demo policy: the user's consent at sign-in is not consulted (a JWT subject token does not name its grant).
 */
function resolveScope(requested: string | undefined, apiScopes: string[]): string {
  if (requested === undefined || requested.trim() === '') return apiScopes.join(' ');
  const scopes = requested.split(' ').filter(Boolean);
  const unknown = scopes.filter((scope) => !apiScopes.includes(scope));
  if (unknown.length > 0) throw new errors.InvalidScope('requested scope is not available for the target', unknown.join(' '));
  return scopes.join(' ');
}

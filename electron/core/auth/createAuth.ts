import type * as client from 'openid-client';
import type { AppConfig, SignInConfig } from '../config/AppConfig.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log/Logger.ts';
import type { SecretStore } from '../secrets/SecretStore.ts';
import { analyzeAudience, type AudienceWarning } from './analyzeAudience.ts';
import type { ApiAuthorizer } from './ApiAuthorizer.ts';
import { describeAuthState, type AuthState } from './AuthState.ts';
import { createGrantSession, type GrantSession } from './createGrantSession.ts';
import { createTokenBroker } from './createTokenBroker.ts';
import { createWarningsTracker } from './createWarningsTracker.ts';
import { discoverIssuer } from './discoverIssuer.ts';
import { generateDPoPKey, type GeneratedDPoPKey } from './dpopKey.ts';
import { deleteGrant, loadGrant, saveGrant, type GrantKey, type StoredGrant } from './grantStore.ts';
import { toAccessToken } from './refreshTokens.ts';
import { revokeRefreshToken } from './revokeRefreshToken.ts';
import { buildSignInRequest } from './signInScope.ts';
import { startSignIn, type SignInResult, type StartedSignIn } from './startSignIn.ts';

export interface CreateAuthOptions {
  config: AppConfig;
  secrets: SecretStore;
  fetch?: typeof fetch;
  now?(): number;
  /** Opens the system browser; the Electron shell passes shell.openExternal, headless mode the platform opener. */
  openExternal(url: string): Promise<void>;
  logger: Logger;
  /** How long the loopback listener waits for the browser; default 5 minutes. */
  callbackTimeoutMs?: number;
}

/** The sign-in facade the app wires into headless mode and the UI. Nothing it returns carries a token. */
export interface Auth {
  state(): AuthState;
  onChange(listener: (state: AuthState) => void): () => void;
  /** Loads the grant from the keychain; a usable one makes the state signed-in. Never rejects. */
  restore(): Promise<void>;
  /** Starts the listener and opens the browser; resolves once the URL is known. Completion shows in state(). */
  signIn(): Promise<{ authorizationUrl: string }>;
  /** Revokes the refresh token at the IdP (when it can) and deletes it from the keychain. Never rejects. */
  signOut(): Promise<void>;
  authorizer: ApiAuthorizer;
  warnings(): AudienceWarning[];
  onWarningsChanged(listener: (warnings: AudienceWarning[]) => void): () => void;
}

/**
 * Creates the app's sign-in: OIDC login in the system browser, the grant in the keychain, and the per-API broker.
 * Without `signIn` in the config every API that needs a token is refused with a message saying so.
 * With `signIn.dpop` the grant is bound to a per-sign-in DPoP key kept in the same keychain entry (C13).
 * @see https://www.rfc-editor.org/rfc/rfc8252, https://www.rfc-editor.org/rfc/rfc8693, https://www.rfc-editor.org/rfc/rfc8707, https://www.rfc-editor.org/rfc/rfc9449
 */
export function createAuth(options: CreateAuthOptions): Auth {
  const signIn = options.config.signIn;
  return signIn ? createConfiguredAuth(options, signIn) : createUnconfiguredAuth(options.config);
}

function createUnconfiguredAuth(config: AppConfig): Auth {
  const warnings = config.apis.flatMap((api) => analyzeAudience({ api, now: Date.now() }));
  return {
    state: () => ({ status: 'not-configured' }),
    onChange: () => () => {},
    restore: async () => {},
    signIn: async () => {
      throw new AppError('AUTH_SIGN_IN_REQUIRED', 'Sign-in is not configured: add a signIn block to the config');
    },
    signOut: async () => {},
    authorizer: {
      tokenFor: async (api) => {
        if (api.token.strategy === 'none') return undefined;
        throw new AppError('AUTH_SIGN_IN_REQUIRED', `API ${api.name} needs a token (strategy ${api.token.strategy}) but the config has no signIn block`);
      },
    },
    warnings: () => warnings,
    onWarningsChanged: () => () => {},
  };
}

// Long by design: one closure over the sign-in's mutable state (session, pending sign-in, discovered configuration);
// each step inside is its own short function.
function createConfiguredAuth(options: CreateAuthOptions, signIn: SignInConfig): Auth {
  const now = options.now ?? Date.now;
  const { logger, secrets } = options;
  const key: GrantKey = { issuer: signIn.issuer, clientId: signIn.clientId };
  let state: AuthState = { status: 'signed-out' };
  let session: GrantSession | undefined;
  let configuration: client.Configuration | undefined;
  let pending: StartedSignIn | undefined;
  let restoring: Promise<void> | undefined;
  // A grant that could not be resumed because the IdP was unreachable: the next API call tries again (F3).
  let unresumed: { grant: StoredGrant; dpopKey?: client.CryptoKeyPair } | undefined;
  const entryOptions = { dpop: signIn.dpop };
  const stateListeners = new Set<(state: AuthState) => void>();
  const warnings = createWarningsTracker({ apis: options.config.apis, now, metadata: () => configuration?.serverMetadata() });

  const setState = (next: AuthState): void => {
    state = next;
    logger.info('sign-in state', { state: describeAuthState(next) });
    for (const listener of stateListeners) listener(next);
  };
  const discover = async (): Promise<client.Configuration> => {
    configuration ??= await discoverIssuer(signIn, { fetch: options.fetch });
    warnings.publish();
    return configuration;
  };
  const endSession = (): void => {
    session = undefined;
    broker.clear();
    warnings.clear();
  };
  const startSession = (grant: StoredGrant, dpopKey?: client.CryptoKeyPair, appToken?: SignInResult): GrantSession => {
    const next = createGrantSession({
      configuration: configuration!,
      signIn,
      grant,
      dpopKey,
      secrets,
      now,
      logger,
      appToken: appToken ? toAccessToken({ access_token: appToken.accessToken, expires_in: appToken.expiresIn }, now()) : undefined,
      onGrantLost: () => {
        if (session !== next) return;
        endSession();
        void deleteGrant(secrets, key).catch(() => {});
        setState({ status: 'signed-out', reason: 'the sign-in expired or was revoked; sign in again' });
      },
    });
    session = next;
    return next;
  };
  const previewPassthrough = (current: GrantSession): void => {
    for (const api of options.config.apis.filter((candidate) => candidate.token.strategy === 'passthrough')) {
      const token = current.cachedAppToken();
      if (token) warnings.set(api.name, analyzeAudience({ api, metadata: current.configuration.serverMetadata(), token, now: now() }));
    }
  };

  const restore = async (): Promise<void> => {
    let lookup;
    try {
      lookup = await loadGrant(secrets, key, entryOptions);
    } catch (error) {
      return setState({ status: 'keychain-unavailable', reason: reasonOf(error) });
    }
    if (lookup.status === 'none') return setState({ status: 'signed-out' });
    if (lookup.status === 'discarded') {
      logger.warn('discarded the stored sign-in', { reason: lookup.reason });
      return setState({ status: 'signed-out', reason: `stored sign-in discarded: ${lookup.reason}` });
    }
    await resume(lookup.grant, lookup.dpopKey);
  };
  const resume = async (grant: StoredGrant, dpopKey?: client.CryptoKeyPair): Promise<void> => {
    if (signIn.resource && !grant.resources.includes(signIn.resource)) {
      // Refreshing for a resource the grant lacks would burn the refresh token (C7): the config changed, sign in again.
      await deleteGrant(secrets, key).catch(() => false);
      return setState({ status: 'signed-out', reason: 'the stored sign-in was made for another signIn.resource; sign in again' });
    }
    try {
      await discover();
      const current = startSession(grant, dpopKey);
      await current.appToken();
      if (session !== current) return;
      setState({ status: 'signed-in', sub: grant.sub, issuer: signIn.issuer });
      previewPassthrough(current);
    } catch (error) {
      if (AppError.is(error, 'AUTH_SIGN_IN_REQUIRED')) return; // onGrantLost already signed out
      const appError = AppError.is(error) ? error : new AppError('AUTH_REFRESH_FAILED', undefined, { cause: error });
      session = undefined;
      unresumed = { grant, dpopKey };
      setState({ status: 'error', code: appError.code, message: appError.message });
    }
  };

  const currentSession = async (): Promise<GrantSession> => {
    if (session) return session;
    if (unresumed && state.status === 'error') {
      const { grant, dpopKey } = unresumed;
      unresumed = undefined;
      restoring ??= resume(grant, dpopKey).finally(() => (restoring = undefined));
      await restoring;
      if (session) return session;
    }
    throw signInRequired(state);
  };
  const broker = createTokenBroker({
    session: currentSession,
    now,
    logger,
    onAnalyzed: warnings.set,
  });

  // `dpopKey` holds the private JWK only until it is in the keychain; the session keeps the non-extractable pair.
  const finishSignIn = async (started: StartedSignIn, dpopKey: GeneratedDPoPKey | undefined): Promise<void> => {
    let result: SignInResult;
    try {
      result = await started.result;
    } catch (error) {
      if (pending !== started) return;
      pending = undefined;
      return setState(signInFailedState(error));
    }
    if (pending !== started) {
      // Cancelled (or replaced) while the code was being redeemed: keep nothing, leave nothing valid at the IdP.
      return revokeRefreshToken(configuration!, result.refreshToken, logger);
    }
    pending = undefined;
    const previous = session;
    const request = buildSignInRequest(signIn, options.config.apis);
    const grant: StoredGrant = {
      ...key, refreshToken: result.refreshToken, scope: result.scope, resources: request.resources, sub: result.sub, savedAt: now(),
      ...(dpopKey ? { dpop: true } : {}),
    };
    try {
      await saveGrant(secrets, grant, dpopKey?.privateJwk);
    } catch (error) {
      // No fallback: without the keychain nothing is kept, and the fresh refresh token is revoked.
      await revokeRefreshToken(configuration!, result.refreshToken, logger);
      endSession();
      return setState({ status: 'keychain-unavailable', reason: reasonOf(error) });
    }
    endSession();
    const current = startSession(grant, dpopKey?.keyPair, result);
    if (previous && previous.grant.refreshToken !== grant.refreshToken) await previous.revoke();
    setState({ status: 'signed-in', sub: result.sub, issuer: signIn.issuer });
    previewPassthrough(current);
  };

  return {
    state: () => state,
    onChange: (listener) => subscribe(stateListeners, listener),
    restore: async () => {
      restoring ??= restore().finally(() => (restoring = undefined));
      return restoring;
    },
    signIn: async () => {
      pending?.cancel();
      pending = undefined;
      let discovered: client.Configuration;
      try {
        discovered = await discover();
      } catch (error) {
        if (!session) setState(signInFailedState(error));
        throw error;
      }
      let started: StartedSignIn;
      let dpopKey: GeneratedDPoPKey | undefined;
      try {
        setState({ status: 'signing-in' });
        // A fresh key per sign-in (RFC 9449): the new grant is bound to it, the old one's key goes with the old grant.
        dpopKey = signIn.dpop ? await generateDPoPKey() : undefined;
        started = await startSignIn(discovered, signIn, buildSignInRequest(signIn, options.config.apis), {
          openExternal: options.openExternal,
          timeoutMs: options.callbackTimeoutMs,
          logger,
          dpopKey: dpopKey?.keyPair,
        });
      } catch (error) {
        // The browser could not be opened (or the URL was refused): nothing started, nothing persisted (D12).
        const reason = AppError.is(error) ? error.message : 'the browser could not be opened';
        setState(session ? { status: 'signed-in', sub: session.grant.sub, issuer: signIn.issuer } : { status: 'signed-out', reason });
        throw error;
      }
      pending = started;
      void finishSignIn(started, dpopKey);
      return { authorizationUrl: started.authorizationUrl };
    },
    signOut: async () => {
      pending?.cancel();
      pending = undefined;
      const current = session;
      endSession();
      unresumed = undefined;
      try {
        await revokeStored(current);
        await deleteGrant(secrets, key);
        setState({ status: 'signed-out' });
      } catch (error) {
        setState(AppError.is(error, 'SECRETS_UNAVAILABLE') ? { status: 'keychain-unavailable', reason: reasonOf(error) } : { status: 'signed-out' });
      }
    },
    authorizer: broker,
    warnings: warnings.all,
    onWarningsChanged: warnings.onChanged,
  };

  // Sign-out also works before restore (CLI `logout`): the stored grant is read, revoked, then deleted.
  async function revokeStored(current: GrantSession | undefined): Promise<void> {
    if (current) return current.revoke();
    const lookup = await loadGrant(secrets, key, entryOptions);
    if (lookup.status !== 'found') return;
    try {
      await revokeRefreshToken(await discover(), lookup.grant.refreshToken, logger);
    } catch (error) {
      logger.warn('could not reach the identity provider to revoke the refresh token', { code: AppError.is(error) ? error.code : 'unknown' });
    }
  }
}

function subscribe<T>(listeners: Set<T>, listener: T): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : 'unknown error';
  return message.replace(/^Keychain unavailable:\s*/i, '');
}

function signInFailedState(error: unknown): AuthState {
  if (AppError.is(error, 'AUTH_SIGN_IN_CANCELLED')) return { status: 'signed-out', reason: error.message };
  const appError = AppError.is(error) ? error : new AppError('AUTH_SIGN_IN_FAILED', undefined, { cause: error });
  return { status: 'error', code: appError.code, message: appError.message };
}

function signInRequired(state: AuthState): AppError {
  const why: Record<AuthState['status'], string> = {
    'not-configured': 'sign-in is not configured',
    'signed-out': 'not signed in',
    'signing-in': 'sign-in is not finished yet',
    'signed-in': 'the sign-in is being restored',
    'keychain-unavailable': 'the keychain is unavailable, so the sign-in cannot be kept',
    error: state.status === 'error' ? state.message : '',
  };
  return new AppError('AUTH_SIGN_IN_REQUIRED', `Sign-in required: ${why[state.status]}`);
}

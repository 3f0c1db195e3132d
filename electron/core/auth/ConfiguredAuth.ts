import type * as client from 'openid-client';
import type { SignInConfig } from '../config/AppConfig.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log/Logger.ts';
import type { SecretStore } from '../secrets/SecretStore.ts';
import { analyzeAudience, type AudienceWarning } from './analyzeAudience.ts';
import { describeAuthState, type AuthState } from './AuthState.ts';
import type { Auth, CreateAuthOptions } from './Auth.ts';
import { createGrantSession, type GrantSession } from './createGrantSession.ts';
import { createTokenBroker, type TokenBroker } from './createTokenBroker.ts';
import { createWarningsTracker, type WarningsTracker } from './createWarningsTracker.ts';
import { discoverIssuer } from './discoverIssuer.ts';
import { generateDPoPKey, type GeneratedDPoPKey } from './dpopKey.ts';
import { GrantWatch } from './GrantWatch.ts';
import { deleteGrant, grantAccount, loadGrant, saveGrant, type GrantKey, type GrantLookup, type StoredGrant } from './grantStore.ts';
import { toAccessToken } from './refreshTokens.ts';
import { revokeRefreshToken } from './revokeRefreshToken.ts';
import { buildSignInRequest, type SignInRequest } from './signInScope.ts';
import { startSignIn, type SignInResult, type StartedSignIn, type StartSignInOptions } from './startSignIn.ts';

/** A stored grant and its DPoP key, as read from the keychain. */
interface KeptGrant {
  grant: StoredGrant;
  dpopKey?: client.CryptoKeyPair;
}

/**
 * The sign-in state machine behind `createAuth` when the config has a `signIn` block: the discovered issuer, the
 * current grant session, the sign-in waiting for the browser, and the state the app shows.
 * Async steps check that the session or sign-in they started with is still current before they change anything.
 * @see https://www.rfc-editor.org/rfc/rfc8252, https://www.rfc-editor.org/rfc/rfc9449
 */
export class ConfiguredAuth implements Auth {
  readonly authorizer: TokenBroker;
  readonly #options: CreateAuthOptions;
  readonly #signInConfig: SignInConfig;
  readonly #secrets: SecretStore;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #key: GrantKey;
  readonly #warningsTracker: WarningsTracker;
  readonly #stateListeners = new Set<(state: AuthState) => void>();
  #state: AuthState = { status: 'signed-out' };
  #session: GrantSession | undefined;
  #configuration: client.Configuration | undefined;
  #pending: StartedSignIn | undefined;
  #restoring: Promise<void> | undefined;
  // A grant that could not be resumed because the IdP was unreachable: the next API call tries again (F3).
  #unresumed: KeptGrant | undefined;
  // Bumped by every signIn() and cancelSignIn(): a sign-in that is no longer the current attempt stops where it is.
  #attempt = 0;
  #closed = false;
  readonly #grantWatch: GrantWatch;

  constructor(options: CreateAuthOptions, signIn: SignInConfig) {
    this.#options = options;
    this.#signInConfig = signIn;
    this.#secrets = options.secrets;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#key = { issuer: signIn.issuer, clientId: signIn.clientId };
    this.#warningsTracker = createWarningsTracker({ apis: options.config.apis, now: this.#now, metadata: () => this.#configuration?.serverMetadata() });
    const broker = createTokenBroker({ session: () => this.#currentSession(), now: this.#now, logger: this.#logger, onAnalyzed: this.#warningsTracker.set });
    this.#grantWatch = new GrantWatch({ intervalMs: options.grantCheckIntervalMs ?? 30_000, now: this.#now, check: () => this.#checkGrantStored() });
    // Before a call that needs a token: a `logout` from another process may have deleted the grant (issue 7, item 7).
    this.authorizer = {
      clear: () => broker.clear(),
      // No check due: straight to the broker, without an extra turn that would let a sign-out overtake this call.
      tokenFor: (api, callOptions) => {
        const check = api.token.strategy === 'none' ? undefined : this.#grantWatch.checkSoon();
        return check ? check.then(() => broker.tokenFor(api, callOptions)) : broker.tokenFor(api, callOptions);
      },
    };
  }

  state(): AuthState {
    return this.#state;
  }

  onChange(listener: (state: AuthState) => void): () => void {
    return subscribe(this.#stateListeners, listener);
  }

  async restore(): Promise<void> {
    this.#restoring ??= this.#restoreFromKeychain().finally(() => (this.#restoring = undefined));
    return this.#restoring;
  }

  // Its awaits stay here, not in helpers, so no extra microtask turns come before `#pending` is set or the URL returns.
  async signIn(): Promise<{ authorizationUrl: string }> {
    if (this.#closed) throw new AppError('AUTH_SIGN_IN_CANCELLED', 'Sign-in cancelled: the app is shutting down');
    this.#cancelPending();
    const attempt = ++this.#attempt;
    let discovered: client.Configuration;
    try {
      discovered = await this.#discover();
    } catch (error) {
      if (!this.#session && attempt === this.#attempt) this.#setState(signInFailedState(error));
      throw error;
    }
    if (attempt !== this.#attempt) throw cancelledMeanwhile();
    let started: StartedSignIn;
    let dpopKey: GeneratedDPoPKey | undefined;
    try {
      this.#setState({ status: 'signing-in' });
      // A fresh key per sign-in (RFC 9449): the new grant is bound to it, the old one's key goes with the old grant.
      dpopKey = this.#signInConfig.dpop ? await generateDPoPKey() : undefined;
      started = await startSignIn(discovered, this.#signInConfig, this.#signInRequest(), this.#startOptions(dpopKey));
    } catch (error) {
      if (attempt === this.#attempt) this.#revertSigningIn(error);
      throw error;
    }
    // Cancelled (or shut down) while the browser was being opened: its listener goes too.
    if (attempt !== this.#attempt) throw (started.cancel(), cancelledMeanwhile());
    this.#pending = started;
    // The window shows the URL (with copy and cancel) for when the browser did not come up.
    this.#setState({ status: 'signing-in', url: started.authorizationUrl });
    void this.#finishSignIn(started, dpopKey);
    return { authorizationUrl: started.authorizationUrl };
  }

  cancelSignIn(): void {
    if (this.#state.status !== 'signing-in') return;
    this.#attempt += 1;
    this.#cancelPending();
    const session = this.#session;
    this.#setState(session ? { status: 'signed-in', sub: session.grant.sub, issuer: this.#signInConfig.issuer } : { status: 'signed-out', reason: 'sign-in cancelled' });
  }

  close(): void {
    this.#closed = true;
    this.cancelSignIn();
    this.#attempt += 1;
    this.#cancelPending();
    this.#grantWatch.stop();
  }

  async signOut(): Promise<void> {
    this.#cancelPending();
    const current = this.#session;
    this.#endSession();
    this.#unresumed = undefined;
    try {
      await this.#revokeStored(current);
      await deleteGrant(this.#secrets, this.#key);
      this.#setState({ status: 'signed-out' });
    } catch (error) {
      this.#setState(signOutFailedState(error));
    }
  }

  warnings(): AudienceWarning[] {
    return this.#warningsTracker.all();
  }

  onWarningsChanged(listener: (warnings: AudienceWarning[]) => void): () => void {
    return this.#warningsTracker.onChanged(listener);
  }

  #setState(next: AuthState): void {
    this.#state = next;
    // debug: headless mode prints each state as its own line, the window shows it (issue 7: one line, not two).
    this.#logger.debug('sign-in state', { state: describeAuthState(next) });
    if (next.status === 'signed-in' && !this.#closed) this.#grantWatch.start();
    else if (next.status !== 'signed-in') this.#grantWatch.stop();
    for (const listener of this.#stateListeners) listener(next);
  }

  // Another process (`npm start -- logout`) deleted the grant: this app is signed out too, before its next call.
  async #checkGrantStored(): Promise<void> {
    const session = this.#session;
    if (!session || this.#state.status !== 'signed-in') return;
    let stored: string | null;
    try {
      stored = await this.#secrets.get(grantAccount(this.#key));
    } catch {
      return; // a locked or absent keychain says nothing about the grant; E2 handles it where it is used
    }
    if (stored !== null || this.#session !== session) return;
    this.#logger.info('the stored sign-in was removed by another process (logout); signing out here too');
    this.#endSession();
    this.#unresumed = undefined;
    this.#setState({ status: 'signed-out', reason: 'signed out from another process' });
  }

  async #discover(): Promise<client.Configuration> {
    this.#configuration ??= await discoverIssuer(this.#signInConfig, { fetch: this.#options.fetch });
    this.#warningsTracker.publish();
    return this.#configuration;
  }

  #endSession(): void {
    this.#session = undefined;
    this.authorizer.clear();
    this.#warningsTracker.clear();
  }

  #startSession(grant: StoredGrant, dpopKey?: client.CryptoKeyPair, appToken?: SignInResult): GrantSession {
    const now = this.#now;
    const next: GrantSession = createGrantSession({
      configuration: this.#configuration!,
      signIn: this.#signInConfig,
      grant,
      dpopKey,
      secrets: this.#secrets,
      now,
      logger: this.#logger,
      appToken: appToken ? toAccessToken({ access_token: appToken.accessToken, expires_in: appToken.expiresIn }, now()) : undefined,
      onGrantLost: () => this.#loseGrant(next),
    });
    this.#session = next;
    return next;
  }

  // The IdP dropped the grant; a session that a newer sign-in already replaced changes nothing.
  #loseGrant(lost: GrantSession): void {
    if (this.#session !== lost) return;
    this.#endSession();
    void deleteGrant(this.#secrets, this.#key).catch(() => {});
    this.#setState({ status: 'signed-out', reason: 'the sign-in expired or was revoked; sign in again' });
  }

  #previewPassthrough(current: GrantSession): void {
    for (const api of this.#options.config.apis.filter((candidate) => candidate.token.strategy === 'passthrough')) {
      const token = current.cachedAppToken();
      if (token) this.#warningsTracker.set(api.name, analyzeAudience({ api, metadata: current.configuration.serverMetadata(), token, now: this.#now() }));
    }
  }

  async #restoreFromKeychain(): Promise<void> {
    let lookup: GrantLookup;
    try {
      lookup = await loadGrant(this.#secrets, this.#key, { dpop: this.#signInConfig.dpop });
    } catch (error) {
      return this.#setState({ status: 'keychain-unavailable', reason: reasonOf(error) });
    }
    if (lookup.status === 'none') return this.#setState({ status: 'signed-out' });
    if (lookup.status === 'discarded') {
      this.#logger.warn('discarded the stored sign-in', { reason: lookup.reason });
      return this.#setState({ status: 'signed-out', reason: `stored sign-in discarded: ${lookup.reason}` });
    }
    await this.#resume(lookup.grant, lookup.dpopKey);
  }

  async #resume(grant: StoredGrant, dpopKey?: client.CryptoKeyPair): Promise<void> {
    const { resource, issuer } = this.#signInConfig;
    if (resource && !grant.resources.includes(resource)) {
      // Refreshing for a resource the grant lacks would burn the refresh token (C7): the config changed, sign in again.
      await deleteGrant(this.#secrets, this.#key).catch(() => false);
      return this.#setState({ status: 'signed-out', reason: 'the stored sign-in was made for another signIn.resource; sign in again' });
    }
    try {
      await this.#discover();
      const current = this.#startSession(grant, dpopKey);
      await current.appToken();
      if (this.#session !== current) return;
      this.#setState({ status: 'signed-in', sub: grant.sub, issuer });
      this.#previewPassthrough(current);
    } catch (error) {
      this.#failResume(error, { grant, dpopKey });
    }
  }

  #failResume(error: unknown, unresumed: KeptGrant): void {
    if (AppError.is(error, 'AUTH_SIGN_IN_REQUIRED')) return; // onGrantLost already signed out
    const appError = AppError.is(error) ? error : new AppError('AUTH_REFRESH_FAILED', undefined, { cause: error });
    this.#session = undefined;
    this.#unresumed = unresumed;
    this.#setState({ status: 'error', code: appError.code, message: appError.message });
  }

  async #currentSession(): Promise<GrantSession> {
    if (this.#session) return this.#session;
    if (this.#unresumed && this.#state.status === 'error') {
      const { grant, dpopKey } = this.#unresumed;
      this.#unresumed = undefined;
      this.#restoring ??= this.#resume(grant, dpopKey).finally(() => (this.#restoring = undefined));
      await this.#restoring;
      if (this.#session) return this.#session;
    }
    throw signInRequired(this.#state);
  }

  #cancelPending(): void {
    this.#pending?.cancel();
    this.#pending = undefined;
  }

  #signInRequest(): SignInRequest {
    return buildSignInRequest(this.#signInConfig, this.#options.config.apis);
  }

  #startOptions(dpopKey: GeneratedDPoPKey | undefined): StartSignInOptions {
    return { openExternal: this.#options.openExternal, timeoutMs: this.#options.callbackTimeoutMs, logger: this.#logger, dpopKey: dpopKey?.keyPair };
  }

  // The browser could not be opened (or the URL was refused): nothing started, nothing persisted (D12).
  #revertSigningIn(error: unknown): void {
    const reason = AppError.is(error) ? error.message : 'the browser could not be opened';
    const session = this.#session;
    this.#setState(session ? { status: 'signed-in', sub: session.grant.sub, issuer: this.#signInConfig.issuer } : { status: 'signed-out', reason });
  }

  // `dpopKey` holds the private JWK only until it is in the keychain; the session keeps the non-extractable pair.
  async #finishSignIn(started: StartedSignIn, dpopKey: GeneratedDPoPKey | undefined): Promise<void> {
    let result: SignInResult;
    try {
      result = await started.result;
    } catch (error) {
      return this.#failSignIn(started, error);
    }
    if (this.#pending !== started) {
      // Cancelled (or replaced) while the code was being redeemed: keep nothing, leave nothing valid at the IdP.
      return revokeRefreshToken(this.#configuration!, result.refreshToken, this.#logger);
    }
    this.#pending = undefined;
    const previous = this.#session;
    const grant = this.#grantFrom(result, dpopKey);
    try {
      await saveGrant(this.#secrets, grant, dpopKey?.privateJwk);
    } catch (error) {
      return this.#discardUnsavedSignIn(result, error);
    }
    return this.#adoptGrant(grant, result, dpopKey?.keyPair, previous);
  }

  #failSignIn(started: StartedSignIn, error: unknown): void {
    if (this.#pending !== started) return;
    this.#pending = undefined;
    this.#setState(signInFailedState(error));
  }

  #grantFrom(result: SignInResult, dpopKey: GeneratedDPoPKey | undefined): StoredGrant {
    const { resources } = this.#signInRequest();
    return {
      ...this.#key, refreshToken: result.refreshToken, scope: result.scope, resources, sub: result.sub, savedAt: this.#now(),
      ...(dpopKey ? { dpop: true } : {}),
    };
  }

  // No fallback: without the keychain nothing is kept, and the fresh refresh token is revoked.
  async #discardUnsavedSignIn(result: SignInResult, error: unknown): Promise<void> {
    await revokeRefreshToken(this.#configuration!, result.refreshToken, this.#logger);
    this.#endSession();
    this.#setState({ status: 'keychain-unavailable', reason: reasonOf(error) });
  }

  async #adoptGrant(grant: StoredGrant, result: SignInResult, keyPair: client.CryptoKeyPair | undefined, previous: GrantSession | undefined): Promise<void> {
    this.#endSession();
    const current = this.#startSession(grant, keyPair, result);
    if (previous && previous.grant.refreshToken !== grant.refreshToken) await previous.revoke();
    this.#setState({ status: 'signed-in', sub: result.sub, issuer: this.#signInConfig.issuer });
    this.#previewPassthrough(current);
  }

  // Sign-out also works before restore (CLI `logout`): the stored grant is read, revoked, then deleted.
  async #revokeStored(current: GrantSession | undefined): Promise<void> {
    if (current) return current.revoke();
    const lookup = await loadGrant(this.#secrets, this.#key, { dpop: this.#signInConfig.dpop });
    if (lookup.status !== 'found') return;
    try {
      await revokeRefreshToken(await this.#discover(), lookup.grant.refreshToken, this.#logger);
    } catch (error) {
      this.#logger.warn('could not reach the identity provider to revoke the refresh token', { code: AppError.is(error) ? error.code : 'unknown' });
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

function cancelledMeanwhile(): AppError {
  return new AppError('AUTH_SIGN_IN_CANCELLED', 'Sign-in cancelled before the browser page opened');
}

function signOutFailedState(error: unknown): AuthState {
  return AppError.is(error, 'SECRETS_UNAVAILABLE') ? { status: 'keychain-unavailable', reason: reasonOf(error) } : { status: 'signed-out' };
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

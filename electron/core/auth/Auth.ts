import type { AppConfig } from '../config/AppConfig.ts';
import type { Logger } from '../log/Logger.ts';
import type { SecretStore } from '../secrets/SecretStore.ts';
import type { AudienceWarning } from './analyzeAudience.ts';
import type { ApiAuthorizer } from './ApiAuthorizer.ts';
import type { AuthState } from './AuthState.ts';

// Kept apart from createAuth.ts (which re-exports both) so that ConfiguredAuth implements Auth without an import cycle.
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
  /**
   * While signed in, how often the keychain is checked for the grant (a `logout` from another process deletes it);
   * default 30 s. API calls check too, at most once a second.
   */
  grantCheckIntervalMs?: number;
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
  /**
   * Abandons a sign-in in progress: its listener closes, so its browser page can no longer complete it, and a code
   * already being redeemed is revoked instead of saved. The state goes back to what it was before. No-op otherwise.
   */
  cancelSignIn(): void;
  /** Shutdown: cancels any sign-in (no grant is saved after the user asked to quit) and stops background checks. */
  close(): void;
  authorizer: ApiAuthorizer;
  warnings(): AudienceWarning[];
  onWarningsChanged(listener: (warnings: AudienceWarning[]) => void): () => void;
}

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

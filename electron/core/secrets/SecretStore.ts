/**
 * The only place secrets (refresh tokens) are kept: the OS keychain in the app, an in-memory store in unit tests.
 * Every method rejects with AppError('SECRETS_UNAVAILABLE') when the keychain cannot be used (missing, locked,
 * refused, or no answer in time); there is never a plaintext or file fallback.
 */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  /** Resolves false when there was nothing to delete. */
  delete(account: string): Promise<boolean>;
}

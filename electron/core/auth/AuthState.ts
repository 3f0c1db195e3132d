import type { ErrorCode } from '../errors.ts';

/** What the app shows about sign-in; never carries a token. */
export type AuthState =
  | { status: 'not-configured' }
  | { status: 'signed-out'; reason?: string }
  /** `url`: the IdP page the browser was sent to, once known (shown when the browser could not be opened). */
  | { status: 'signing-in'; url?: string }
  | { status: 'signed-in'; sub: string; issuer: string }
  | { status: 'keychain-unavailable'; reason: string }
  | { status: 'error'; code: ErrorCode; message: string };

/** One line for the CLI and the tray tooltip. */
export function describeAuthState(state: AuthState): string {
  switch (state.status) {
    case 'not-configured':
      return 'sign-in not configured';
    case 'signed-out':
      return state.reason ? `signed out (${state.reason})` : 'signed out';
    case 'signing-in':
      return 'signing in…';
    case 'signed-in':
      return `signed in as ${state.sub}`;
    case 'keychain-unavailable':
      return `keychain unavailable: ${state.reason}`;
    case 'error':
      return `sign-in error: ${state.message}`;
  }
}

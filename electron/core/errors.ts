import { scrubSecrets } from './secrets/scrubSecrets.ts';

/** Every failure the app reports has one of these codes; callers branch on `code`, never on message text. */
export const errorMessages = {
  CONFIG_INVALID: 'The config file has problems',
  CONFIG_NOT_FOUND: 'The config file does not exist',
  SCHEMA_INVALID: 'The GraphQL schema could not be loaded',
  OPERATION_INVALID: 'A GraphQL operation is invalid',
  TOOL_NOT_FOUND: 'No tool has that name',
  TOOL_ARGUMENTS_INVALID: 'The tool arguments do not match its input schema',
  GRAPHQL_HTTP_ERROR: 'The GraphQL API answered with an HTTP error',
  GRAPHQL_NETWORK_ERROR: 'The GraphQL API could not be reached',
  GRAPHQL_TIMEOUT: 'The GraphQL API did not answer in time',
  GRAPHQL_RESPONSE_TOO_LARGE: 'The GraphQL API response is larger than the limit',
  GRAPHQL_RESPONSE_INVALID: 'The GraphQL API answered with something that is not a GraphQL response',
  MUTATIONS_DISABLED: 'Mutations are disabled for this API',
  SERVER_LISTEN_FAILED: 'The MCP server could not listen on its port',
  AUTH_SIGN_IN_REQUIRED: 'Sign-in required',
  AUTH_SIGN_IN_FAILED: 'Sign-in failed',
  AUTH_SIGN_IN_CANCELLED: 'Sign-in was cancelled or timed out',
  AUTH_REFRESH_FAILED: 'Refreshing the sign-in failed',
  AUTH_EXCHANGE_FAILED: 'Token exchange for the API failed',
  AUTH_ISSUER_INVALID: 'The identity provider is not acceptable',
  AUTH_IDP_UNREACHABLE: 'The identity provider could not be reached',
  AUTH_URL_REFUSED: 'Refused to open that URL',
  AUDIENCE_MISMATCH: "The token's audience does not name this API",
  SECRETS_UNAVAILABLE: 'Keychain unavailable',
  UI_REQUEST_REFUSED: 'The app refused a request from the window',
  UI_REQUEST_FAILED: 'The window could not reach the app',
  NOT_AVAILABLE: 'This part of the app is not available in this build',
  BRIDGE_IN_USE: 'Another running GraphQL MCP Desktop already serves the stdio bridge',
  BRIDGE_UNAVAILABLE: 'The stdio bridge socket could not be opened',
  APPROVAL_NOT_FOUND: 'No call with that id is waiting for a decision',
  SETUP_CONFIG_UNREADABLE: "The client's config file does not parse; it was left alone",
  SETUP_WRITE_FAILED: "The client's config file could not be written",
  SETTINGS_READ_ONLY: "The built-in demo's settings cannot be changed",
  KEY_NAME_INVALID: 'An access key name is 1 to 64 letters, digits, spaces, dots, dashes, underscores or @',
  KEY_NAME_TAKEN: 'An access key with that name already exists',
  CLIENT_NOT_FOUND: 'No approved client or access key has that id or name',
  CLIENT_REQUEST_NOT_FOUND: 'No client request with that id is waiting (it was decided or it expired)',
} as const;

export type ErrorCode = keyof typeof errorMessages;

export interface AppErrorOptions {
  cause?: unknown;
  /** Safe, secret-free details shown to the user (file, line, key, status, …). */
  details?: Record<string, unknown>;
}

/** The app's one error class: a stable `code`, a message that says what to fix, and a `cause` that is never logged. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message?: string, options: AppErrorOptions = {}) {
    // Scrubbed at birth: a message may quote an upstream or IdP answer that echoed a token (issue 7).
    super(scrubSecrets(message ?? errorMessages[code]), { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details ?? {};
  }

  static is(value: unknown, code?: ErrorCode): value is AppError {
    return value instanceof AppError && (code === undefined || value.code === code);
  }

  /** What may be logged or shown: code and message, never `cause` (it can hold a Response with tokens). */
  toJSON(): { code: ErrorCode; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** Maps anything thrown at a boundary to an AppError, keeping the original as `cause`. */
export function toAppError(error: unknown, fallback: ErrorCode): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new AppError('GRAPHQL_TIMEOUT', undefined, { cause: error });
  }
  const message = error instanceof Error ? `${errorMessages[fallback]}: ${error.message}` : errorMessages[fallback];
  return new AppError(fallback, message, { cause: error });
}

/** For our own bugs only, never for bad input. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Invariant failed: ${message}`);
}

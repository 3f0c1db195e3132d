import { scrubSecrets } from '../secrets/scrubSecrets.ts';
import { recordForSecretScan } from './recordForSecretScan.ts';

/** Levels in increasing verbosity; `debug` is what the redaction tests run at. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go; the CLI passes stderr so stdout stays for the lines users act on (endpoint, sign-in URL). */
  write(line: string): void;
}

const order: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

// Keys whose value is a secret whatever it looks like. `d`: the private member of a JWK (the DPoP key, C13).
// Not `code` or `state`: a warning's `code` and the sign-in `state` line are harmless, and an OAuth code in a URL
// or form is caught by scrubSecrets' `code=` pattern.
const secretKeys = /^(authorization|cookie|set-cookie|token|access_?token|refresh_?token|id_?token|code_?verifier|verifier|secret|client_?secret|password|subject_?token|d|dpop_?key|private_?jwk)$/i;

// I2: a logged URL keeps no query string (the sign-in callback carries code, state and iss).
const urlQuery = /(\bhttps?:\/\/[^\s"'?#<>]+)\?[^\s"'#<>]*/gi;

function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (secretKeys.test(key)) out[key] = '[redacted]';
    else if (value instanceof Error) out[key] = { name: value.name, message: value.message }; // never `cause`
    else if (value && typeof value === 'object') out[key] = redactFields(value as Record<string, unknown>);
    else out[key] = value;
  }
  return out;
}

/**
 * A line-per-entry logger that scrubs every line before it is written: secret-named fields, every token value the app
 * holds or sent (scrubSecrets), and anything token-shaped.
 */
export function createLogger(options: LoggerOptions): Logger {
  const emit = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (order[level] > order[options.level]) return;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(redactFields(fields))}` : '';
    const line = scrubSecrets(`${level}: ${message}${extra}\n`.replace(urlQuery, '$1?[query removed]'));
    recordForSecretScan('log', line);
    options.write(line);
  };
  return { error: emit('error'), warn: emit('warn'), info: emit('info'), debug: emit('debug') };
}

/** For tests and callers that want silence. */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} });

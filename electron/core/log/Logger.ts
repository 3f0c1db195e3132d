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

// Values that must never reach a log even if a caller passes them by mistake (security cases I1–I3).
const secretPatterns: RegExp[] = [
  /eyJ[\w-]+\.[\w-]+\.[\w-]*/g,
  /\b(Bearer|Basic)\s+[^\s"',]+/gi,
  /\b(access_token|refresh_token|id_token|code|code_verifier|subject_token|client_secret|state|nonce)=[^&\s"']+/gi,
];
// `d`: the private member of a JWK (the DPoP key, C13).
const secretKeys = /^(authorization|cookie|set-cookie|token|access_?token|refresh_?token|id_?token|code|code_?verifier|verifier|secret|password|subject_?token|d|dpop_?key|private_?jwk)$/i;

/** Removes token-looking substrings; applied to every message and field value. */
export function redact(text: string): string {
  return secretPatterns.reduce((out, pattern) => out.replace(pattern, (match) => `${match.split(/[=\s]/)[0]}[redacted]`), text);
}

function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (secretKeys.test(key)) out[key] = '[redacted]';
    else if (value instanceof Error) out[key] = { name: value.name, message: redact(value.message) }; // never `cause`
    else if (typeof value === 'string') out[key] = redact(value);
    else if (value && typeof value === 'object') out[key] = redactFields(value as Record<string, unknown>);
    else out[key] = value;
  }
  return out;
}

/** A line-per-entry logger that redacts secrets before anything is written. */
export function createLogger(options: LoggerOptions): Logger {
  const emit = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (order[level] > order[options.level]) return;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(redactFields(fields))}` : '';
    options.write(`${level}: ${redact(message)}${extra}\n`);
  };
  return { error: emit('error'), warn: emit('warn'), info: emit('info'), debug: emit('debug') };
}

/** For tests and callers that want silence. */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} });

/**
 * Removes secrets from any text that leaves the core: every token value the app holds or sent (exactly, URL-encoded,
 * or embedded in base64url / base64 data), and anything token-shaped (JWTs, `Bearer …`, `refresh_token=…`).
 * @see security cases I1–I4 in docs; issue 7 items 1 and 2
 */

/** What a removed secret is replaced with. */
export const redactedMark = '[redacted]';

// Values shorter than this are not tokens (and would match ordinary words); every token the app meets is longer.
const minSecretLength = 16;
// How many characters of a form are looked up at once; a form is found by its last `probeLength` characters.
const probeLength = 12;
// Recent values kept; an access token lives an hour, a rotated refresh token is added again on each rotation.
const maxValues = 4096;
// Runs of characters a token, its URL encoding or base64 of it can consist of; only runs this long are searched.
const candidateRun = new RegExp(`[A-Za-z0-9\\-_.~+/=%]{${minSecretLength},}`, 'g');

interface Form {
  text: string;
  /** Base64 of data containing the value: the whole surrounding run is removed, since it decodes to the secret. */
  embedded: boolean;
}

/**
 * The token values the app holds or sent, in memory only; `scrub()` removes each of them from a text.
 * The app has one (`secretValues`) so that every exit sees the values every part issued.
 */
export class SecretValues {
  readonly #values = new Set<string>();
  // Forms by their last `probeLength` characters: JWTs of one IdP share their first ones (the header), not their last.
  readonly #byProbe = new Map<string, Form[]>();
  // Forms with characters outside the token alphabet (rare): removed by a plain search instead.
  readonly #unusual = new Set<string>();
  // No form is shorter: shorter runs of text are skipped at once.
  #shortest = Number.POSITIVE_INFINITY;

  /** Remembers a value (ignored when shorter than a token); adding one again keeps it longest. */
  add(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < minSecretLength) return;
    if (this.#values.delete(value)) return void this.#values.add(value);
    this.#values.add(value);
    for (const form of secretForms(value)) {
      this.#shortest = Math.min(this.#shortest, form.text.length);
      if (isTokenAlphabet(form.text)) this.#byProbe.set(probeOf(form), [...(this.#byProbe.get(probeOf(form)) ?? []), form]);
      else this.#unusual.add(form.text);
    }
    if (this.#values.size > maxValues) this.#forget(this.#values.values().next().value!);
  }

  get size(): number {
    return this.#values.size;
  }

  /** The text with every known value (and each of its encoded forms) replaced by `[redacted]`. */
  scrub(text: string): string {
    if (this.#values.size === 0 || text.length < minSecretLength) return text;
    let out = text;
    for (const form of this.#unusual) if (out.includes(form)) out = out.replaceAll(form, redactedMark);
    // Most text has no run of token characters as long as the shortest form: a plain scan says so faster than the regex.
    if (!hasTokenRun(out, this.#shortest)) return out;
    return out.replace(candidateRun, (run) => this.#scrubRun(run));
  }

  #scrubRun(run: string): string {
    if (run.length < this.#shortest) return run;
    let out = '';
    let copied = 0;
    for (let at = this.#shortest - probeLength; at + probeLength <= run.length; at += 1) {
      const candidates = this.#byProbe.get(run.slice(at, at + probeLength));
      const startOf = (form: Form) => at + probeLength - form.text.length;
      const form = candidates?.find((candidate) => startOf(candidate) >= copied && run.startsWith(candidate.text, startOf(candidate)));
      if (!form) continue;
      if (form.embedded) return redactedMark;
      out += `${run.slice(copied, startOf(form))}${redactedMark}`;
      copied = at + probeLength;
      at = copied - 1;
    }
    return copied === 0 ? run : out + run.slice(copied);
  }

  #forget(value: string): void {
    this.#values.delete(value);
    for (const form of secretForms(value)) {
      this.#unusual.delete(form.text);
      const rest = (this.#byProbe.get(probeOf(form)) ?? []).filter((candidate) => candidate.text !== form.text);
      if (rest.length > 0) this.#byProbe.set(probeOf(form), rest);
      else this.#byProbe.delete(probeOf(form));
    }
  }
}

const tokenCharCodes = new Uint8Array(128);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/=%') tokenCharCodes[char.charCodeAt(0)] = 1;

/** Whether the text holds `length` token-alphabet characters in a row (candidateRun's alphabet). */
function hasTokenRun(text: string, length: number): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 128 && tokenCharCodes[code] === 1) {
      if (++run >= length) return true;
    } else run = 0;
  }
  return false;
}

function probeOf(form: Form): string {
  return form.text.slice(-probeLength);
}

function isTokenAlphabet(value: string): boolean {
  return /^[A-Za-z0-9\-_.~+/=%]+$/.test(value);
}

/** The value as text may carry it: itself, URL-encoded, and base64url / base64 of data containing it. */
export function secretForms(value: string): Form[] {
  const forms = new Map<string, Form>();
  const add = (text: string, embedded: boolean) => {
    if (text.length >= minSecretLength && !forms.has(text)) forms.set(text, { text, embedded });
  };
  add(value, false);
  add(encodeURIComponent(value), false);
  for (const core of base64Cores(value)) {
    add(core, true);
    add(core.replaceAll('-', '+').replaceAll('_', '/'), true);
  }
  return [...forms.values()];
}

/**
 * Base64url of data containing the value starts at one of three offsets (mod 3); for each, the characters that
 * depend on the value's bytes alone. Found anywhere in a run, they mean the run decodes to data holding the value.
 */
function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64url');
    const start = [0, 2, 3][offset]!;
    const end = (offset + bytes.length) % 3 === 0 ? encoded.length : encoded.length - 1;
    return encoded.slice(start, end);
  });
}

// Token-shaped text, whoever's token it is (security case I1's patterns).
const tokenPatterns: [RegExp, string][] = [
  // JWS (3 parts) and JWE (5 parts) compact serializations: the whole token goes.
  [/eyJ[\w-]{2,}\.[\w-]*\.[\w-]*(?:\.[\w-]*\.[\w-]*)?/g, redactedMark],
  // RFC 6750 b64token after an auth scheme; `Bearer error="…"` and `realm="…"` (challenge parameters) stay.
  [/\b(Bearer|DPoP|Basic)(\s+)(?![A-Za-z_]+=")[A-Za-z0-9\-._~+/]{8,}=*/gi, `$1$2${redactedMark}`],
  // The app's own access keys (accessKeys.ts, prefix gmdk_), also those issued before this run (only digests are kept).
  [/\bgmdk_[A-Za-z0-9_-]{20,}/g, redactedMark],
  // Form and query parameters that always carry secrets. Not `code` or `state`: in an API's data they are ordinary
  // words (`?state=open`); the app's own authorization code is a known value, and logs drop URL queries (I2).
  [/\b(access_token|refresh_token|id_token|code_verifier|subject_token|actor_token|client_secret|password)=[^&\s"'\\<>]+/gi, `$1=${redactedMark}`],
];

// Each pattern above needs one of these; most text (every string of a tool result) has none, and one test is far
// cheaper than four replaces.
const tokenShapeHint = /eyJ|gmdk_|=|\b(?:bearer|dpop|basic)\s/i;

/** Removes token-shaped substrings (JWTs, auth-scheme credentials, secret query and form parameters). */
export function redactTokenShapes(text: string): string {
  if (!tokenShapeHint.test(text)) return text;
  return tokenPatterns.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

/** The app's one set of token values (one per process): auth, the token broker and the local authority add to it. */
export const secretValues = new SecretValues();

/**
 * The text without any secret: known token values in any of their forms, then anything token-shaped.
 * Every exit from the core (tool results, problems, warnings, logs, contract payloads, error messages) uses it.
 */
export function scrubSecrets(text: string, values: SecretValues = secretValues): string {
  return redactTokenShapes(values.scrub(text));
}

/**
 * A deep copy of a JSON-like value with every string scrubbed; the same object when nothing had to change, so the
 * common case allocates nothing.
 */
export function scrubValue<T>(value: T, values: SecretValues = secretValues): T {
  return scrubAny(value, values, 0) as T;
}

function scrubAny(value: unknown, values: SecretValues, depth: number): unknown {
  if (typeof value === 'string') return scrubSecrets(value, values);
  if (!value || typeof value !== 'object') return value;
  if (depth > 100) return scrubAsJson(value, values);
  if (Array.isArray(value)) {
    const items = value.map((item) => scrubAny(item, values, depth + 1));
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const scrubbed = scrubAny(item, values, depth + 1);
    if (scrubbed !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = scrubbed;
  }
  return copy ?? value;
}

// Deeper than a walk should go: scrub the JSON text (replacements never add quotes or backslashes) and parse it back.
function scrubAsJson(value: object, values: SecretValues): unknown {
  try {
    const json = JSON.stringify(value);
    const scrubbed = scrubSecrets(json, values);
    return scrubbed === json ? value : JSON.parse(scrubbed);
  } catch {
    return redactedMark;
  }
}

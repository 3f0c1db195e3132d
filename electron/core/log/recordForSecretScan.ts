import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { secretForms } from '../secrets/scrubSecrets.ts';

/**
 * The test run's secret scan (test/secret-scan) sets this to a run-scoped folder: every process of the run then
 * appends there what it logs, prints, sends over the contract and writes as state, and the demo IdP the fingerprints
 * of every token it issues; after the run the scan looks for those tokens in all of it. Unset in normal use: then
 * nothing is recorded anywhere.
 */
export const secretScanDirVariable = 'GRAPHQL_MCP_DESKTOP_SECRET_SCAN_DIR';

export type RecordedStream = 'log' | 'cli' | 'contract' | 'file';

// Files are recorded up to this size (an activity log is rewritten whole on every flush).
const maxRecordedChars = 1024 * 1024;

function scanDir(): string | undefined {
  return process.env[secretScanDirVariable] || undefined;
}

/**
 * Appends text that left the core to the run's record (no-op unless a secret scan runs). Pass a function when the
 * text costs something to build (a contract payload's JSON): it is built only while a scan runs.
 */
export function recordForSecretScan(stream: RecordedStream, text: string | (() => string)): void {
  const dir = scanDir();
  if (!dir) return;
  try {
    appendFileSync(path.join(dir, `${stream}-${process.pid}.txt`), `${(typeof text === 'function' ? text() : text).slice(0, maxRecordedChars)}\n`, { mode: 0o600 });
  } catch {
    // The run's folder is gone (the scan finished): nothing to record into.
  }
}

/** One way a token can appear in text, as a fingerprint: never the token, only its hash, length and last characters. */
export interface IssuedFingerprint {
  sha256: string;
  length: number;
  /** The last 12 characters: where a scan looks closer (a JWT's signature, or a few characters of an opaque token). */
  tail: string;
  /** Base64 of data holding the token: any run of text containing it counts. */
  embedded: boolean;
}

export const fingerprintTailLength = 12;

/** Fingerprints of a token and each of its encoded forms (scrubSecrets' forms). */
function fingerprintsOf(token: string): IssuedFingerprint[] {
  return secretForms(token).map(({ text, embedded }) => ({
    sha256: createHash('sha256').update(text).digest('hex'),
    length: text.length,
    tail: text.slice(-fingerprintTailLength),
    embedded,
  }));
}

/** Called by the IdPs of a test run for every token they issue (no-op unless a secret scan runs). */
export function recordIssuedToken(token: unknown): void {
  const dir = scanDir();
  if (!dir || typeof token !== 'string' || token.length < 16) return;
  const lines = fingerprintsOf(token).map((fingerprint) => JSON.stringify(fingerprint)).join('\n');
  try {
    appendFileSync(path.join(dir, `issued-${process.pid}.jsonl`), `${lines}\n`, { mode: 0o600 });
  } catch {
    // as above
  }
}

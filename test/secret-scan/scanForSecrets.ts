// The secret scan behind `npm test` (issue 7): every token the run's IdPs issued, and anything token-shaped, looked
// for in what the app logged, printed, sent to the window and wrote to disk, and in the run's throwaway HOME.
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fingerprintTailLength, secretScanDirVariable, type IssuedFingerprint } from '../../electron/core/log/recordForSecretScan.ts';

export interface SecretHit {
  /** The file (and for records, the stream) the secret was found in. */
  where: string;
  /** What was found, never the value: an issued token's fingerprint or the shape's name, and the line number. */
  what: string;
}

// Token-shaped text, whoever issued it (security case I1): a JWT, a bearer credential, a secret form parameter.
const tokenShapes: [string, RegExp][] = [
  ['JWT', /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/],
  ['Bearer credential', /\bBearer [A-Za-z0-9\-._~+/]{20,}=*/],
  ['access key', /\bgmdk_[A-Za-z0-9_-]{20,}/],
  ['token parameter', /\b(?:access_token|refresh_token|id_token|subject_token)=(?!\[redacted\])[^&\s"'\\]{16,}/],
];
const candidateRun = /[A-Za-z0-9\-_.~+/=%]{16,}/g;
// Skipped under the scanned folders: the keychain itself (where the refresh token belongs) and bulky caches.
const skippedDirs = new Set(['keyrings', 'node_modules', '.cache', '.git']);
const maxFileBytes = 8 * 1024 * 1024;

/** Issued tokens' fingerprints by their last characters, read from the IdPs' records in `recordDir`. */
export async function loadIssued(recordDir: string): Promise<Map<string, IssuedFingerprint[]>> {
  const byTail = new Map<string, IssuedFingerprint[]>();
  for (const name of (await readdir(recordDir)).filter((file) => file.startsWith('issued-'))) {
    for (const line of (await readFile(path.join(recordDir, name), 'utf8')).split('\n')) {
      const fingerprint = parseFingerprint(line);
      if (fingerprint) byTail.set(fingerprint.tail, [...(byTail.get(fingerprint.tail) ?? []), fingerprint]);
    }
  }
  return byTail;
}

function parseFingerprint(line: string): IssuedFingerprint | undefined {
  try {
    const value = JSON.parse(line) as IssuedFingerprint;
    return typeof value.sha256 === 'string' && typeof value.tail === 'string' ? value : undefined;
  } catch {
    return undefined; // a line cut short by a killed process
  }
}

/** The secrets in one text: issued tokens in any recorded form, and token shapes; each with its line number. */
export function findSecretsInText(text: string, issued: Map<string, IssuedFingerprint[]>): string[] {
  const found: string[] = [];
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  for (const match of text.matchAll(candidateRun)) {
    const hit = findIssuedInRun(match[0], issued);
    if (hit) found.push(`issued token (sha256 ${hit.sha256.slice(0, 12)}…, ${hit.length} chars${hit.embedded ? ', base64-embedded' : ''}) at line ${lineOf(match.index)}`);
  }
  for (const [shape, pattern] of tokenShapes) {
    const match = pattern.exec(text);
    if (match) found.push(`${shape} at line ${lineOf(match.index)}`);
  }
  return found;
}

function findIssuedInRun(run: string, issued: Map<string, IssuedFingerprint[]>): IssuedFingerprint | undefined {
  for (let at = 0; at + fingerprintTailLength <= run.length; at += 1) {
    const end = at + fingerprintTailLength;
    const hit = issued.get(run.slice(at, end))?.find((fingerprint) => end - fingerprint.length >= 0
      && createHash('sha256').update(run.slice(end - fingerprint.length, end)).digest('hex') === fingerprint.sha256);
    if (hit) return hit;
  }
  return undefined;
}

export interface ScanOptions {
  /** The run's record folder (recordForSecretScan): logs, CLI lines, contract payloads, state writes, issued tokens. */
  recordDir: string;
  /** Further folders to scan whole (the run's throwaway HOME and XDG folders), keychain files excepted. */
  roots?: string[];
}

/** Every secret found in the run's records and under `roots`. */
export async function scanForSecrets(options: ScanOptions): Promise<SecretHit[]> {
  const issued = await loadIssued(options.recordDir);
  const files = [
    ...(await readdir(options.recordDir)).filter((name) => !name.startsWith('issued-')).map((name) => path.join(options.recordDir, name)),
    ...(await Promise.all((options.roots ?? []).map((root) => listFiles(root)))).flat(),
  ];
  const hits: SecretHit[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const what of findSecretsInText(text, issued)) hits.push({ where: file, what });
  }
  return hits;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map(async (entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return skippedDirs.has(entry.name) ? [] : listFiles(full);
    if (!entry.isFile()) return [];
    return (await stat(full)).size <= maxFileBytes ? [full] : [];
  }));
  return nested.flat();
}

/** Creates the run's record folder (0700) and names it in the environment, which every process of the run inherits. */
export function openSecretScan(): string {
  const recordDir = mkdtempSync(path.join(os.tmpdir(), 'gmd-secret-scan-'));
  chmodSync(recordDir, 0o700);
  process.env[secretScanDirVariable] = recordDir;
  return recordDir;
}

/** Scans the run's records (and `roots`), prints the verdict, deletes the folder, and throws on any hit. */
export async function finishSecretScan(recordDir: string, roots: string[] = []): Promise<void> {
  try {
    const hits = await scanForSecrets({ recordDir, roots });
    const scanned = `logs, CLI output, contract payloads, state writes${roots.length > 0 ? ' and the throwaway HOME' : ''}`;
    process.stdout.write(`\nsecret scan: ${hits.length === 0 ? 'no token found' : `${hits.length} hit(s)`} in ${scanned}\n`);
    if (hits.length > 0) throw new Error(`secret scan found tokens:\n${hits.slice(0, 50).map((hit) => `  ${hit.where}: ${hit.what}`).join('\n')}`);
  } finally {
    rmSync(recordDir, { recursive: true, force: true });
    delete process.env[secretScanDirVariable];
  }
}

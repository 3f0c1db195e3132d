// Issue 7, secret scan: proves the scan can fail. A token planted in what the app logged, or base64-embedded in a
// state write, or anything token-shaped, is found; the run's teardown then throws.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordForSecretScan, recordIssuedToken, secretScanDirVariable } from '../../../electron/core/log/recordForSecretScan.ts';
import setup from '../../secret-scan/globalSetup.ts';
import { findSecretsInText, loadIssued, scanForSecrets } from '../../secret-scan/scanForSecrets.ts';

const runDir = process.env[secretScanDirVariable];
const scratch: string[] = [];
afterEach(() => {
  if (runDir) process.env[secretScanDirVariable] = runDir;
  else delete process.env[secretScanDirVariable];
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const issuedToken = 'Zk9wYXF1ZS1yZWZyZXNoLXRva2VuLWZvci10aGUtc2Nhbg';

function recordDirWith(token: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scan-test-'));
  scratch.push(dir);
  process.env[secretScanDirVariable] = dir;
  recordIssuedToken(token);
  return dir;
}

describe('scanForSecrets', () => {
  it('finds an issued token planted in a log record, exactly and base64url-embedded, by its fingerprint alone', async () => {
    const dir = recordDirWith(issuedToken);
    recordForSecretScan('log', `info: rotated ${issuedToken}`);
    recordForSecretScan('file', `/data/state.json\n{"blob":"${Buffer.from(`{"t":"${issuedToken}"}`).toString('base64url')}"}`);
    const hits = await scanForSecrets({ recordDir: dir });
    expect(hits.map((hit) => path.basename(hit.where).split('-')[0])).toEqual(['file', 'log']);
    expect(hits.map((hit) => hit.what)).toEqual([
      expect.stringMatching(/^issued token \(sha256 [0-9a-f]{12}…, \d+ chars, base64-embedded\) at line 2$/),
      expect.stringMatching(/^issued token \(sha256 [0-9a-f]{12}…, 46 chars\) at line 1$/),
    ]);
    expect(JSON.stringify(hits)).not.toContain(issuedToken);
  });

  it('finds token-shaped text no IdP of the run issued (a JWT, a bearer credential, a token parameter)', async () => {
    const issued = await loadIssued(recordDirWith(issuedToken));
    expect(findSecretsInText('x eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl y', issued)).toEqual(['JWT at line 1']);
    expect(findSecretsInText('a\nAuthorization: Bearer abcdefghijklmnopqrstuvwxyz', issued)).toEqual(['Bearer credential at line 2']);
    expect(findSecretsInText('grant_type=refresh_token&refresh_token=abcdefghijklmnop1234', issued)).toEqual(['token parameter at line 1']);
  });

  it('finds nothing in scrubbed text and in text without secrets', async () => {
    const issued = await loadIssued(recordDirWith(issuedToken));
    expect(findSecretsInText('info: token rejected: [redacted]; Bearer [redacted]; refresh_token=[redacted] internationalization', issued)).toEqual([]);
  });

  it('scans folders given as roots, but not the keychain files in them', async () => {
    const dir = recordDirWith(issuedToken);
    const home = mkdtempSync(path.join(os.tmpdir(), 'scan-home-'));
    scratch.push(home);
    writeFileSync(path.join(home, 'notes.txt'), `left behind: ${issuedToken}`);
    rmSync(path.join(home, 'keyrings'), { recursive: true, force: true });
    const hits = await scanForSecrets({ recordDir: dir, roots: [home] });
    expect(hits).toEqual([{ where: path.join(home, 'notes.txt'), what: expect.stringMatching(/^issued token/) }]);
  });
});

describe('the test run\'s secret scan (global teardown)', () => {
  it('fails the run when a token reached the log, and deletes its record folder either way', async () => {
    const teardown = setup();
    const dir = process.env[secretScanDirVariable]!;
    recordIssuedToken(issuedToken);
    recordForSecretScan('log', `error: upstream said ${issuedToken}`);
    await expect(teardown()).rejects.toThrow(/secret scan found tokens:[\s\S]*log-\d+\.txt: issued token/);
    expect(existsSync(dir)).toBe(false);
  });

  it('passes a run whose records hold no token', async () => {
    const teardown = setup();
    recordIssuedToken(issuedToken);
    recordForSecretScan('log', 'info: token rejected: [redacted]');
    await expect(teardown()).resolves.toBeUndefined();
  });
});

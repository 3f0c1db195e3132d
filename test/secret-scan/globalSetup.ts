// Vitest global setup for every run: opens the run's secret-scan record folder before any test starts, and after
// the last test scans it (and the throwaway HOME of scripts/with-keychain.sh) for every token the run's IdPs issued
// and for token-shaped text. Any hit fails the run. The folder, which holds only fingerprints of tokens and what the
// app itself printed or wrote, is deleted afterwards either way.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { secretScanDirVariable } from '../../electron/core/log/recordForSecretScan.ts';
import { scanForSecrets } from './scanForSecrets.ts';

/** The throwaway HOME and XDG folders when the run is inside scripts/with-keychain.sh; none otherwise. */
function throwawayRoots(): string[] {
  if (!process.env.HOME?.includes('with-keychain.')) return [];
  return [process.env.HOME, process.env.XDG_DATA_HOME, process.env.XDG_CONFIG_HOME, process.env.XDG_CACHE_HOME].filter((dir): dir is string => Boolean(dir));
}

export default function setup(): () => Promise<void> {
  const recordDir = mkdtempSync(path.join(os.tmpdir(), 'gmd-secret-scan-'));
  chmodSync(recordDir, 0o700);
  process.env[secretScanDirVariable] = recordDir;
  return async () => {
    try {
      const hits = await scanForSecrets({ recordDir, roots: throwawayRoots() });
      process.stdout.write(`\nsecret scan: ${hits.length === 0 ? 'no token found' : `${hits.length} hit(s)`} in logs, CLI output, contract payloads, state writes${throwawayRoots().length > 0 ? ' and the throwaway HOME' : ''}\n`);
      if (hits.length > 0) {
        throw new Error(`secret scan found tokens:\n${hits.slice(0, 50).map((hit) => `  ${hit.where}: ${hit.what}`).join('\n')}`);
      }
    } finally {
      rmSync(recordDir, { recursive: true, force: true });
      delete process.env[secretScanDirVariable];
    }
  };
}

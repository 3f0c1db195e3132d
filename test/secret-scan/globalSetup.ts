// Vitest global setup for every run: opens the run's secret-scan record folder before any test starts, and after
// the last test scans it (and the throwaway HOME of scripts/with-keychain.sh) for every token the run's IdPs issued
// and for token-shaped text. Any hit fails the run. The folder, which holds only fingerprints of tokens and what the
// app itself printed or wrote, is deleted afterwards either way.
import { finishSecretScan, openSecretScan } from './scanForSecrets.ts';

/** The throwaway HOME and XDG folders when the run is inside scripts/with-keychain.sh; none otherwise. */
function throwawayRoots(): string[] {
  if (!process.env.HOME?.includes('with-keychain.')) return [];
  return [process.env.HOME, process.env.XDG_DATA_HOME, process.env.XDG_CONFIG_HOME, process.env.XDG_CACHE_HOME].filter((dir): dir is string => Boolean(dir));
}

export default function setup(): () => Promise<void> {
  const recordDir = openSecretScan();
  return () => finishSecretScan(recordDir, throwawayRoots());
}

import { spawn } from 'node:child_process';

const openers: Partial<Record<NodeJS.Platform, [string, string[]]>> = {
  darwin: ['open', []],
  win32: ['rundll32', ['url.dll,FileProtocolHandler']],
  linux: ['xdg-open', []],
};

/**
 * Headless mode's `openExternal`: hands an already-checked URL to the platform opener as one argument, never through a
 * shell (CVE-2025-6514). Resolves even when no opener exists; the CLI prints the URL for the user anyway.
 */
export async function openWithPlatform(url: string): Promise<void> {
  const opener = openers[process.platform];
  if (!opener) return;
  await new Promise<void>((resolve) => {
    const child = spawn(opener[0], [...opener[1], url], { stdio: 'ignore', detached: true, shell: false });
    child.once('error', () => resolve());
    child.once('spawn', () => { child.unref(); resolve(); });
  });
}

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { coreBundleDirs } from '../build/fingerprintCoreSources.ts';

const root = path.join(import.meta.dirname, '..');

/** The modules exporting startCore: what ships (npm start's headless mode; Electron's main bundle holds the same
 * code) and what tests and development run (the TypeScript sources through Node's type stripping). */
export const coreModules = { bundle: path.join(root, coreBundleDirs.headless, 'startCore.js'), sources: path.join(root, 'electron/core/startCore.ts') };

/** Builds the bundle from the sources as they are, once per bench, so every row measures this tree's code (in a
 * child: rolldown stays out of the bench's own memory). */
export async function buildCoreBundle(): Promise<void> {
  await promisify(execFile)(process.execPath, [path.join(root, 'build/bundleCore.ts'), '--keep-recent-output'], { cwd: root });
}

import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder holding the app's package.json: the repository when run from source or `dist/`, the app folder inside
 * a packaged app. Shipped resources (operations/, the demo schemas, dist/renderer) resolve from here, so the same
 * code works from `electron/core/*.ts` and from the bundles' chunks (`dist/core/chunks/`, `dist/electron/`).
 */
export function findAppRoot(start: string = import.meta.dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`Invariant failed: no package.json above ${start}`);
  }
}

export const appRoot = findAppRoot();

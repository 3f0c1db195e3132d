import { existsSync } from 'node:fs';
import path from 'node:path';

export interface RealClientBinaries {
  codex?: string;
  claude?: string;
  /** Why a client is missing, printed by the tests that skip it. */
  missing: string[];
}

const repoBin = path.join(import.meta.dirname, '../../../node_modules/.bin');

/**
 * The real MCP clients from npm (@openai/codex, @anthropic-ai/claude-code): in `$REAL_CLIENTS_PREFIX/node_modules/.bin`
 * (what `npm run test:real-clients` installs) or this checkout's node_modules/.bin. They are not devDependencies:
 * together they unpack to about 660 MB.
 */
export function findRealClients(prefix = process.env.REAL_CLIENTS_PREFIX): RealClientBinaries {
  const dirs = [prefix && path.join(prefix, 'node_modules/.bin'), repoBin].filter((dir): dir is string => Boolean(dir));
  const find = (name: string) => dirs.map((dir) => path.join(dir, name)).find((file) => existsSync(file));
  const codex = find('codex');
  const claude = find('claude');
  const hint = 'run `npm run test:real-clients` (installs them into a cache folder) or set REAL_CLIENTS_PREFIX';
  const missing = [!codex && `@openai/codex not installed: ${hint}`, !claude && `@anthropic-ai/claude-code not installed: ${hint}`].filter((line): line is string => Boolean(line));
  return { codex, claude, missing };
}

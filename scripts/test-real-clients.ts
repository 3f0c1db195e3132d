// `npm run test:real-clients`: installs the real MCP clients from npm into a cache folder (not devDependencies: they
// unpack to about 660 MB) and runs test/integration/realClients.test.ts against them. Versions are the ones last
// verified here; pass others as arguments, e.g. `npm run test:real-clients -- @openai/codex@latest`. With
// `--install-only` it only installs (CI does that before `npm test`, with REAL_CLIENTS_PREFIX set to the same folder).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const verified = ['@openai/codex@0.171.0', '@anthropic-ai/claude-code@2.1.337'];
const args = process.argv.slice(2);
const installOnly = args.includes('--install-only');
const requested = args.filter((arg) => arg !== '--install-only');
const packages = requested.length > 0 ? requested : verified;
const cache = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
const prefix = process.env.REAL_CLIENTS_PREFIX ?? path.join(cache, 'graphql-mcp-desktop', 'real-clients');
mkdirSync(prefix, { recursive: true });

process.stdout.write(`Installing ${packages.join(', ')} into ${prefix}\n`);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const install = spawnSync(npm, ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', ...packages], { stdio: 'inherit' });
if (install.status !== 0 || installOnly) process.exit(install.status ?? 1);

const vitest = path.join(import.meta.dirname, '../node_modules/vitest/vitest.mjs');
const run = spawnSync(process.execPath, [vitest, 'run', 'test/integration/realClients.test.ts'], { stdio: 'inherit', env: { ...process.env, REAL_CLIENTS_PREFIX: prefix } });
process.exit(run.status ?? 1);

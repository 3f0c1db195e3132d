import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { ClientSetupView, SetupResultView, SetupTarget } from '../../ipc/contract.ts';
import { AppError } from '../errors.ts';
import { clientConfigPath, type SetupEnvironment } from './clientConfigPath.ts';
import type { BridgeCommand } from '../bridge/bridgeCommand.ts';
import { clientTargets, findClientTarget, type ClientTarget } from './clientTargets.ts';
import { replaceConfigFile } from './replaceConfigFile.ts';

export interface ClientSetupOptions {
  /** The MCP endpoint clients connect to (`http://127.0.0.1:<port>/mcp`). */
  endpoint: string;
  environment?: SetupEnvironment;
  /** The stdio bridge's command line, for Claude Desktop; without it Claude Desktop cannot be set up. */
  bridgeCommand?(): BridgeCommand;
  now?(): number;
}

/** This machine's OS, home and environment. */
export function currentEnvironment(): SetupEnvironment {
  return {
    platform: process.platform, home: homedir(), env: process.env,
    listDir: (dir) => (existsSync(dir) ? readdirSync(dir) : []),
  };
}

/** Every client: its snippet, its config file on this OS, and whether our entry is already there. */
export async function listClientSetups(options: ClientSetupOptions): Promise<ClientSetupView[]> {
  return Promise.all(clientTargets.map((target) => describeClientSetup(target, options)));
}

async function describeClientSetup(target: ClientTarget, options: ClientSetupOptions): Promise<ClientSetupView> {
  const file = clientConfigPath(target.target, options.environment ?? currentEnvironment());
  if (target.auth === 'bridge' && !options.bridgeCommand) {
    return { target: target.target, label: target.label, snippet: '', configPath: file, auth: target.auth, state: 'not-configured', message: bridgeMissing };
  }
  const entry = expectedEntry(target, options);
  const view: ClientSetupView = {
    target: target.target, label: target.label, snippet: target.snippet(options.endpoint, entry), configPath: file, auth: target.auth,
    state: 'not-configured', ...(target.deeplink ? { deeplink: target.deeplink(options.endpoint, entry) } : {}),
    ...(target.nextStep ? { nextStep: target.nextStep } : {}), ...(target.tip ? { tip: target.tip } : {}),
  };
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => error);
  if (text instanceof Error && text.code !== 'ENOENT') return { ...view, state: 'config-unreadable', message: `${file}: cannot be read (${text.code ?? 'error'})` };
  if (typeof text !== 'string') return { ...view, state: existsSync(path.dirname(file)) ? 'not-configured' : 'not-installed' };
  const { readEntry } = await importEditClientConfig();
  const read = readEntry(target.format, text, target.entryPath);
  if (!read.ok) return { ...view, state: 'config-unreadable', message: unreadableMessage(file, read) };
  return { ...view, state: isDeepStrictEqual(read.entry, entry) ? 'configured' : 'not-configured' };
}

/**
 * Writes our entry into one client's config (K3): other servers, unknown keys and comments kept; a backup of the
 * previous file; nothing written when the entry is already there; a file that does not parse is left alone and the
 * error says where.
 */
export async function applyClientSetup(targetName: SetupTarget, options: ClientSetupOptions): Promise<SetupResultView> {
  const target = findClientTarget(targetName);
  if (!target) throw new AppError('UI_REQUEST_REFUSED', `Unknown client "${String(targetName).slice(0, 40)}"`);
  const file = clientConfigPath(target.target, options.environment ?? currentEnvironment());
  const entry = expectedEntry(target, options);
  const before = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new AppError('SETUP_WRITE_FAILED', `Cannot read ${file} (${error.code ?? 'error'}); it was left alone`);
  });
  const { readEntry, writeEntry } = await importEditClientConfig();
  const read = readEntry(target.format, before ?? '', target.entryPath);
  if (!read.ok) throw new AppError('SETUP_CONFIG_UNREADABLE', `${unreadableMessage(file, read)}. Fix or remove it, then try again; it was left alone.`, { details: { file, line: read.line, column: read.column } });
  if (before !== undefined && isDeepStrictEqual(read.entry, entry)) return { target: target.target, configPath: file, changed: false };
  const text = writeEntry(target.format, before ?? '', target.entryPath, entry);
  const backupPath = await replaceConfigFile(file, text, { expected: before, now: options.now ?? Date.now }).catch((error: unknown) => {
    throw AppError.is(error) ? error : new AppError('SETUP_WRITE_FAILED', `Cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  });
  return { target: target.target, configPath: file, changed: true, ...(backupPath ? { backupPath } : {}) };
}

const bridgeMissing = 'The stdio bridge is not available in this build, so Claude Desktop cannot be set up';

function expectedEntry(target: ClientTarget, options: ClientSetupOptions): Record<string, unknown> {
  if (target.auth !== 'bridge') return target.entry(options.endpoint, undefined);
  if (!options.bridgeCommand) throw new AppError('NOT_AVAILABLE', bridgeMissing);
  return target.entry(options.endpoint, options.bridgeCommand());
}

function unreadableMessage(file: string, read: { line: number; column: number; reason: string }): string {
  return `${file}:${read.line}:${read.column}: ${read.reason}`;
}

/** jsonc-parser and toml-edit (WebAssembly, compiled on load): only the window's Connect a client needs them, never a start. */
function importEditClientConfig(): Promise<typeof import('./editClientConfig.ts')> {
  return import('./editClientConfig.ts');
}

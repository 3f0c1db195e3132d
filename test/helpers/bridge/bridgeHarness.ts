import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { appRoot } from '../../../electron/core/appRoot.ts';
import { appFolderName } from '../../../electron/core/config/defaultConfigPath.ts';

/** Node 24 from node_modules (the system Node may be older and lack type stripping). */
export const node24 = path.join(appRoot, 'node_modules', '.bin', 'node');

/** A throwaway XDG_CONFIG_HOME: the relay child finds the app's data folder under it, as a user's app would. */
export interface TempHome {
  configHome: string;
  /** `<configHome>/graphql-mcp-desktop`: what defaultDataDir() answers in a process with this XDG_CONFIG_HOME. */
  dataDir: string;
  remove(): Promise<void>;
}

export async function makeTempHome(): Promise<TempHome> {
  const configHome = await mkdtemp(path.join(os.tmpdir(), 'gmd-bridge-'));
  return { configHome, dataDir: path.join(configHome, appFolderName), remove: () => rm(configHome, { recursive: true, force: true }) };
}

/** The stdio transport an MCP client such as Claude Desktop would use: `node electron/core/cli.ts --stdio` as a child. */
export function bridgeTransport(home: TempHome): StdioClientTransport {
  return new StdioClientTransport({
    command: node24,
    args: [path.join('electron', 'core', 'cli.ts'), '--stdio'],
    cwd: appRoot,
    env: { XDG_CONFIG_HOME: home.configHome },
    stderr: 'pipe',
  });
}

/** Collects a child's stderr text. */
export function collectStderr(transport: StdioClientTransport): () => string {
  let text = '';
  transport.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return () => text;
}

export function bridgeClient(name = 'Claude Desktop (test)'): Client {
  return new Client({ name, version: '0.9.0' });
}

export const waitFor = async (check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** The relay as a raw child process, for what the SDK transport hides: exact stdout bytes, stderr and exit code. */
export interface RawRelay {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  send(message: unknown): void;
}

/** `npm start -- --stdio` without npm: scripts/start.ts hands --stdio to the relay (bridgeCommand() in a checkout). */
export function spawnRelay(home: TempHome): RawRelay {
  const child = spawn(node24, [path.join('scripts', 'start.ts'), '--stdio'], { cwd: appRoot, env: { PATH: process.env.PATH, XDG_CONFIG_HOME: home.configHome } });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited, send: (message) => child.stdin.write(`${JSON.stringify(message)}\n`) };
}

export const initializeRequest = (id: number, name = 'Claude Desktop (test)') => ({
  jsonrpc: '2.0', id, method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name, version: '0.9.0' } },
});

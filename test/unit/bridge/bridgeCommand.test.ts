import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bridgeCommand } from '../../../electron/core/bridge/bridgeCommand.ts';
import { bridgeSocketPath } from '../../../electron/core/bridge/bridgeSocketPath.ts';
import { isStdioLaunch } from '../../../electron/core/bridge/runStdioBridge.ts';

describe('bridgeCommand', () => {
  it('runs the packaged app itself with --stdio, so no Node install is needed', () => {
    expect(bridgeCommand({ install: 'packaged', execPath: '/Applications/GraphQL MCP Desktop.app/Contents/MacOS/GraphQL MCP Desktop' }))
      .toEqual({ command: '/Applications/GraphQL MCP Desktop.app/Contents/MacOS/GraphQL MCP Desktop', args: ['--stdio'] });
  });

  it('runs scripts/start.ts --stdio by absolute path with the running Node in a checkout', () => {
    expect(bridgeCommand({ install: 'checkout', execPath: '/repo/node_modules/node/bin/node', root: '/repo' }))
      .toEqual({ command: '/repo/node_modules/node/bin/node', args: [path.join('/repo', 'scripts', 'start.ts'), '--stdio'] });
  });

  it('detects a checkout when run by plain Node (tests, headless mode)', () => {
    const { command, args } = bridgeCommand();
    expect(command).toBe(process.execPath);
    expect(args.at(-1)).toBe('--stdio');
    expect(path.isAbsolute(args[0]!)).toBe(true);
  });
});

describe('bridgeSocketPath', () => {
  it('puts the socket in the run folder of the data directory', () => {
    expect(bridgeSocketPath({ dataDir: '/home/ada/.config/graphql-mcp-desktop', platform: 'linux' })).toBe('/home/ada/.config/graphql-mcp-desktop/run/bridge.sock');
  });

  it('uses a per-user named pipe on Windows, with the user name made safe for a pipe name', () => {
    expect(bridgeSocketPath({ platform: 'win32', user: 'ada' })).toBe('\\\\.\\pipe\\graphql-mcp-desktop-ada');
    expect(bridgeSocketPath({ platform: 'win32', user: 'CORP\\ada lovelace' })).toBe('\\\\.\\pipe\\graphql-mcp-desktop-CORP_ada_lovelace');
  });
});

describe('isStdioLaunch', () => {
  it('is true only when --stdio is an argument', () => {
    expect(isStdioLaunch(['/usr/bin/app', '--stdio'])).toBe(true);
    expect(isStdioLaunch(['electron', '.', '--config', 'x.yaml'])).toBe(false);
  });
});

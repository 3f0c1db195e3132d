import { parseArgs } from 'node:util';
import { formatProblem } from './config/AppConfig.ts';
import { AppError } from './errors.ts';
import { createLogger, type LogLevel } from './log/Logger.ts';
import { openWithPlatform } from './openWithPlatform.ts';
import { startCore } from './startCore.ts';

const usage = `Usage: npm start -- [--config FILE] [--port N] [--log-level error|warn|info|debug]
       npm start -- logout        sign out: revoke the refresh token and delete it from the keychain`;

/** Headless mode: the whole app without Electron, printing the lines a user acts on to stdout. */
export async function runCli(argv: string[]): Promise<number> {
  const parsed = parseCliArgs(argv);
  if ('error' in parsed) {
    process.stderr.write(`${parsed.error}\n${usage}\n`);
    return 2;
  }
  if (parsed.help) return void process.stdout.write(`${usage}\n`), 0;
  const logger = createLogger({ level: parsed.logLevel, write: (line) => process.stderr.write(line) });
  try {
    const core = await startCore({ configPath: parsed.config, port: parsed.port, logger, openExternal: openWithPlatform });
    for (const problem of core.problems()) process.stderr.write(`${formatProblem(problem)}\n`);
    core.bridge.subscribe((event, payload) => {
      if (event === 'problems:changed') for (const problem of payload as ReturnType<typeof core.problems>) process.stderr.write(`${formatProblem(problem)}\n`);
      if (event === 'tools:changed') process.stdout.write(`Tools changed: ${(payload as unknown[]).length} tools\n`);
    });
    if (core.mode === 'demo') process.stdout.write('No config file found: running the built-in demo (see README, "Config").\n');
    process.stdout.write(`MCP endpoint: ${core.endpoint}\n`);
    await waitForSignal();
    await core.close();
    return 0;
  } catch (error) {
    process.stderr.write(`${AppError.is(error) ? error.message : `Unexpected error: ${(error as Error).message}`}\n`);
    return 1;
  }
}

interface CliArgs { config?: string; port?: number; logLevel: LogLevel; help: boolean; command?: 'logout' }

function parseCliArgs(argv: string[]): CliArgs | { error: string } {
  try {
    const { values, positionals } = parseArgs({
      args: argv, allowPositionals: true,
      options: { config: { type: 'string' }, port: { type: 'string' }, 'log-level': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) return { error: `--port must be a whole number from 0 to 65535 (got "${values.port}")` };
    const logLevel = (values['log-level'] ?? 'info') as LogLevel;
    if (!['error', 'warn', 'info', 'debug'].includes(logLevel)) return { error: `--log-level must be error, warn, info or debug (got "${logLevel}")` };
    const [command, ...rest] = positionals;
    if (rest.length > 0 || (command !== undefined && command !== 'logout')) return { error: `Unknown command "${positionals.join(' ')}"` };
    return { config: values.config, port, logLevel, help: values.help ?? false, command };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); resolve(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

if (import.meta.main) process.exitCode = await runCli(process.argv.slice(2));

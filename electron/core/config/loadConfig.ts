import { readFile } from 'node:fs/promises';
import { AppError } from '../errors.ts';
import { formatProblem, type AppConfig, type Problem } from './AppConfig.ts';
import { parseConfig } from './parseConfig.ts';

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
}

/**
 * Reads and validates the config file. Rejects with AppError('CONFIG_INVALID') listing every problem
 * (file:line, key, what to fix) in the message and in `details.problems`; warnings come back with the config.
 */
export async function loadConfig(file: string, options: LoadConfigOptions = {}): Promise<{ config: AppConfig; warnings: Problem[] }> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    const code = error.code === 'ENOENT' ? 'CONFIG_NOT_FOUND' : 'CONFIG_INVALID';
    throw new AppError(code, `Cannot read the config file ${file}: ${error.code ?? error.message}`, { details: { file } });
  });
  const { config, problems } = parseConfig(text, { file, env: options.env ?? process.env });
  if (!config) {
    const errors = problems.filter((problem) => problem.severity === 'error');
    const message = `The config file has ${errors.length} problem${errors.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`;
    throw new AppError('CONFIG_INVALID', message, { details: { problems } });
  }
  return { config, warnings: problems };
}

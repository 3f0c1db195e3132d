import { open } from 'node:fs/promises';
import { AppError } from '../errors.ts';
import { formatProblem, type AppConfig, type Problem } from './AppConfig.ts';
import { configLimits } from './configLimits.ts';
import { parseConfig } from './parseConfig.ts';

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
}

/**
 * Reads and validates the config file. Rejects with AppError('CONFIG_INVALID') listing every problem
 * (file:line, key, what to fix) in the message and in `details.problems`; warnings come back with the config.
 */
export async function loadConfig(file: string, options: LoadConfigOptions = {}): Promise<{ config: AppConfig; warnings: Problem[] }> {
  const text = await readConfigText(file);
  const { config, problems } = parseConfig(text, { file, env: options.env ?? process.env });
  if (!config) {
    const errors = problems.filter((problem) => problem.severity === 'error');
    const message = `The config file has ${errors.length} problem${errors.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`;
    throw new AppError('CONFIG_INVALID', message, { details: { problems } });
  }
  return { config, warnings: problems };
}

/**
 * The file's text, refused before it is read when it is not a regular file or larger than the limit: parsing a
 * 48 MB YAML file took gigabytes, and a FIFO or device would never end.
 */
async function readConfigText(file: string): Promise<string> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    const code = error.code === 'ENOENT' ? 'CONFIG_NOT_FOUND' : 'CONFIG_INVALID';
    throw new AppError(code, `Cannot read the config file ${file}: ${error.code ?? error.message}`, { details: { file } });
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw tooBigOrOdd(file, `${file} is not a regular file`);
    if (info.size > configLimits.fileBytes) throw tooBigOrOdd(file, sizeMessage(file, info.size));
    // Read at most one byte past the limit, so a file that grows after the check is still refused.
    const buffer = Buffer.alloc(configLimits.fileBytes + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > configLimits.fileBytes) throw tooBigOrOdd(file, sizeMessage(file, bytesRead));
    return buffer.toString('utf8', 0, bytesRead);
  } finally {
    await handle.close();
  }
}

function sizeMessage(file: string, size: number): string {
  return `The config file ${file} is ${formatBytes(size)}; the limit is ${formatBytes(configLimits.fileBytes)}. Is this the right file? A config with a hundred APIs takes about 50 KB.`;
}

function tooBigOrOdd(file: string, message: string): AppError {
  const problem: Problem = { severity: 'error', file, message };
  return new AppError('CONFIG_INVALID', message, { details: { file, problems: [problem] } });
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

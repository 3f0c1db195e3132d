import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { SettingsPatch } from '../../ipc/contract.ts';
import { formatProblem, type AppConfig, type Problem } from '../config/AppConfig.ts';
import { parseConfig } from '../config/parseConfig.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log/Logger.ts';
import { replaceConfigFile } from '../setup/replaceConfigFile.ts';
import { applySettingsPatch } from './applySettingsPatch.ts';

export interface LiveConfigOptions {
  config: AppConfig;
  mode: 'demo' | 'config';
  /** Problems known at start (config warnings, and the app's own such as a taken port); shared, not copied. */
  startupProblems: Problem[];
  env: Record<string, string | undefined>;
  /** Puts a new, valid config into effect (tools, sign-in, approvals) without a restart. */
  apply(next: AppConfig, previous: AppConfig): Promise<void>;
  logger: Logger;
  /** How long edits settle before a reload; editors write files in several steps. */
  reloadDelayMs?: number;
}

/**
 * The config file as the running app follows it: watched, so an edit in an editor applies without a restart; a
 * broken edit keeps the last good config running and its problems are shown where they are (file, line, key);
 * Settings writes go through the same validation (parseConfig) before anything is written.
 */
export class LiveConfig {
  readonly #options: LiveConfigOptions;
  readonly #listeners = new Set<(event: 'config' | 'problems') => void>();
  #config: AppConfig;
  #configProblems: Problem[] | undefined;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #queue: Promise<void> = Promise.resolve();

  constructor(options: LiveConfigOptions) {
    this.#options = options;
    this.#config = options.config;
  }

  get config(): AppConfig {
    return this.#config;
  }

  /** False for the built-in demo: there is no file to write. */
  get writable(): boolean {
    return this.#options.mode === 'config' && this.#config.configPath !== undefined;
  }

  /** Config problems (of the last edit, when it was broken) and the app's own start-up warnings. */
  problems(): Problem[] {
    const file = this.#config.configPath;
    if (!this.#configProblems) return this.#options.startupProblems;
    return [...this.#options.startupProblems.filter((problem) => problem.file !== file), ...this.#configProblems];
  }

  /** `config`: a new config is in effect; `problems`: the problem list changed. */
  onChanged(listener: (event: 'config' | 'problems') => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Starts following the file (its folder, since editors save by renaming a new file over the old one). */
  watch(): void {
    const file = this.#config.configPath;
    if (!this.writable || !file || this.#watcher) return;
    try {
      this.#watcher = watch(path.dirname(file), (_event, name) => {
        if (!name || path.basename(String(name)) === path.basename(file)) this.#scheduleReload();
      });
      this.#watcher.on('error', () => this.#watcher?.close());
    } catch (error) {
      this.#options.logger.warn('cannot watch the config file; edits apply after a restart', { file, reason: (error as Error).message });
    }
  }

  /** Reads the file again and applies it when it is valid and different; serialized, so edits apply in order. */
  reload(): Promise<void> {
    this.#queue = this.#queue.then(() => this.#reload()).catch((error: unknown) => this.#options.logger.error('config reload failed', { error }));
    return this.#queue;
  }

  /** Writes a settings change into the file (comments and order kept) after validating it, then applies it. */
  async update(patch: SettingsPatch): Promise<void> {
    const file = this.#config.configPath;
    if (!this.writable || !file) throw new AppError('SETTINGS_READ_ONLY', "The built-in demo's settings are read-only: create a config file to change them (see the README)");
    const before = await readFile(file, 'utf8');
    const after = applySettingsPatch(before, patch);
    const { config, problems } = parseConfig(after, { file, env: this.#options.env });
    if (!config) throw invalid(problems);
    await replaceConfigFile(file, after, { expected: before, now: Date.now, backup: false });
    await this.reload();
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  async #reload(): Promise<void> {
    const file = this.#config.configPath;
    if (!file) return;
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => error);
    const parsed = typeof text === 'string' ? parseConfig(text, { file, env: this.#options.env }) : { problems: [{ severity: 'error' as const, file, message: `Cannot read the config file: ${text.code ?? text.message}` }] };
    if (!parsed.config) return this.#setProblems([...parsed.problems, { severity: 'error', file, message: 'The last good config keeps running until this file is fixed.' }]);
    const previous = this.#config;
    if (!isDeepStrictEqual(parsed.config, previous)) {
      await this.#options.apply(parsed.config, previous);
      this.#config = parsed.config;
      this.#options.logger.info('config applied', { file });
      this.#emit('config');
    }
    this.#setProblems(parsed.problems);
  }

  #setProblems(problems: Problem[]): void {
    if (this.#configProblems && isDeepStrictEqual(problems, this.#configProblems)) return;
    this.#configProblems = problems;
    this.#emit('problems');
  }

  #emit(event: 'config' | 'problems'): void {
    for (const listener of this.#listeners) listener(event);
  }

  #scheduleReload(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.reload(), this.#options.reloadDelayMs ?? 150);
  }
}

function invalid(problems: Problem[]): AppError {
  const errors = problems.filter((problem) => problem.severity === 'error');
  return new AppError('CONFIG_INVALID', `Not saved: ${errors.map(formatProblem).join('\n')}`, { details: { problems } });
}

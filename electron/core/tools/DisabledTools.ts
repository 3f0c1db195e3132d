import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log/Logger.ts';
import { writeFileAtomic } from '../store/writeFileAtomic.ts';

/**
 * The tools the user turned off in the window, kept in the data dir so they stay off after a restart (and after a
 * hot reload brings them back from their .graphql files).
 */
export class DisabledTools {
  readonly #file: string;
  readonly #names: Set<string>;

  private constructor(file: string, names: Set<string>) {
    this.#file = file;
    this.#names = names;
  }

  static async load(dataDir: string, logger?: Logger): Promise<DisabledTools> {
    const file = path.join(dataDir, 'disabled-tools.json');
    const text = await readFile(file, 'utf8').catch(() => undefined);
    let names: unknown = [];
    try {
      names = text === undefined ? [] : (JSON.parse(text) as { disabled?: unknown }).disabled;
    } catch {
      logger?.warn('disabled tools file is not JSON; every tool is enabled', { file });
    }
    return new DisabledTools(file, new Set(Array.isArray(names) ? names.filter((name): name is string => typeof name === 'string') : []));
  }

  names(): string[] {
    return [...this.#names];
  }

  async set(name: string, enabled: boolean): Promise<void> {
    if (enabled) this.#names.delete(name);
    else this.#names.add(name);
    await writeFileAtomic(this.#file, `${JSON.stringify({ version: 1, disabled: [...this.#names].sort() }, null, 2)}\n`);
  }
}

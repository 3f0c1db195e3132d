import { isMap, isScalar, isSeq, LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Problem } from './AppConfig.ts';

/**
 * Walks the YAML syntax tree (not the plain JS value) so every problem names the file, the line and the key.
 * Readers never throw: they record a problem and return undefined, so all problems are reported at once.
 */
export class ConfigReader {
  readonly problems: Problem[] = [];
  readonly file: string;
  readonly #lines: LineCounter;

  constructor(file: string, lines: LineCounter) {
    this.file = file;
    this.#lines = lines;
  }

  lineOf(node: Node | null | undefined): number | undefined {
    const offset = node?.range?.[0];
    return offset === undefined ? undefined : this.#lines.linePos(offset).line;
  }

  report(node: Node | null | undefined, key: string, message: string, severity: Problem['severity'] = 'error'): undefined {
    this.problems.push({ severity, message, file: this.file, line: this.lineOf(node), key: key || undefined });
    return undefined;
  }

  /** Returns the map's pairs by key, reporting unknown keys (with a suggestion) and duplicates. */
  map(node: Node | null | undefined, key: string, allowed: readonly string[]): Map<string, Pair<unknown, Node | null>> | undefined {
    if (!isMap(node)) return this.report(node, key, `${describe(key)} must be a mapping (key: value lines)`);
    const pairs = new Map<string, Pair<unknown, Node | null>>();
    for (const pair of (node as YAMLMap<unknown, Node | null>).items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const where = joinKey(key, name);
      if (!allowed.includes(name)) this.report(pair.key as Node, where, unknownKeyMessage(name, allowed));
      else pairs.set(name, pair);
    }
    return pairs;
  }

  /** Like `map` but any key is allowed (headers, customScalars). */
  record(node: Node | null | undefined, key: string): Map<string, Pair<unknown, Node | null>> | undefined {
    if (!isMap(node)) return this.report(node, key, `${describe(key)} must be a mapping (key: value lines)`);
    const pairs = new Map<string, Pair<unknown, Node | null>>();
    for (const pair of (node as YAMLMap<unknown, Node | null>).items) pairs.set(isScalar(pair.key) ? String(pair.key.value) : String(pair.key), pair);
    return pairs;
  }

  seq(node: Node | null | undefined, key: string): (Node | null)[] | undefined {
    if (isSeq(node)) return node.items as (Node | null)[];
    return this.report(node, key, `${describe(key)} must be a list`);
  }

  string(node: Node | null | undefined, key: string, pattern?: { regex: RegExp; hint: string }): string | undefined {
    if (!isScalar(node) || typeof node.value !== 'string') return this.report(node, key, `${describe(key)} must be a string`);
    if (pattern && !pattern.regex.test(node.value)) return this.report(node, key, `${describe(key)} ${pattern.hint} (got "${node.value}")`);
    return node.value;
  }

  integer(node: Node | null | undefined, key: string, min: number, max: number): number | undefined {
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.report(node, key, `${describe(key)} must be a whole number`);
    if (value < min || value > max) return this.report(node, key, `${describe(key)} must be between ${min} and ${max} (got ${value})`);
    return value;
  }

  boolean(node: Node | null | undefined, key: string): boolean | undefined {
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    return this.report(node, key, `${describe(key)} must be true or false`);
  }

  oneOf<T extends string>(node: Node | null | undefined, key: string, values: readonly T[]): T | undefined {
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
    return this.report(node, key, `${describe(key)} must be one of ${values.join(', ')}`);
  }

  strings(node: Node | null | undefined, key: string): string[] | undefined {
    const items = this.seq(node, key);
    if (!items) return undefined;
    const out = items.map((item, index) => this.string(item, `${key}[${index}]`));
    return out.every((value) => value !== undefined) ? (out as string[]) : undefined;
  }
}

export function joinKey(parent: string, child: string): string {
  return parent ? `${parent}.${child}` : child;
}

function describe(key: string): string {
  return key ? `"${key}"` : 'The config';
}

function unknownKeyMessage(name: string, allowed: readonly string[]): string {
  const close = allowed.find((candidate) => editDistance(candidate.toLowerCase(), name.toLowerCase()) <= 2);
  return `unknown key "${name}"${close ? ` (did you mean "${close}"?)` : ''}; allowed keys: ${allowed.join(', ')}`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

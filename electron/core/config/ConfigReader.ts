import { isAlias, isMap, isScalar, isSeq, LineCounter, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Problem } from './AppConfig.ts';
import { configLimits } from './configLimits.ts';

/**
 * Walks the YAML syntax tree (not the plain JS value) so every problem names the file, the line and the key.
 * Readers never throw: they record a problem and return undefined, so all problems are reported at once.
 * YAML aliases (`*name`) are resolved to their anchored node wherever a value is read, within a budget.
 */
export class ConfigReader {
  readonly problems: Problem[] = [];
  readonly file: string;
  readonly #lines: LineCounter;
  readonly #doc: Document | undefined;
  #aliasBudget: number = configLimits.aliases;

  constructor(file: string, lines: LineCounter, doc?: Document) {
    this.file = file;
    this.#lines = lines;
    this.#doc = doc;
  }

  /**
   * The node an alias points to (the node itself otherwise). Nested anchors can make a small file expand
   * exponentially, so dereferences are budgeted; past the budget the alias is reported once and read as missing.
   */
  resolve(node: Node | null | undefined, key: string): Node | null {
    if (!isAlias(node)) return node ?? null;
    if (this.#aliasBudget-- === 0) this.report(node, key, `the file uses aliases (*name) more than ${configLimits.aliases} times; write the values out instead`);
    if (this.#aliasBudget < 0 || !this.#doc) return null;
    return (node.resolve(this.#doc) as Node | undefined) ?? null;
  }

  /** The plain JS value of a (mapping) node, aliases inside it resolved; undefined (reported) past the alias budget. */
  toJS(node: Node, key: string): unknown {
    try {
      return this.#doc ? node.toJS(this.#doc, { maxAliasCount: configLimits.aliases }) : node.toJSON();
    } catch {
      return this.report(node, key, `"${key}" expands its aliases (*name) too often; write the values out instead`);
    }
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
  map(raw: Node | null | undefined, key: string, allowed: readonly string[]): Map<string, Pair<unknown, Node | null>> | undefined {
    const node = this.resolve(raw, key);
    if (!isMap(node)) return this.report(node, key, `${describe(key)} must be a mapping (key: value lines)`);
    const pairs = new Map<string, Pair<unknown, Node | null>>();
    for (const pair of this.#items(node as YAMLMap<unknown, Node | null>, key)) {
      const name = keyName(pair);
      const where = joinKey(key, name);
      if (!allowed.includes(name)) this.report(pair.key as Node, where, unknownKeyMessage(name, allowed));
      else pairs.set(name, pair);
    }
    return pairs;
  }

  /** Like `map` but any key is allowed (headers, customScalars). */
  record(raw: Node | null | undefined, key: string, max: number = configLimits.listItems): Map<string, Pair<unknown, Node | null>> | undefined {
    const node = this.resolve(raw, key);
    if (!isMap(node)) return this.report(node, key, `${describe(key)} must be a mapping (key: value lines)`);
    if (node.items.length > max) return this.report(node, key, `${describe(key)} has ${node.items.length} entries; the limit is ${max}`);
    const pairs = new Map<string, Pair<unknown, Node | null>>();
    for (const pair of this.#items(node as YAMLMap<unknown, Node | null>, key)) pairs.set(keyName(pair), pair);
    return pairs;
  }

  /**
   * A mapping's pairs with YAML merge keys expanded (`<<: *base` or `<<: [*a, *b]`, as YAML 1.1 defines them and
   * anchored configs use them): the mapping's own keys win, then earlier merged mappings over later ones.
   * @see https://yaml.org/type/merge.html
   */
  #items(node: YAMLMap<unknown, Node | null>, key: string): Pair<unknown, Node | null>[] {
    const own = node.items.filter((pair) => keyName(pair) !== '<<');
    const merge = node.items.find((pair) => keyName(pair) === '<<');
    if (!merge) return own;
    const value = this.resolve(merge.value, joinKey(key, '<<'));
    const sources = isSeq(value) ? value.items.map((item) => this.resolve(item as Node | null, joinKey(key, '<<'))) : [value];
    const merged = [...own];
    for (const source of sources) {
      if (!isMap(source)) {
        this.report(source, joinKey(key, '<<'), `"<<" merges mappings only: write "<<: *name" where &name marks a mapping`);
        continue;
      }
      for (const pair of this.#items(source as YAMLMap<unknown, Node | null>, key)) if (!merged.some((each) => keyName(each) === keyName(pair))) merged.push(pair);
    }
    return merged;
  }

  seq(raw: Node | null | undefined, key: string): (Node | null)[] | undefined {
    const node = this.resolve(raw, key);
    if (!isSeq(node)) return this.report(node, key, `${describe(key)} must be a list`);
    if (node.items.length > configLimits.listItems) return this.report(node, key, `${describe(key)} has ${node.items.length} items; the limit is ${configLimits.listItems}`);
    return node.items as (Node | null)[];
  }

  string(raw: Node | null | undefined, key: string, pattern?: { regex: RegExp; hint: string }): string | undefined {
    const node = this.resolve(raw, key);
    if (!isScalar(node) || typeof node.value !== 'string') return this.report(node, key, `${describe(key)} must be a string`);
    if (node.value.length > configLimits.stringLength) return this.report(node, key, tooLong(key, node.value.length, configLimits.stringLength, 'characters'));
    if (pattern && !pattern.regex.test(node.value)) return this.report(node, key, `${describe(key)} ${pattern.hint} (got "${node.value}")`);
    return node.value;
  }

  integer(raw: Node | null | undefined, key: string, min: number, max: number): number | undefined {
    const node = this.resolve(raw, key);
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.report(node, key, `${describe(key)} must be a whole number`);
    if (value < min || value > max) return this.report(node, key, `${describe(key)} must be between ${min} and ${max} (got ${value})`);
    return value;
  }

  boolean(raw: Node | null | undefined, key: string): boolean | undefined {
    const node = this.resolve(raw, key);
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    return this.report(node, key, `${describe(key)} must be true or false`);
  }

  oneOf<T extends string>(raw: Node | null | undefined, key: string, values: readonly T[]): T | undefined {
    const node = this.resolve(raw, key);
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

/** "…" is N characters long; the limit is M: the one wording for every size limit on a value. */
export function tooLong(key: string, size: number, limit: number, unit: string): string {
  return `${describe(key)} is ${size} ${unit} long; the limit is ${limit} ${unit}`;
}

function keyName(pair: Pair<unknown, unknown>): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
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

import { applyEdits, modify, parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { edit as editToml, initSync, parse as parseToml } from '@rainbowatcher/toml-edit-js';

export type ConfigFormat = 'json' | 'toml';

/** A client config as read: the value at our entry's path (undefined when absent), or where the file fails to parse. */
export type ReadEntryResult = { ok: true; entry: unknown } | { ok: false; line: number; column: number; reason: string };

let tomlReady = false;

/** Reads the value at `entryPath` of a JSONC or TOML document; an empty document has no entry. */
export function readEntry(format: ConfigFormat, text: string, entryPath: string[]): ReadEntryResult {
  const parsed = format === 'json' ? parseJsoncDocument(text) : parseTomlDocument(text);
  if (!parsed.ok) return parsed;
  let value: unknown = parsed.value;
  for (const key of entryPath) value = isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
  return { ok: true, entry: value };
}

/**
 * Sets our entry and changes nothing else: JSONC through jsonc-parser's modify/applyEdits (comments, other servers
 * and unknown keys stay), TOML through toml_edit (a table of its own next to the other servers, comments kept).
 * Call only on text `readEntry` could parse.
 */
export function writeEntry(format: ConfigFormat, text: string, entryPath: string[], entry: Record<string, unknown>): string {
  if (format === 'toml') {
    ensureToml();
    return editToml(text, entryPath.join('.'), entry, { inline: false });
  }
  const formattingOptions = { tabSize: detectIndent(text), insertSpaces: !/^\t/m.test(text), eol: text.includes('\r\n') ? '\r\n' : '\n' };
  const out = applyEdits(text, modify(text, entryPath, entry, { formattingOptions }));
  return out.endsWith('\n') || text.length > 0 ? out : `${out}\n`;
}

function parseJsoncDocument(text: string): { ok: true; value: unknown } | Extract<ReadEntryResult, { ok: false }> {
  if (text.trim() === '') return { ok: true, value: {} };
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors[0]) return { ok: false, ...lineAndColumn(text, errors[0].offset), reason: printParseErrorCode(errors[0].error) };
  if (!isObject(value)) return { ok: false, line: 1, column: 1, reason: 'the top level is not a JSON object' };
  return { ok: true, value };
}

function parseTomlDocument(text: string): { ok: true; value: unknown } | Extract<ReadEntryResult, { ok: false }> {
  ensureToml();
  try {
    return { ok: true, value: parseToml(text) as unknown };
  } catch (error) {
    const message = String(error);
    const at = /line (\d+), column (\d+)/.exec(message);
    const reason = message.split('\n').map((line) => line.trim()).filter(Boolean).at(-1) ?? 'not valid TOML';
    return { ok: false, line: Number(at?.[1] ?? 1), column: Number(at?.[2] ?? 1), reason };
  }
}

// The WASM module loads synchronously from the package folder, once, the first time a TOML file is touched.
function ensureToml(): void {
  if (tomlReady) return;
  initSync();
  tomlReady = true;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

function detectIndent(text: string): number {
  const match = /^( +)\S/m.exec(text);
  return match ? match[1]!.length : 2;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

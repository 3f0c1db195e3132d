import { parse } from 'yaml';

// Line tables beyond this size skip the merge (a config is a few hundred lines): the LCS table is lines × lines.
const maxCells = 4_000_000;

/**
 * The yaml Document API keeps comments and key order but re-spaces what it prints (`{file: x}` becomes `{ file: x }`,
 * `key:   value  # note` loses its padding). This puts the user's own text back on every line the edit did not touch:
 * `normalized` is `original` printed by the Document API unchanged, `updated` is the edited print. A line of `updated`
 * that the longest common subsequence pairs with a line of `normalized` is replaced by that line of `original`. The
 * result is used only when `original` and `normalized` have the same lines one for one and it parses to exactly the
 * data `updated` holds; otherwise `updated` is returned as is. Pure.
 * @see https://eemeli.org/yaml/#documents
 */
export function keepUntouchedLines(original: string, normalized: string, updated: string): string {
  const before = original.split('\n');
  const printed = normalized.split('\n');
  const after = updated.split('\n');
  if (before.length !== printed.length || printed.length * after.length > maxCells) return updated;
  const paired = pairCommonLines(printed, after);
  const merged = after.map((line, index) => (paired[index] === undefined ? line : before[paired[index]!]!)).join('\n');
  return sameData(merged, updated) ? merged : updated;
}

/** For each line of `b`, the index of the line of `a` it is paired with by a longest common subsequence, if any. */
function pairCommonLines(a: string[], b: string[]): (number | undefined)[] {
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lengths[i * width + j] = a[i] === b[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const paired: (number | undefined)[] = new Array(b.length).fill(undefined);
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) paired[j++] = i++;
    else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) i += 1;
    else j += 1;
  }
  return paired;
}

function sameData(a: string, b: string): boolean {
  try {
    return JSON.stringify(parse(a)) === JSON.stringify(parse(b));
  } catch {
    return false;
  }
}

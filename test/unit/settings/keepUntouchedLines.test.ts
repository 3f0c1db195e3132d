import { describe, expect, it } from 'vitest';
import { keepUntouchedLines } from '../../../electron/core/settings/keepUntouchedLines.ts';

describe('keepUntouchedLines', () => {
  it('puts the original text back on the lines the edit left alone and keeps the edited and new lines', () => {
    const original = 'a:   1   # one\nb: {x: 2}\n';
    const normalized = 'a: 1 # one\nb: { x: 2 }\n';
    const updated = 'a: 1 # one\nb: { x: 3 }\nc: 4\n';
    expect(keepUntouchedLines(original, normalized, updated)).toBe('a:   1   # one\nb: { x: 3 }\nc: 4\n');
  });

  it('returns the edited print as is when the original and its print do not correspond line for line', () => {
    const original = 'list: [1,\n  2]\n';
    const normalized = 'list: [ 1, 2 ]\n';
    const updated = 'list: [ 1, 2 ]\nmore: true\n';
    expect(keepUntouchedLines(original, normalized, updated)).toBe(updated);
  });

  it('returns the edited print as is when the merged text would hold other data', () => {
    // A line paired by text can mean something else next to new lines: here the original's 4-space nesting.
    const original = 'a:\n    b: 1\n';
    const normalized = 'a:\n  b: 1\n';
    const updated = 'a:\n  b: 1\n  c: 2\n';
    expect(keepUntouchedLines(original, normalized, updated)).toBe(updated);
  });
});

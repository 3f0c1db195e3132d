import { describe, expect, it } from 'vitest';
import { formatCountdown, mostSevere, showInvisible } from '../../../renderer/src/lib/format.ts';

describe('showInvisible', () => {
  it('makes bidi overrides, zero-width and control characters visible as code points', () => {
    expect(showInvisible('VS Code\u202Eevil')).toBe('VS Code⟨U+202E⟩evil');
    expect(showInvisible('a\u200Bb\u0007c\nd')).toBe('a⟨U+200B⟩b⟨U+0007⟩c⟨U+000A⟩d');
    expect(showInvisible('Claude Code')).toBe('Claude Code');
  });
});

describe('formatCountdown', () => {
  it('shows minutes and seconds left, never below zero', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    expect(formatCountdown('2026-12-07T12:01:05Z', now)).toBe('1:05');
    expect(formatCountdown('2026-12-07T11:59:00Z', now)).toBe('0:00');
  });
});

describe('mostSevere', () => {
  it('prefers an audience error to a config warning', () => {
    const attention = mostSevere(
      [{ api: 'directory', severity: 'error', code: 'AUDIENCE_MISMATCH', message: 'refused', fix: 'use exchange' }],
      [{ severity: 'warning', message: 'skipped', file: 'a.graphql', line: 1 }],
    );
    expect(attention).toEqual({ severity: 'error', title: 'API directory: AUDIENCE_MISMATCH', message: 'refused', fix: 'use exchange' });
  });
});

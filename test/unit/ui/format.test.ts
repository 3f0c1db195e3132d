import { describe, expect, it } from 'vitest';
import { bySeverity, describeAuth, formatTime, problemLocation } from '../../../renderer/src/lib/format.ts';

describe('problemLocation', () => {
  it('names file and line, the file alone, or the API', () => {
    expect(problemLocation({ severity: 'error', message: 'm', file: 'ops/a.graphql', line: 3 })).toBe('ops/a.graphql:3');
    expect(problemLocation({ severity: 'error', message: 'm', file: 'config.yaml' })).toBe('config.yaml');
    expect(problemLocation({ severity: 'warning', message: 'm', api: 'acme' })).toBe('API acme');
    expect(problemLocation({ severity: 'warning', message: 'm' })).toBe('');
  });
});

describe('describeAuth', () => {
  it('says who is signed in and why sign-in cannot work', () => {
    expect(describeAuth({ state: 'signed-in', sub: 'alice' })).toBe('Signed in as alice');
    expect(describeAuth({ state: 'keychain-unavailable', reason: 'no Secret Service' })).toBe('Keychain unavailable: no Secret Service');
    expect(describeAuth({ state: 'error', code: 'AUTH_IDP_UNREACHABLE', message: 'IdP down' })).toBe('Sign-in problem: IdP down');
    expect(describeAuth(undefined)).toBe('Checking sign-in…');
  });
});

describe('formatTime', () => {
  it('falls back to the raw text when it is not a date', () => {
    expect(formatTime('not a date')).toBe('not a date');
  });

  it('shows only the time for today and includes the date otherwise', () => {
    const now = new Date('2026-11-30T12:00:00');
    expect(formatTime('2026-11-30T10:05:00', now)).not.toMatch(/2026|26/);
    expect(formatTime('2026-11-20T10:05:00', now)).toMatch(/20|11/);
  });
});

describe('bySeverity', () => {
  it('puts errors first, then warnings, then info, keeping the reported order within each', () => {
    const items = [
      { severity: 'info', id: 1 },
      { severity: 'warning', id: 2 },
      { severity: 'error', id: 3 },
      { severity: 'info', id: 4 },
      { severity: 'error', id: 5 },
    ];
    expect(bySeverity(items).map((item) => item.id)).toEqual([3, 5, 2, 1, 4]);
    expect(items[0]?.id).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { createWarningsTracker, formatAudienceWarning } from '../../../electron/core/auth/createWarningsTracker.ts';
import type { AudienceWarning } from '../../../electron/core/auth/analyzeAudience.ts';
import { apiFixture } from './apiFixture.ts';

const apis = [apiFixture('legacy', { strategy: 'passthrough', audience: 'https://legacy.example' }), apiFixture('open', { strategy: 'none' })];
const mismatch: AudienceWarning = {
  api: 'legacy', severity: 'error', code: 'audience-mismatch', message: 'The token is for urn:app, not https://legacy.example',
  expected: 'https://legacy.example', actual: 'urn:app', fix: 'Use strategy exchange',
};

describe('createWarningsTracker', () => {
  it('starts from config findings, lets token findings replace them, and notifies only on change', () => {
    const tracker = createWarningsTracker({ apis, now: () => 0, metadata: () => undefined });
    const seen: string[][] = [];
    tracker.onChanged((warnings) => seen.push(warnings.map((warning) => warning.code)));
    expect(tracker.all().map((warning) => warning.code)).toEqual(['passthrough-configured']);
    tracker.publish();
    tracker.publish();
    tracker.set('legacy', [mismatch]);
    tracker.set('legacy', [mismatch]);
    tracker.clear();
    expect(seen).toEqual([['passthrough-configured'], ['audience-mismatch'], ['passthrough-configured']]);
  });
});

describe('formatAudienceWarning', () => {
  it('prints severity, API, message, expected/actual and the fix on one line', () => {
    expect(formatAudienceWarning(mismatch)).toBe(
      'error: api legacy: The token is for urn:app, not https://legacy.example [expected https://legacy.example, actual urn:app] (fix: Use strategy exchange)',
    );
  });
});

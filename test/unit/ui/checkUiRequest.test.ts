import { describe, expect, it } from 'vitest';
import { checkApiRequest, digestToken, hasLaunchToken, ownOriginFor } from '../../../electron/core/ui/checkUiRequest.ts';

const token = 'launch-token-123';
const digest = digestToken(token);

describe('ownOriginFor', () => {
  it('returns the origin when Host is loopback on our port', () => {
    expect(ownOriginFor('127.0.0.1:4100', 4100)).toBe('http://127.0.0.1:4100');
    expect(ownOriginFor('LOCALHOST:4100', 4100)).toBe('http://localhost:4100');
  });

  it('refuses a rebinding name, another port or a missing Host', () => {
    expect(ownOriginFor('evil.example:4100', 4100)).toBeUndefined();
    expect(ownOriginFor('127.0.0.1:4101', 4100)).toBeUndefined();
    expect(ownOriginFor('127.0.0.1', 4100)).toBeUndefined();
    expect(ownOriginFor(undefined, 4100)).toBeUndefined();
  });
});

describe('hasLaunchToken', () => {
  it('accepts the launch token as a bearer token', () => {
    expect(hasLaunchToken(`Bearer ${token}`, digest)).toBe(true);
  });

  it('refuses a wrong, longer, differently cased or schemeless token', () => {
    expect(hasLaunchToken('Bearer launch-token-124', digest)).toBe(false);
    expect(hasLaunchToken(`Bearer ${token}x`, digest)).toBe(false);
    expect(hasLaunchToken(`Basic ${token}`, digest)).toBe(false);
    expect(hasLaunchToken(token, digest)).toBe(false);
    expect(hasLaunchToken(undefined, digest)).toBe(false);
  });
});

describe('checkApiRequest', () => {
  const good = { host: '127.0.0.1:4100', authorization: `Bearer ${token}` };

  it('accepts a same-origin request with the token, with or without Origin', () => {
    expect(checkApiRequest({ ...good, origin: 'http://127.0.0.1:4100' }, 4100, digest)).toEqual({ ok: true, origin: 'http://127.0.0.1:4100' });
    expect(checkApiRequest(good, 4100, digest).ok).toBe(true);
  });

  it('answers 403 for a foreign Origin even with the token, including another port on 127.0.0.1', () => {
    expect(checkApiRequest({ ...good, origin: 'http://evil.example' }, 4100, digest)).toMatchObject({ ok: false, status: 403 });
    expect(checkApiRequest({ ...good, origin: 'http://127.0.0.1:9999' }, 4100, digest)).toMatchObject({ ok: false, status: 403 });
    expect(checkApiRequest({ ...good, origin: 'null' }, 4100, digest)).toMatchObject({ ok: false, status: 403 });
  });

  it('answers 403 for a foreign Host before looking at the token', () => {
    expect(checkApiRequest({ host: 'evil.example:4100' }, 4100, digest)).toMatchObject({ ok: false, status: 403 });
  });

  it('answers 401 when the token is missing or wrong', () => {
    expect(checkApiRequest({ host: good.host }, 4100, digest)).toMatchObject({ ok: false, status: 401 });
    expect(checkApiRequest({ host: good.host, authorization: 'Bearer nope' }, 4100, digest)).toMatchObject({ ok: false, status: 401 });
  });
});

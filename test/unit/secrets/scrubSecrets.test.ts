// Issue 7, items 1 and 2: nothing that leaves the core carries a token, whatever form it takes in the text.
import { describe, expect, it } from 'vitest';
import { redactTokenShapes, scrubSecrets, scrubValue, SecretValues } from '../../../electron/core/secrets/scrubSecrets.ts';

const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl';
const opaque = 'pQ7vX2kLmN9rT4sW8yZ1aB3cD5eF6gH0jK_-iU';

function valuesWith(...tokens: string[]): SecretValues {
  const values = new SecretValues();
  for (const token of tokens) values.add(token);
  return values;
}

describe('SecretValues.scrub', () => {
  it('removes a known value given exactly, inside other text', () => {
    expect(valuesWith(opaque).scrub(`token rejected: ${opaque}.`)).toBe('token rejected: [redacted].');
  });

  it('removes a known value URL-encoded in a query string', () => {
    const odd = 'abc/def+ghi=jkl:mno!pqr';
    const text = `https://api.example/cb?t=${encodeURIComponent(odd)}&x=1`;
    expect(valuesWith(odd).scrub(text)).toBe('https://api.example/cb?t=[redacted]&x=1');
  });

  it('removes a known value with characters no token alphabet has, given exactly', () => {
    const odd = 'secret with spaces: 1234567890';
    expect(valuesWith(odd).scrub(`echo <${odd}>`)).toBe('echo <[redacted]>');
  });

  it('removes base64url data that embeds a known value, at every byte offset', () => {
    const values = valuesWith(opaque);
    for (const prefix of ['', 'a', 'ab', '{"act":{"token":"']) {
      const blob = Buffer.from(`${prefix}${opaque}"}`).toString('base64url');
      expect(values.scrub(`state=${blob}`)).not.toContain(blob.slice(4, -4));
      expect(values.scrub(`x ${blob} y`)).toBe('x [redacted] y');
    }
  });

  it('removes standard base64 data that embeds a known value', () => {
    const blob = Buffer.from(`??>${opaque}`).toString('base64');
    expect(valuesWith(opaque).scrub(`Basic: ${blob}`)).toBe('Basic: [redacted]');
  });

  it('leaves text without secrets as it is, also long words and ids', () => {
    const text = 'internationalization 0123456789abcdef0123 https://api.example/graphql?id=42';
    expect(valuesWith(opaque, jwt).scrub(text)).toBe(text);
  });

  it('ignores values too short to be tokens, so ordinary words are never removed', () => {
    const values = valuesWith('alice', 'short-value');
    expect(values.size).toBe(0);
    expect(values.scrub('alice has a short-value here')).toBe('alice has a short-value here');
  });

  it('forgets the oldest values beyond its cap instead of growing without bound', () => {
    const values = new SecretValues();
    for (let index = 0; index < 5000; index += 1) values.add(`token-${String(index).padStart(12, '0')}`);
    expect(values.size).toBe(4096);
    expect(values.scrub('token-000000000000')).toBe('token-000000000000');
    expect(values.scrub('token-000000004999')).toBe('[redacted]');
  });
});

describe('redactTokenShapes', () => {
  it('removes a JWT whole instead of appending [redacted] to it (issue 7, item 2)', () => {
    expect(redactTokenShapes('t eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig')).toBe('t [redacted]');
  });

  it('removes the credential after Bearer, DPoP and Basic but keeps challenge parameters', () => {
    expect(redactTokenShapes('Authorization: Bearer abc123def456ghi')).toBe('Authorization: Bearer [redacted]');
    expect(redactTokenShapes('DPoP mF_9.B5f-4.1JqM')).toBe('DPoP [redacted]');
    expect(redactTokenShapes('WWW-Authenticate: Bearer error="invalid_token"')).toBe('WWW-Authenticate: Bearer error="invalid_token"');
  });

  it('removes secret query and form parameters but keeps the parameter names', () => {
    expect(redactTokenShapes('grant_type=refresh_token&refresh_token=8xLOxBtZp8')).toBe('grant_type=refresh_token&refresh_token=[redacted]');
    expect(redactTokenShapes('code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r&client_secret=s3cr3t')).toBe('code_verifier=[redacted]&client_secret=[redacted]');
  });

  it("leaves an API's ordinary code and state parameters alone (a URL in tool data must stay usable)", () => {
    expect(redactTokenShapes('https://github.com/o/r/issues?state=open&code=utf8')).toBe('https://github.com/o/r/issues?state=open&code=utf8');
  });
});

describe('scrubSecrets', () => {
  it('removes known values and token shapes in one pass', () => {
    const values = valuesWith(opaque);
    expect(scrubSecrets(`got ${opaque} and ${jwt}`, values)).toBe('got [redacted] and [redacted]');
  });
});

describe('scrubValue', () => {
  it('scrubs every string of a nested value and returns the same object when nothing changed', () => {
    const values = valuesWith(opaque);
    const clean = { data: { list: ['a', 'b'], n: 1 } };
    expect(scrubValue(clean, values)).toBe(clean);
    const dirty = { content: [{ type: 'text', text: `x ${opaque}` }], structuredContent: { errors: [{ message: `token ${jwt}` }] } };
    expect(scrubValue(dirty, values)).toEqual({ content: [{ type: 'text', text: 'x [redacted]' }], structuredContent: { errors: [{ message: 'token [redacted]' }] } });
    expect(dirty.content[0]!.text).toBe(`x ${opaque}`);
  });

  it('scrubs values nested deeper than the walk goes', () => {
    let deep: unknown = { message: `token ${jwt}` };
    for (let level = 0; level < 300; level += 1) deep = { next: deep };
    expect(JSON.stringify(scrubValue(deep))).not.toContain(jwt);
  });
});

describe('redactTokenShapes, local access keys', () => {
  it('removes an access key of the app (gmdk_…) even when this run did not issue it', () => {
    expect(redactTokenShapes('key gmdk_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_xyz used')).toBe('key [redacted] used');
  });
});

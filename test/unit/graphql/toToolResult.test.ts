import { describe, expect, it } from 'vitest';
import { errorResult, toToolResult } from '../../../electron/core/graphql/toToolResult.ts';

const textOf = (result: { content: unknown[] }) => (result.content[0] as { text: string }).text;

describe('toToolResult', () => {
  it('returns data as structuredContent and compact JSON text when the response has no errors', () => {
    const result = toToolResult(200, JSON.stringify({ data: { hello: 'hi' } }));
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toEqual({ data: { hello: 'hi' } });
    expect(textOf(result)).toBe('{"data":{"hello":"hi"}}');
  });

  it('marks the result isError, lists messages and keeps partial data when GraphQL errors are present', () => {
    const body = { data: { a: 1, b: null }, errors: [{ message: 'b failed', path: ['b'] }, { message: 'also bad' }] };
    const result = toToolResult(200, JSON.stringify(body));
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toEqual(body);
    expect(textOf(result)).toContain('- b failed (at b)');
    expect(textOf(result)).toContain('- also bad');
    expect(textOf(result)).toContain('"a":1');
  });

  it('keeps GraphQL errors and names the status when a 4xx carries a GraphQL response', () => {
    const result = toToolResult(400, JSON.stringify({ errors: [{ message: 'Cannot query field "x"' }] }));
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('HTTP 400');
    expect(textOf(result)).toContain('Cannot query field "x"');
    expect(result.structuredContent).toEqual({ data: null, errors: [{ message: 'Cannot query field "x"' }] });
  });

  it('drops extensions when the response has them', () => {
    const result = toToolResult(200, JSON.stringify({ data: { a: 1 }, extensions: { cost: 3 } }));
    expect(result.structuredContent).toEqual({ data: { a: 1 } });
  });

  it('returns isError without structuredContent when the body is not JSON', () => {
    const result = toToolResult(200, 'hello');
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(textOf(result)).toContain('not a GraphQL response');
  });

  it('returns isError when JSON is not a GraphQL response', () => {
    for (const body of ['[1,2]', '{"foo":1}', '{"errors":"nope"}', 'null', '5']) {
      expect(toToolResult(200, body).isError, body).toBe(true);
    }
  });

  it('returns isError when the response is nested too deeply to re-encode', () => {
    const result = toToolResult(200, `{"data":{"a":${'['.repeat(200_000)}${']'.repeat(200_000)}}}`);
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
  });

  it('names the status and echoes no HTML when an error page comes back', () => {
    const result = toToolResult(500, '<html><body>Internal Server Error at /srv/secret/path</body></html>');
    expect(textOf(result)).toBe('The GraphQL API answered with HTTP 500.');
  });

  it('echoes a short redacted single-line snippet when a plain-text error comes back', () => {
    const body = `upstream broke\nAuthorization: Bearer abc.def.ghi ${'x'.repeat(1000)}`;
    const text = textOf(toToolResult(502, body));
    expect(text).toContain('HTTP 502');
    expect(text).toContain('upstream broke');
    expect(text).not.toContain('abc.def.ghi');
    expect(text).not.toContain('\n');
    expect(text.length).toBeLessThan(300);
  });
});

describe('errorResult', () => {
  it('wraps text in an isError result when given a message', () => {
    expect(errorResult('nope')).toEqual({ content: [{ type: 'text', text: 'nope' }], isError: true });
  });
});

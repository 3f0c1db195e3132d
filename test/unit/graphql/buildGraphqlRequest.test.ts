import { describe, expect, it } from 'vitest';
import { buildGraphqlRequest } from '../../../electron/core/graphql/buildGraphqlRequest.ts';

const base = {
  endpoint: 'https://api.example/graphql',
  headers: {},
  document: 'query Hello($name: String) { hello(name: $name) }',
  operationName: 'Hello',
  variables: { name: 'Ada' },
};

describe('buildGraphqlRequest', () => {
  it('builds a JSON POST with the GraphQL-over-HTTP Accept when given an operation', () => {
    const { url, init } = buildGraphqlRequest(base);
    expect(url).toBe('https://api.example/graphql');
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' });
    expect(JSON.parse(init.body)).toEqual({ query: base.document, variables: { name: 'Ada' }, operationName: 'Hello' });
  });

  it('sends no Authorization header when no token is given', () => {
    expect(Object.keys(buildGraphqlRequest(base).init.headers)).not.toContain('authorization');
  });

  it('adds a Bearer Authorization header when a token is given', () => {
    expect(buildGraphqlRequest({ ...base, token: 'tok-123' }).init.headers.authorization).toBe('Bearer tok-123');
  });

  it('keeps static config headers but lets the token and content type win when they collide', () => {
    const headers = { 'X-Api-Key': 'k', Authorization: 'Basic static', 'Content-Type': 'text/plain', Host: 'evil.example' };
    const built = buildGraphqlRequest({ ...base, headers, token: 'tok' }).init.headers;
    expect(built).toEqual({
      'x-api-key': 'k',
      authorization: 'Bearer tok',
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    });
  });

  it('keeps the document fixed when variables contain GraphQL syntax (G8)', () => {
    const injection = '"} } mutation { deleteAll } query { x(a: "';
    const { init } = buildGraphqlRequest({ ...base, variables: { name: injection } });
    const body = JSON.parse(init.body);
    expect(body.query).toBe(base.document);
    expect(body.variables.name).toBe(injection);
  });
});

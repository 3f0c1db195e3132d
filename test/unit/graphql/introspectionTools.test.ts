import { describe, expect, it } from 'vitest';
import { introspectionToolDefinitions } from '../../../electron/core/graphql/introspectionTools.ts';
import { validateArguments } from '../../../electron/core/graphql/validateArguments.ts';
import { testApi } from './testApi.ts';

describe('introspectionToolDefinitions', () => {
  it('defines only the enabled tools, named with the API\'s tool prefix', () => {
    const api = testApi({ toolPrefix: 'gh_', introspection: { introspect: true, search: false, validate: true, execute: false } });
    expect(introspectionToolDefinitions(api).map((tool) => tool.name)).toEqual(['gh_introspect', 'gh_validate']);
  });

  it('returns the same definition objects for the same API config, so validators compile once', () => {
    const api = testApi();
    expect(introspectionToolDefinitions(api)[0]).toBe(introspectionToolDefinitions(api)[0]);
  });

  it('says in execute\'s description and annotations whether mutations are allowed', () => {
    const execute = (mutations: 'none' | 'explicit' | 'all') => introspectionToolDefinitions(testApi({ mutations })).find((tool) => tool.name === 'execute');
    expect(execute('none')?.description).toContain('mutations are disabled for this API');
    expect(execute('none')?.annotations).toMatchObject({ readOnlyHint: true });
    expect(execute('explicit')?.description).toContain('mutations are allowed only through the dedicated operation tools');
    expect(execute('all')?.description).toContain('Queries and mutations are allowed');
    expect(execute('all')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
  });

  it('accepts the arguments callIntrospectionTool reads and refuses others', () => {
    const byName = new Map(introspectionToolDefinitions(testApi()).map((tool) => [tool.name, tool.inputSchema]));
    const check = (name: string, args: unknown) => validateArguments(byName.get(name) ?? {}, args);
    expect(check('introspect', { type: 'User', depth: 2 })).toEqual([]);
    expect(check('introspect', { type: 'User', depth: 4 })).toEqual(['/depth: must be <= 3']);
    expect(check('search', { query: 'pull request', limit: 5 })).toEqual([]);
    expect(check('search', { query: '' })).toEqual(['/query: must NOT have fewer than 1 characters']);
    expect(check('validate', { operation: '{ a }' })).toEqual([]);
    expect(check('execute', { query: '{ a }', variables: { id: 1 }, operationName: 'A' })).toEqual([]);
    expect(check('execute', { query: '{ a }', headers: {} })).toEqual(['/: must NOT have additional property "headers"']);
  });
});

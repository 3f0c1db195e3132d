import type { ApiConfig } from '../../../electron/core/config/AppConfig.ts';

/** A minimal ApiConfig for graphql unit tests; no sign-in, all introspection tools on. */
export function testApi(overrides: Partial<ApiConfig> = {}): ApiConfig {
  return {
    name: 'acme',
    toolPrefix: '',
    endpoint: 'http://127.0.0.1:4000/graphql',
    schema: { file: 'schema.graphql' },
    operations: [],
    mutations: 'none',
    introspection: { introspect: true, search: true, validate: true, execute: true },
    headers: {},
    customScalars: {},
    timeoutMs: 5000,
    token: { strategy: 'none' },
    ...overrides,
  };
}

import type { ApiConfig } from '../../electron/core/config/AppConfig.ts';

/** The one ApiConfig builder for tests: no sign-in, no introspection tools, nothing loaded from disk, unless overridden. */
export function makeApiConfig(overrides: Partial<ApiConfig> = {}): ApiConfig {
  return {
    name: 'test',
    toolPrefix: '',
    endpoint: 'http://127.0.0.1:4000/graphql',
    schema: { introspect: true },
    operations: [],
    mutations: 'none',
    introspection: { introspect: false, search: false, validate: false, execute: false },
    headers: {},
    customScalars: {},
    timeoutMs: 5000,
    token: { strategy: 'none' },
    ...overrides,
  };
}

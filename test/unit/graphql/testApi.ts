import { makeApiConfig } from '../../helpers/makeApiConfig.ts';
import type { ApiConfig } from '../../../electron/core/config/AppConfig.ts';

/** A minimal ApiConfig for graphql unit tests; no sign-in, all introspection tools on. */
export function testApi(overrides: Partial<ApiConfig> = {}): ApiConfig {
  return makeApiConfig({
    name: 'acme',
    schema: { file: 'schema.graphql' },
    introspection: { introspect: true, search: true, validate: true, execute: true },
    ...overrides,
  });
}

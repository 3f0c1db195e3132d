import { makeApiConfig } from '../../helpers/makeApiConfig.ts';
import type { ApiConfig, ApiTokenConfig } from '../../../electron/core/config/AppConfig.ts';

/** A minimal API config for auth tests. */
export function apiFixture(name: string, token: ApiTokenConfig, endpoint = `https://${name}.example/graphql`): ApiConfig {
  return makeApiConfig({ name, toolPrefix: name, endpoint, timeoutMs: 10_000, token });
}

/** An unsigned JWT-shaped token with the given claims (the broker reads, never verifies, its own tokens). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'at+jwt' })}.${part(claims)}.c2ln`;
}

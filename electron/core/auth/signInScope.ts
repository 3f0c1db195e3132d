import type { ApiConfig, SignInConfig } from '../config/AppConfig.ts';

/**
 * What the sign-in asks for: scopes (openid, offline_access, the configured ones and every `resource`-strategy API's
 * scopes) and the RFC 8707 resources (the app's own plus every `resource`-strategy API), since an IdP only lets a
 * refresh token reach resources granted at sign-in.
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.1
 */
export interface SignInRequest {
  scope: string;
  resources: string[];
}

/** Builds the sign-in scope and resource list from config. Pure. */
export function buildSignInRequest(signIn: SignInConfig, apis: ApiConfig[]): SignInRequest {
  const resourceApis = apis.filter((api) => api.token.strategy === 'resource' && api.token.audience);
  const scopes = ['openid', 'offline_access', ...signIn.scopes, ...resourceApis.flatMap((api) => api.token.scopes ?? [])];
  const resources = [...(signIn.resource ? [signIn.resource] : []), ...resourceApis.map((api) => api.token.audience!)];
  return { scope: unique(scopes).join(' '), resources: unique(resources) };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

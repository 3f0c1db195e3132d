import type { ApiConfig } from '../config/AppConfig.ts';
import { isLoopbackHttp } from './checkExternalUrl.ts';
import { tokenExchangeGrantType } from './exchangeToken.ts';
import { audiencesOf, decodeJwtClaims } from './jwtClaims.ts';

export type AudienceWarningCode =
  | 'audience-mismatch'
  | 'audience-missing'
  | 'audience-multiple'
  | 'audience-not-configured'
  | 'token-opaque'
  | 'token-lifetime-long'
  | 'exchange-not-advertised'
  | 'passthrough-configured'
  | 'insecure-endpoint'
  | 'insecure-issuer';

/** One finding about what an API would receive; never contains the token itself. */
export interface AudienceWarning {
  api: string;
  /** `error`: the call is refused; `warning`: sent, but something needs fixing; `info`: a design note. */
  severity: 'error' | 'warning' | 'info';
  code: AudienceWarningCode;
  message: string;
  expected?: string;
  actual?: string;
  fix: string;
}

/** The IdP metadata fields the analysis reads (a subset of RFC 8414 metadata). */
export interface IssuerMetadata {
  issuer: string;
  grant_types_supported?: string[];
  introspection_endpoint?: string;
}

export interface AnalyzeAudienceInput {
  api: ApiConfig;
  metadata?: IssuerMetadata;
  /** The token that would be sent to the API. */
  token?: string;
  /** RFC 7662 introspection confirmed this token's audience (makes an opaque token verifiable). */
  introspectedAudience?: string[];
  now: number;
}

/** Above this an access token lives "unusually long" (security case C12). */
export const maxTokenLifetimeSeconds = 24 * 60 * 60;

/**
 * Everything that can be said about whether `api` receives a token minted for its audience, from config, IdP
 * metadata and the token that would be sent. Pure; the broker refuses a call when any finding is an `error`.
 * @see https://www.rfc-editor.org/rfc/rfc8707, https://www.rfc-editor.org/rfc/rfc8693, security cases C1–C5, C12
 */
export function analyzeAudience(input: AnalyzeAudienceInput): AudienceWarning[] {
  const { api } = input;
  if (api.token.strategy === 'none') return analyzeEndpoint(api);
  return [
    ...analyzeConfig(api, input.metadata),
    ...analyzeEndpoint(api),
    ...(input.token !== undefined && api.token.audience ? analyzeToken(api, api.token.audience, input) : []),
  ];
}

function warning(api: ApiConfig, fields: Omit<AudienceWarning, 'api'>): AudienceWarning {
  return { api: api.name, ...fields };
}

function analyzeConfig(api: ApiConfig, metadata: IssuerMetadata | undefined): AudienceWarning[] {
  const out: AudienceWarning[] = [];
  if (!api.token.audience) {
    out.push(warning(api, {
      severity: 'error', code: 'audience-not-configured',
      message: `API ${api.name} uses strategy ${api.token.strategy} but names no audience, so no token can be checked`,
      fix: `Set apis.${api.name}.token.audience to the API's resource URI`,
    }));
  }
  if (api.token.strategy === 'passthrough') {
    out.push(warning(api, {
      severity: 'info', code: 'passthrough-configured',
      message: `API ${api.name} receives the sign-in token itself, and only when its audience names this API`,
      fix: 'Prefer strategy exchange or resource so the API gets a token minted for it alone',
    }));
  }
  if (api.token.strategy === 'exchange' && metadata && !metadata.grant_types_supported?.includes(tokenExchangeGrantType)) {
    out.push(warning(api, {
      severity: 'warning', code: 'exchange-not-advertised',
      message: `The identity provider does not advertise the token-exchange grant that API ${api.name} is configured for`,
      expected: tokenExchangeGrantType, actual: (metadata.grant_types_supported ?? []).join(' ') || '(none listed)',
      fix: 'Enable RFC 8693 token exchange for this client at the IdP, or use strategy resource',
    }));
  }
  if (metadata && isInsecure(metadata.issuer)) {
    out.push(warning(api, {
      severity: 'warning', code: 'insecure-issuer',
      message: `The identity provider ${originOf(metadata.issuer)} is reached over plain http outside loopback`,
      actual: originOf(metadata.issuer), fix: 'Use an https issuer',
    }));
  }
  return out;
}

function analyzeEndpoint(api: ApiConfig): AudienceWarning[] {
  if (!isInsecure(api.endpoint)) return [];
  return [warning(api, {
    severity: 'warning', code: 'insecure-endpoint',
    message: `API ${api.name} is called over plain http outside loopback; its token could be read on the network`,
    actual: originOf(api.endpoint), fix: `Use an https endpoint for ${api.name}`,
  })];
}

function analyzeToken(api: ApiConfig, expected: string, input: AnalyzeAudienceInput): AudienceWarning[] {
  const claims = decodeJwtClaims(input.token!);
  if (!claims) return analyzeOpaque(api, expected, input.introspectedAudience);
  const audiences = audiencesOf(claims);
  const out: AudienceWarning[] = [];
  if (audiences.length === 0) {
    out.push(warning(api, {
      severity: 'error', code: 'audience-missing', expected,
      message: `The token for API ${api.name} has no aud claim, so it is not bound to this API; the call is refused`,
      fix: `Make the IdP issue tokens with aud = ${expected} (RFC 8707 resource indicators)`,
    }));
  } else if (!audiences.includes(expected)) {
    out.push(mismatch(api, expected, audiences));
  } else if (audiences.length > 1) {
    out.push(warning(api, {
      severity: 'warning', code: 'audience-multiple', expected, actual: audiences.join(' '),
      message: `The token for API ${api.name} is also valid at other audiences, so those services could replay it here`,
      fix: 'Configure the IdP to issue single-audience tokens (one resource per token request)',
    }));
  }
  out.push(...analyzeLifetime(api, claims.iat, claims.exp, input.now));
  return out;
}

function mismatch(api: ApiConfig, expected: string, actual: string[]): AudienceWarning {
  return warning(api, {
    severity: 'error', code: 'audience-mismatch', expected, actual: actual.join(' '),
    message: `The token for API ${api.name} is for ${actual.join(', ')}, not ${expected}; the call is refused`,
    fix: api.token.strategy === 'passthrough'
      ? `Use strategy exchange or resource for ${api.name}, or set signIn.resource to ${expected} if the sign-in token is meant for it`
      : `Check that the IdP honours the resource/audience parameter and knows ${expected}`,
  });
}

function analyzeOpaque(api: ApiConfig, expected: string, introspected: string[] | undefined): AudienceWarning[] {
  if (introspected?.includes(expected)) return [];
  if (introspected) return [mismatch(api, expected, introspected)];
  return [warning(api, {
    severity: 'warning', code: 'token-opaque', expected, actual: '(opaque token)',
    message: `The token for API ${api.name} is not a JWT, so its audience cannot be verified`,
    fix: 'Ask the IdP for JWT access tokens (resource indicators) or enable RFC 7662 introspection for this client',
  })];
}

function analyzeLifetime(api: ApiConfig, iat: unknown, exp: unknown, now: number): AudienceWarning[] {
  if (typeof exp !== 'number') return [];
  const from = typeof iat === 'number' ? iat : Math.floor(now / 1000);
  const lifetime = exp - from;
  if (lifetime <= maxTokenLifetimeSeconds) return [];
  return [warning(api, {
    severity: 'warning', code: 'token-lifetime-long',
    expected: `<= ${maxTokenLifetimeSeconds} s`, actual: `${lifetime} s`,
    message: `The token for API ${api.name} stays valid for ${Math.round(lifetime / 3600)} hours; a leaked token stays useful that long`,
    fix: 'Shorten the access token lifetime for this resource at the IdP',
  })];
}

function isInsecure(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' && !isLoopbackHttp(parsed) && parsed.hostname !== '[::1]' && parsed.hostname !== 'localhost';
  } catch {
    return false;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

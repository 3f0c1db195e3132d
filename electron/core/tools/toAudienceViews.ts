import type { AudienceView } from '../../ipc/contract.ts';
import type { AudienceWarning } from '../auth/analyzeAudience.ts';
import type { AuthState } from '../auth/AuthState.ts';
import type { ApiConfig } from '../config/AppConfig.ts';

const mismatchCodes = new Set(['audience-mismatch', 'audience-missing', 'audience-not-configured']);

/**
 * Per API: how its token is obtained, the audience it must carry and what the findings say about the one it would
 * get. Built from config, sign-in state and audience findings only: never from a token.
 */
export function toAudienceViews(apis: readonly ApiConfig[], warnings: readonly AudienceWarning[], auth: AuthState): AudienceView[] {
  return apis.map((api) => {
    const own = warnings.filter((warning) => warning.api === api.name);
    const named = own.find((warning) => warning.actual && warning.code.startsWith('audience-'));
    return {
      api: api.name, strategy: api.token.strategy,
      ...(api.token.audience ? { expectedAudience: api.token.audience } : {}),
      ...(named?.actual ? { actualAudience: named.actual.split(' ') } : {}),
      state: stateOf(api, own, auth),
      warnings: own.map(({ api: name, severity, code, message, expected, actual, fix }) => ({ api: name, severity, code, message, expected, actual, fix })),
    };
  });
}

function stateOf(api: ApiConfig, warnings: readonly AudienceWarning[], auth: AuthState): AudienceView['state'] {
  if (api.token.strategy === 'none') return 'not-needed';
  if (warnings.some((warning) => mismatchCodes.has(warning.code))) return 'mismatch';
  if (warnings.some((warning) => warning.code === 'token-opaque')) return 'unverifiable';
  return auth.status === 'signed-in' ? 'ok' : 'no-token';
}

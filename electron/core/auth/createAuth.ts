import type { AppConfig } from '../config/AppConfig.ts';
import { AppError } from '../errors.ts';
import { analyzeAudience } from './analyzeAudience.ts';
import type { Auth, CreateAuthOptions } from './Auth.ts';
import { ConfiguredAuth } from './ConfiguredAuth.ts';

export type { Auth, CreateAuthOptions } from './Auth.ts';

/**
 * Creates the app's sign-in: OIDC login in the system browser, the grant in the keychain, and the per-API broker.
 * Without `signIn` in the config every API that needs a token is refused with a message saying so.
 * With `signIn.dpop` the grant is bound to a per-sign-in DPoP key kept in the same keychain entry (C13).
 * @see https://www.rfc-editor.org/rfc/rfc8252, https://www.rfc-editor.org/rfc/rfc8693, https://www.rfc-editor.org/rfc/rfc8707, https://www.rfc-editor.org/rfc/rfc9449
 */
export function createAuth(options: CreateAuthOptions): Auth {
  const signIn = options.config.signIn;
  return signIn ? new ConfiguredAuth(options, signIn) : createUnconfiguredAuth(options.config);
}

function createUnconfiguredAuth(config: AppConfig): Auth {
  const warnings = config.apis.flatMap((api) => analyzeAudience({ api, now: Date.now() }));
  return {
    state: () => ({ status: 'not-configured' }),
    onChange: () => () => {},
    restore: async () => {},
    signIn: async () => {
      throw new AppError('AUTH_SIGN_IN_REQUIRED', 'Sign-in is not configured: add a signIn block to the config');
    },
    signOut: async () => {},
    cancelSignIn: () => {},
    close: () => {},
    authorizer: {
      tokenFor: async (api) => {
        if (api.token.strategy === 'none') return undefined;
        throw new AppError('AUTH_SIGN_IN_REQUIRED', `API ${api.name} needs a token (strategy ${api.token.strategy}) but the config has no signIn block`);
      },
    },
    warnings: () => warnings,
    onWarningsChanged: () => () => {},
  };
}

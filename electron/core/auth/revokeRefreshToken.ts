import * as client from 'openid-client';
import type { Logger } from '../log/Logger.ts';

/**
 * Revokes the refresh token (and with it the grant) at the IdP. Failures are logged by code only: sign-out goes on.
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export async function revokeRefreshToken(configuration: client.Configuration, refreshToken: string, logger: Logger): Promise<void> {
  if (!configuration.serverMetadata().revocation_endpoint) {
    logger.info('the identity provider has no revocation endpoint; the refresh token is only deleted locally');
    return;
  }
  try {
    await client.tokenRevocation(configuration, refreshToken, { token_type_hint: 'refresh_token' });
  } catch (error) {
    logger.warn('revoking the refresh token failed', { code: (error as { code?: unknown }).code ?? 'unknown' });
  }
}

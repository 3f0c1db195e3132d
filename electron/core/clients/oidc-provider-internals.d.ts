// oidc-provider's per-provider internals, used once: to wrap its refresh_token grant handler (createOauthServer.ts).
declare module 'oidc-provider/lib/helpers/weak_cache.js' {
  /** The provider's internal state; `grantTypeHandlers` maps a grant type to the handler the token endpoint calls. */
  export default function instance(provider: unknown): { grantTypeHandlers: Map<string, (ctx: unknown) => Promise<void>> };
}

// oidc-provider ships no types: only the guard the metadata-document tests reuse to show production's refusal of loopback.
declare module 'oidc-provider/lib/helpers/fetch_request.js' {
  import type { Dispatcher } from 'undici';

  /** Makes `dispatcher` destroy every connection to a private, loopback, link-local or other special-use address. */
  export function applySSRFProtection<T extends Dispatcher>(dispatcher: T): T;
}

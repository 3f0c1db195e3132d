import type { Auth } from '../auth/createAuth.ts';
import type { AuthState } from '../auth/AuthState.ts';
import type { AudienceWarning } from '../auth/analyzeAudience.ts';

/** One `Auth` for the life of the app whose implementation is replaced when the config's sign-in or APIs change. */
export interface SwappableAuth {
  auth: Auth;
  current(): Auth;
  /** Puts `next` in place (restored from the keychain), closes the old one, and tells listeners the new state. */
  swap(next: Auth): Promise<void>;
}

/**
 * Everyone (registry, window bridge, CLI) keeps the one `auth` they were given: calls go to the current
 * implementation, and subscriptions follow it across swaps, so a config edit needs no restart.
 */
export function createSwappableAuth(initial: Auth): SwappableAuth {
  let current = initial;
  const stateListeners = new Set<(state: AuthState) => void>();
  const warningListeners = new Set<(warnings: AudienceWarning[]) => void>();
  const follow = (target: Auth) => [
    target.onChange((state) => { for (const listener of stateListeners) listener(state); }),
    target.onWarningsChanged((warnings) => { for (const listener of warningListeners) listener(warnings); }),
  ];
  let stops = follow(current);
  const own: Partial<Auth> = {
    onChange: (listener) => (stateListeners.add(listener), () => void stateListeners.delete(listener)),
    onWarningsChanged: (listener) => (warningListeners.add(listener), () => void warningListeners.delete(listener)),
    authorizer: { tokenFor: (api, options) => current.authorizer.tokenFor(api, options) },
  };
  // Any other member (signIn, state, warnings, cancelSignIn, …) is the current implementation's.
  const auth = new Proxy(own as Auth, {
    get: (target, key) => (Object.hasOwn(target, key) ? target[key as keyof Auth] : bindMember(current, key)),
  });
  return {
    auth,
    current: () => current,
    async swap(next) {
      for (const stop of stops) stop();
      const previous = current;
      current = next;
      stops = follow(next);
      (previous as Partial<{ close(): void }>).close?.();
      await next.restore();
      for (const listener of stateListeners) listener(next.state());
      for (const listener of warningListeners) listener(next.warnings());
    },
  };
}

function bindMember(target: Auth, key: string | symbol): unknown {
  const value: unknown = Reflect.get(target, key);
  return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
}

import { describe, expect, it } from 'vitest';
import type { Auth } from '../../../electron/core/auth/createAuth.ts';
import type { AuthState } from '../../../electron/core/auth/AuthState.ts';
import { createSwappableAuth } from '../../../electron/core/settings/createSwappableAuth.ts';

/** A small in-memory Auth: enough to see which implementation answers and who hears its events. */
function fakeAuth(sub: string): Auth & { emit(state: AuthState): void; closed: boolean } {
  const listeners = new Set<(state: AuthState) => void>();
  const auth = {
    closed: false,
    state: (): AuthState => ({ status: 'signed-in', sub, issuer: 'https://idp.example' }),
    onChange: (listener: (state: AuthState) => void) => (listeners.add(listener), () => void listeners.delete(listener)),
    restore: async () => {},
    signIn: async () => ({ authorizationUrl: `https://idp.example/${sub}` }),
    signOut: async () => {},
    cancelSignIn: () => {},
    close() { auth.closed = true; },
    authorizer: { tokenFor: async () => `token-of-${sub}` },
    warnings: () => [],
    onWarningsChanged: () => () => {},
    emit: (state: AuthState) => { for (const listener of listeners) listener(state); },
  };
  return auth as unknown as Auth & { emit(state: AuthState): void; closed: boolean };
}

describe('createSwappableAuth', () => {
  it('answers from the current implementation and keeps subscriptions across a swap', async () => {
    const first = fakeAuth('alice');
    const second = fakeAuth('bob');
    const swappable = createSwappableAuth(first);
    const { auth } = swappable;
    const authorizer = auth.authorizer;
    const heard: string[] = [];
    auth.onChange((state) => heard.push(state.status === 'signed-in' ? state.sub : state.status));
    first.emit({ status: 'signed-out' });
    expect(await auth.signIn()).toEqual({ authorizationUrl: 'https://idp.example/alice' });
    await swappable.swap(second);
    expect(first.closed).toBe(true);
    expect(heard).toEqual(['signed-out', 'bob']);
    first.emit({ status: 'signed-out' });
    second.emit({ status: 'signing-in' });
    expect(heard).toEqual(['signed-out', 'bob', 'signing-in']);
    expect(auth.state()).toMatchObject({ sub: 'bob' });
    // The registry keeps the authorizer it was given at start: it now mints through the new sign-in.
    expect(await authorizer.tokenFor({} as never)).toBe('token-of-bob');
  });
});

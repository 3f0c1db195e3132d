import { randomBytes } from 'node:crypto';
import type { ClientScope } from '../../electron/ipc/contract.ts';
import type { AuthenticateResult, LocalAuthority, Principal } from '../../electron/core/clients/LocalAuthority.ts';

/** A LocalAuthority for tests of the resource-server side: clients and their bearer keys held in memory. */
export interface TestAuthority extends LocalAuthority {
  /** Approves a client and returns its id and a bearer key for it. */
  addClient(name: string, options?: { scopes?: ClientScope[]; tools?: string[] | null }): { clientId: string; token: string; headers: { authorization: string } };
  /** Revokes a client: its keys stop working and `onClientChanged` fires. */
  revoke(clientId: string): void;
  /** Changes a client's allow-list or scopes and fires `onClientChanged`. */
  update(clientId: string, change: { scopes?: ClientScope[]; tools?: string[] | null }): void;
  /** The URL `attach` was called with. */
  attachedUrl?: string;
  /** Every `source` passed to authenticate. */
  sources: string[];
}

const bearer = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * Parses the header as RFC 6750 §2.1 says (one header, scheme case-insensitive, one space); `maxFailures` failed
 * checks from one source make it answer 429.
 */
export function createTestAuthority(options: { maxFailures?: number } = {}): TestAuthority {
  const clients = new Map<string, Principal>();
  const tokens = new Map<string, string>();
  const listeners = new Set<(clientId: string) => void>();
  const failures = new Map<string, number>();
  const changed = (clientId: string) => listeners.forEach((listener) => listener(clientId));
  const refuse = (source: string, description: string): AuthenticateResult => {
    failures.set(source, (failures.get(source) ?? 0) + 1);
    return { ok: false, status: 401, error: 'invalid_token', description };
  };
  const authority: TestAuthority = {
    sources: [],
    async attach(url) { authority.attachedUrl = url; },
    async authenticate(authorization, source) {
      authority.sources.push(source);
      if ((failures.get(source) ?? 0) >= (options.maxFailures ?? Infinity)) return { ok: false, status: 429, error: 'invalid_token', description: 'Too many failed attempts', retryAfterSeconds: 30 };
      const match = typeof authorization === 'string' ? bearer.exec(authorization) : null;
      if (!match) return refuse(source, 'A bearer token is required');
      const principal = clients.get(tokens.get(match[1]!) ?? '');
      return principal ? { ok: true, principal } : refuse(source, 'The token is not valid');
    },
    principalOf: (clientId) => clients.get(clientId),
    approvedClients: () => [...clients.values()].map(({ clientId, name, kind, identity, scopes, tools }) => ({ clientId, name, kind, identity, scopes: [...scopes], tools: tools ? [...tools] : null, approvedAt: 0 })),
    onClientChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    authorizeBridgeClient: async () => undefined,
    challenge({ error, scope, description }) {
      const metadata = authority.attachedUrl ? new URL('/.well-known/oauth-protected-resource/mcp', authority.attachedUrl).href : '';
      const parts = [error && `error="${error}"`, `scope="${scope ?? 'tools:read tools:write'}"`, metadata && `resource_metadata="${metadata}"`, description && `error_description="${description.replaceAll('"', "'")}"`];
      return `Bearer ${parts.filter(Boolean).join(', ')}`;
    },
    handleHttp: async () => false,
    close: async () => {},
    addClient(name, { scopes = ['tools:read', 'tools:write'] as ClientScope[], tools = null } = {}) {
      const clientId = `client-${randomBytes(4).toString('hex')}`;
      const token = `gmd_${randomBytes(24).toString('base64url')}`;
      clients.set(clientId, { clientId, name, kind: 'key', identity: 'local', scopes, tools, expiresAt: Date.now() + 3_600_000 });
      tokens.set(token, clientId);
      return { clientId, token, headers: { authorization: `Bearer ${token}` } };
    },
    revoke(clientId) {
      clients.delete(clientId);
      for (const [token, owner] of tokens) if (owner === clientId) tokens.delete(token);
      changed(clientId);
    },
    update(clientId, change) {
      const current = clients.get(clientId)!;
      clients.set(clientId, { ...current, ...change });
      changed(clientId);
    },
  };
  return authority;
}

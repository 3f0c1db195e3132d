const loopbackHostnames = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * True when a `Host` header names this loopback server: `127.0.0.1`, `localhost` or `[::1]`, optionally with our
 * own port. Anything else (a DNS-rebinding name such as `evil.example`, `127.0.0.1.nip.io`, `0.0.0.0`) is refused.
 *
 * @see https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#security-warning
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(host.toLowerCase());
  if (!match || !loopbackHostnames.has(match[1]!)) return false;
  return match[2] === undefined || Number(match[2]) === port;
}

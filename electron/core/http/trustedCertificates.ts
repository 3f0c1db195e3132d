import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';

let bundledAndSystem: string[] | undefined;

/**
 * The roots an upstream HTTPS connection trusts: Node's defaults (the bundled Mozilla roots plus
 * `NODE_EXTRA_CA_CERTS`), the operating system's store (where IT installs corporate CAs) and, for one API, the PEM
 * certificates of its `ca` file. Passing `ca` to TLS replaces the defaults, hence the union. Reading the OS store
 * takes ~80 ms, so it happens once, on the first HTTPS connection.
 *
 * @see https://nodejs.org/api/tls.html#tlsgetcacertificatestype
 */
export function trustedCertificates(caFile?: string): string[] {
  bundledAndSystem ??= [...new Set([...defaultCertificates(), ...systemCertificates()])];
  return caFile === undefined ? bundledAndSystem : [...bundledAndSystem, ...readPemCertificates(caFile)];
}

// getCACertificates is Node >= 22.15 / 23.10; an embedding runtime without it still has the bundled roots.
function defaultCertificates(): readonly string[] {
  return typeof tls.getCACertificates === 'function' ? tls.getCACertificates('default') : tls.rootCertificates;
}

function systemCertificates(): string[] {
  try {
    return tls.getCACertificates('system');
  } catch {
    // A runtime without access to the OS store (or an older one) still trusts the defaults and any `ca` file.
    return [];
  }
}

const pemCertificate = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/** The PEM certificates in a file (a bundle may hold several); throws when it cannot be read or holds none. */
export function readPemCertificates(file: string): string[] {
  const found = readFileSync(file, 'utf8').match(pemCertificate) ?? [];
  if (found.length === 0) throw new Error(`${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return found;
}

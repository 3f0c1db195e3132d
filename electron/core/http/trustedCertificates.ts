import { readFileSync } from 'node:fs';
import { getCACertificates } from 'node:tls';

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
  bundledAndSystem ??= [...new Set([...getCACertificates('default'), ...systemCertificates()])];
  return caFile === undefined ? bundledAndSystem : [...bundledAndSystem, ...readPemCertificates(caFile)];
}

function systemCertificates(): string[] {
  try {
    return getCACertificates('system');
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

import 'reflect-metadata'; // @peculiar/x509's dependency injection needs it before import
import { KeyObject, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** A private CA (as a company would run) and a server certificate it issued, all PEM. */
export interface TestCertificates {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

/** Issues a fresh CA and a server certificate for 127.0.0.1, localhost and `dnsNames`, valid for one day. */
export async function createTestCertificates(dnsNames: string[] = []): Promise<TestCertificates> {
  const crypto = webcrypto as unknown as NonNullable<Parameters<typeof x509.X509CertificateGenerator.create>[1]>;
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 24 * 3600_000);
  const caKeys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=GraphQL MCP Desktop Test Corporate Root', notBefore, notAfter, keys: caKeys, signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
    ],
  }, crypto);
  const serverKeys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const names = [{ type: 'ip' as const, value: '127.0.0.1' }, { type: 'dns' as const, value: 'localhost' }, ...dnsNames.map((value) => ({ type: 'dns' as const, value }))];
  const server = await x509.X509CertificateGenerator.create({
    subject: 'CN=127.0.0.1', issuer: ca.subject, notBefore, notAfter, signingKey: caKeys.privateKey, publicKey: serverKeys.publicKey, signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.SubjectAlternativeNameExtension(names),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
    ],
  }, crypto);
  const serverKeyPem = KeyObject.from(serverKeys.privateKey).export({ type: 'pkcs8', format: 'pem' }) as string;
  return { caPem: ca.toString('pem'), serverCertPem: server.toString('pem'), serverKeyPem };
}

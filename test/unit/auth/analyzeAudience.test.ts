import { describe, expect, it } from 'vitest';
import { analyzeAudience } from '../../../electron/core/auth/analyzeAudience.ts';
import { tokenExchangeGrantType } from '../../../electron/core/auth/exchangeToken.ts';
import { apiFixture, fakeJwt } from './apiFixture.ts';

const now = Date.UTC(2026, 0, 1);
const iat = now / 1000;
const orders = apiFixture('orders', { strategy: 'exchange', audience: 'https://orders.example' });
const metadata = { issuer: 'https://idp.example', grant_types_supported: ['authorization_code', 'refresh_token', tokenExchangeGrantType] };
const codes = (warnings: { code: string }[]) => warnings.map((warning) => warning.code);

describe('analyzeAudience', () => {
  it('finds nothing when the token names exactly this API and lives an hour', () => {
    const token = fakeJwt({ aud: 'https://orders.example', iat, exp: iat + 3600 });
    expect(analyzeAudience({ api: orders, metadata, token, now })).toEqual([]);
  });

  it('reports an audience mismatch as an error naming expected and actual (C3)', () => {
    const token = fakeJwt({ aud: 'urn:app', iat, exp: iat + 60 });
    const [finding] = analyzeAudience({ api: orders, metadata, token, now });
    expect(finding).toMatchObject({ api: 'orders', severity: 'error', code: 'audience-mismatch', expected: 'https://orders.example', actual: 'urn:app' });
    expect(finding!.fix).toBeTruthy();
  });

  it('reports several audiences as a warning and a missing aud as an error (C4)', () => {
    const several = fakeJwt({ aud: ['https://orders.example', 'https://billing.example'], iat, exp: iat + 60 });
    expect(analyzeAudience({ api: orders, metadata, token: several, now })).toMatchObject([{ severity: 'warning', code: 'audience-multiple' }]);
    const none = fakeJwt({ sub: 'alice', iat, exp: iat + 60 });
    expect(analyzeAudience({ api: orders, metadata, token: none, now })).toMatchObject([{ severity: 'error', code: 'audience-missing' }]);
  });

  it('reports an opaque token as not verifiable unless introspection confirms the audience (C5)', () => {
    expect(codes(analyzeAudience({ api: orders, metadata, token: 'opaque', now }))).toEqual(['token-opaque']);
    expect(analyzeAudience({ api: orders, metadata, token: 'opaque', introspectedAudience: ['https://orders.example'], now })).toEqual([]);
    expect(codes(analyzeAudience({ api: orders, metadata, token: 'opaque', introspectedAudience: ['urn:other'], now }))).toEqual(['audience-mismatch']);
  });

  it('warns when exchange is configured but the IdP does not advertise the grant', () => {
    const plain = { issuer: 'https://idp.example', grant_types_supported: ['authorization_code'] };
    expect(analyzeAudience({ api: orders, metadata: plain, now })).toMatchObject([{ code: 'exchange-not-advertised', expected: tokenExchangeGrantType }]);
  });

  it('notes passthrough as information', () => {
    const api = apiFixture('legacy', { strategy: 'passthrough', audience: 'https://legacy.example' });
    expect(analyzeAudience({ api, metadata, now })).toMatchObject([{ severity: 'info', code: 'passthrough-configured' }]);
  });

  it('warns about plain http outside loopback for endpoint and issuer, not on 127.0.0.1', () => {
    const remote = apiFixture('remote', { strategy: 'none' }, 'http://api.example/graphql');
    expect(codes(analyzeAudience({ api: remote, now }))).toEqual(['insecure-endpoint']);
    const local = apiFixture('local', { strategy: 'none' }, 'http://127.0.0.1:4000/graphql');
    expect(analyzeAudience({ api: local, now })).toEqual([]);
    expect(codes(analyzeAudience({ api: orders, metadata: { ...metadata, issuer: 'http://idp.example' }, now }))).toEqual(['insecure-issuer']);
  });

  it('warns about a token that lives longer than 24 hours (C12)', () => {
    const token = fakeJwt({ aud: 'https://orders.example', iat, exp: iat + 7 * 24 * 3600 });
    expect(analyzeAudience({ api: orders, metadata, token, now })).toMatchObject([{ code: 'token-lifetime-long', severity: 'warning' }]);
  });

  it('refuses an API without an audience', () => {
    const api = apiFixture('bare', { strategy: 'resource' });
    expect(analyzeAudience({ api, metadata, now })).toMatchObject([{ severity: 'error', code: 'audience-not-configured' }]);
  });

  it('never puts the token into a finding', () => {
    const token = fakeJwt({ aud: ['urn:x', 'urn:y'], iat, exp: iat + 90 * 24 * 3600 });
    const text = JSON.stringify(analyzeAudience({ api: orders, metadata, token, now }));
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('.')[1]);
  });
});

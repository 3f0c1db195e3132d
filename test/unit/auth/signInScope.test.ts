import { describe, expect, it } from 'vitest';
import { buildSignInRequest } from '../../../electron/core/auth/signInScope.ts';
import { buildAuthorizationParameters } from '../../../electron/core/auth/startSignIn.ts';
import { buildTokenExchangeParameters } from '../../../electron/core/auth/exchangeToken.ts';
import { apiFixture } from './apiFixture.ts';

const signIn = { issuer: 'https://idp.example', clientId: 'app', scopes: ['profile'], resource: 'urn:app', allowInsecureLoopback: false };
const apis = [
  apiFixture('a', { strategy: 'resource', audience: 'https://a.example', scopes: ['a:read'] }),
  apiFixture('b', { strategy: 'exchange', audience: 'https://b.example', scopes: ['b:read'] }),
  apiFixture('c', { strategy: 'none' }),
];

describe('buildSignInRequest', () => {
  it('asks for openid, offline_access, configured scopes and the scopes and resources of resource APIs only', () => {
    expect(buildSignInRequest(signIn, apis)).toEqual({ scope: 'openid offline_access profile a:read', resources: ['urn:app', 'https://a.example'] });
  });

  it('omits the app resource when none is configured and removes duplicates', () => {
    const twice = [...apis, apiFixture('a2', { strategy: 'resource', audience: 'https://a.example', scopes: ['a:read'] })];
    expect(buildSignInRequest({ ...signIn, resource: undefined, scopes: ['openid'] }, twice)).toEqual({ scope: 'openid offline_access a:read', resources: ['https://a.example'] });
  });
});

describe('buildAuthorizationParameters', () => {
  it('sends code + S256 PKCE, state, nonce, consent and one resource parameter per resource', () => {
    const params = buildAuthorizationParameters(
      { scope: 'openid offline_access', resources: ['urn:app', 'https://a.example'] },
      { redirectUri: 'http://127.0.0.1:5000/callback', codeChallenge: 'cc', state: 'st', nonce: 'no' },
    );
    expect(Object.fromEntries(params)).toMatchObject({ response_type: 'code', code_challenge_method: 'S256', code_challenge: 'cc', state: 'st', nonce: 'no', prompt: 'consent', redirect_uri: 'http://127.0.0.1:5000/callback' });
    expect(params.getAll('resource')).toEqual(['urn:app', 'https://a.example']);
  });

  it('binds the code to the DPoP key with dpop_jkt only when one is given (C13)', () => {
    const request = { scope: 'openid offline_access', resources: [] };
    const checks = { redirectUri: 'http://127.0.0.1:5000/callback', codeChallenge: 'cc', state: 'st', nonce: 'no' };
    expect(buildAuthorizationParameters(request, checks).has('dpop_jkt')).toBe(false);
    expect(buildAuthorizationParameters(request, { ...checks, dpopJkt: 'thumb' }).get('dpop_jkt')).toBe('thumb');
  });
});

describe('buildTokenExchangeParameters', () => {
  it('names the API as resource and audience and asks for an access token', () => {
    expect(buildTokenExchangeParameters({ subjectToken: 'subj', audience: 'https://b.example', scopes: ['b:read'] })).toEqual({
      subject_token: 'subj',
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      resource: 'https://b.example',
      audience: 'https://b.example',
      scope: 'b:read',
    });
  });
});

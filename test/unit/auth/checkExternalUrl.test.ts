import { describe, expect, it } from 'vitest';
import { checkExternalUrl } from '../../../electron/core/auth/checkExternalUrl.ts';
import { AppError } from '../../../electron/core/errors.ts';

const endpoint = 'https://idp.example/authorize';
const refused = (url: string, options = { allowInsecureLoopback: false, authorizationEndpoint: endpoint }) => {
  try {
    checkExternalUrl(url, options);
    return undefined;
  } catch (error) {
    return AppError.is(error, 'AUTH_URL_REFUSED') ? error.code : error;
  }
};

describe('checkExternalUrl', () => {
  it('accepts the https authorization endpoint with a query', () => {
    expect(checkExternalUrl(`${endpoint}?client_id=a&scope=openid+offline_access`, { allowInsecureLoopback: false, authorizationEndpoint: endpoint }).host).toBe('idp.example');
  });

  it.each([
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'smb://attacker.example/share',
    'vbscript:msgbox(1)',
    'http://idp.example/authorize',
    'https://idp.example/authorize?x=$(calc)',
    'https://idp.example/authorize?x=`calc`',
    'https://idp.example/authorize?x="a"',
    "https://idp.example/authorize?x='a'",
    'https://idp.example/%24(calc)',
    'https://user:pw@idp.example/authorize',
    'not a url',
  ])('refuses %s (D9)', (url) => {
    expect(refused(url)).toBe('AUTH_URL_REFUSED');
  });

  it('refuses another origin or path than the discovered endpoint', () => {
    expect(refused('https://idp.example.evil.example/authorize')).toBe('AUTH_URL_REFUSED');
    expect(refused('https://idp.example/authorize/../other')).toBe('AUTH_URL_REFUSED');
    expect(refused('https://idp.example/authorizex')).toBe('AUTH_URL_REFUSED');
  });

  it('accepts http to 127.0.0.1 only when insecure loopback is allowed', () => {
    const loopback = { allowInsecureLoopback: true, authorizationEndpoint: 'http://127.0.0.1:4000/auth' };
    expect(refused('http://127.0.0.1:4000/auth?a=b', loopback)).toBeUndefined();
    expect(refused('http://127.0.0.1:4000/auth', { ...loopback, allowInsecureLoopback: false })).toBe('AUTH_URL_REFUSED');
    expect(refused('http://localhost:4000/auth', { allowInsecureLoopback: true, authorizationEndpoint: 'http://localhost:4000/auth' })).toBe('AUTH_URL_REFUSED');
    expect(refused('http://10.0.0.1/auth', { allowInsecureLoopback: true, authorizationEndpoint: 'http://10.0.0.1/auth' })).toBe('AUTH_URL_REFUSED');
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../electron/core/config/parseConfig.ts';

const file = '/home/user/conf/config.yaml';
const parse = (text: string, env: Record<string, string> = {}) => parseConfig(text, { file, env });
const minimal = `apis:
  - name: acme
    endpoint: http://127.0.0.1:4000/graphql
    schema: { file: ./acme.graphql }
    operations: [./operations/acme]
`;

describe('parseConfig', () => {
  it('resolves relative paths against the config folder and fills defaults', () => {
    const { config, problems } = parse(minimal);
    expect(problems).toEqual([]);
    expect(config?.server).toEqual({ port: 0 });
    const api = config!.apis[0]!;
    expect(api.schema).toEqual({ file: path.resolve('/home/user/conf/acme.graphql') });
    expect(api.operations).toEqual([{ path: path.resolve('/home/user/conf/operations/acme') }]);
    expect(api).toMatchObject({ mutations: 'none', toolPrefix: '', timeoutMs: 15_000, token: { strategy: 'none' } });
    expect(api.introspection).toEqual({ introspect: true, search: true, validate: true, execute: false });
  });

  it('reads the full example from the README', () => {
    const { config, problems } = parse(`server:
  port: 47320
apis:
  - name: acme
    toolPrefix: "acme_"
    endpoint: https://api.acme.example/graphql
    schema: { introspect: true }
    operations: [./ops, { manifest: ./persisted-query-manifest.json }]
    mutations: explicit
    introspection: { introspect: true, search: false, validate: true, execute: true }
    headers: { X-Client-Name: mcp, X-Team: "\${env.TEAM:-platform}", X-Key: "\${env.ACME_KEY}" }
    customScalars: { DateTime: { type: string, format: date-time } }
    timeoutMs: 5000
`, { ACME_KEY: 'k1' });
    expect(problems).toEqual([]);
    const api = config!.apis[0]!;
    expect(config!.server.port).toBe(47320);
    expect(api.headers).toEqual({ 'X-Client-Name': 'mcp', 'X-Team': 'platform', 'X-Key': 'k1' });
    expect(api.operations[1]).toEqual({ manifest: path.resolve('/home/user/conf/persisted-query-manifest.json') });
    expect(api.customScalars).toEqual({ DateTime: { type: 'string', format: 'date-time' } });
    expect(api.introspection.search).toBe(false);
  });

  it('reports every problem at once with line and key when keys are unknown or mistyped', () => {
    const { config, problems } = parse(`server:
  port: "abc"
apis:
  - name: Acme
    endpiont: http://x
    schema: { file: 3 }
    mutations: sometimes
    timeoutMs: 5
`);
    expect(config).toBeUndefined();
    const byKey = Object.fromEntries(problems.map((p) => [p.key, p]));
    expect(byKey['server.port']).toMatchObject({ line: 2, message: expect.stringContaining('whole number') });
    expect(byKey['apis[0].name']).toMatchObject({ line: 4 });
    expect(byKey['apis[0].endpiont']).toMatchObject({ line: 5, message: expect.stringContaining('did you mean "endpoint"') });
    expect(byKey['apis[0].endpoint']?.message).toContain('missing key');
    expect(byKey['apis[0].schema.file']).toMatchObject({ line: 6 });
    expect(byKey['apis[0].mutations']?.message).toContain('none, explicit, all');
    expect(byKey['apis[0].timeoutMs']?.message).toContain('between 100');
    expect(problems.every((p) => p.file === file && p.severity === 'error')).toBe(true);
  });

  it('refuses a non-loopback server host', () => {
    const { problems } = parse(`server: { host: 0.0.0.0 }\n${minimal}`);
    expect(problems).toEqual([expect.objectContaining({ key: 'server.host', line: 1, message: expect.stringContaining('127.0.0.1') })]);
  });

  it('refuses an endpoint that is not an http(s) URL or carries credentials', () => {
    const bad = (endpoint: string) => parse(minimal.replace('http://127.0.0.1:4000/graphql', endpoint)).problems.map((p) => p.key);
    expect(bad('file:///etc/passwd')).toEqual(['apis[0].endpoint']);
    expect(bad('https://user:pw@api.example/graphql')).toEqual(['apis[0].endpoint']);
    expect(bad('not a url')).toEqual(['apis[0].endpoint']);
  });

  it('names an unset environment variable without a default', () => {
    const { problems } = parse(minimal + '    headers: { X-Key: "${env.MISSING_KEY}" }\n');
    expect(problems[0]?.message).toContain('MISSING_KEY is not set');
  });

  it('reports duplicate API names and a YAML syntax error with its line', () => {
    const dup = parse(minimal + minimal.replace('apis:\n', ''));
    expect(dup.problems[0]?.message).toContain('duplicate API name "acme"');
    const syntax = parse('apis:\n  - name: [unclosed\n');
    expect(syntax.problems[0]).toMatchObject({ line: expect.any(Number), message: expect.stringContaining('YAML syntax') });
  });

  it('requires signIn for token strategies and an audience for them', () => {
    const withToken = minimal + '    token: { strategy: exchange }\n';
    const keys = parse(withToken).problems.map((p) => p.key);
    expect(keys).toContain('apis[0].token.audience');
    const signIn = `signIn: { issuer: https://idp.example, clientId: app, scopes: [openid] }\n`;
    const ok = parse(signIn + minimal + '    token: { strategy: exchange, audience: "https://api.acme.example" }\n');
    expect(ok.problems).toEqual([]);
    expect(ok.config?.apis[0]?.token).toEqual({ strategy: 'exchange', audience: 'https://api.acme.example', scopes: [] });
    const noSignIn = parse(minimal + '    token: { strategy: passthrough, audience: "https://a" }\n');
    expect(noSignIn.problems[0]?.message).toContain('signIn');
  });

  it('allows an http issuer only on 127.0.0.1 with allowInsecureLoopback', () => {
    const issuer = (value: string, allow: boolean) => parse(`signIn: { issuer: "${value}", clientId: app, allowInsecureLoopback: ${allow} }\n${minimal}`).problems.map((p) => p.key);
    expect(issuer('http://127.0.0.1:9000', true)).toEqual([]);
    expect(issuer('http://127.0.0.1:9000', false)).toEqual(['signIn.issuer']);
    expect(issuer('http://idp.example', true)).toEqual(['signIn.issuer']);
  });

  it('allows dpop only with strategies that never send the sign-in tokens upstream', () => {
    const signIn = `signIn: { issuer: https://idp.example, clientId: app, dpop: true }\n`;
    const strategy = (name: string) => parse(signIn + minimal + `    token: { strategy: ${name}, audience: "https://a" }\n`).problems.map((p) => p.key);
    expect(strategy('exchange')).toEqual([]);
    expect(strategy('resource')).toEqual(['apis[0].token.strategy']);
    expect(strategy('passthrough')).toEqual(['apis[0].token.strategy']);
    expect(parse(signIn + minimal).config?.signIn?.dpop).toBe(true);
  });

  it('refuses a static Authorization header when the app mints tokens', () => {
    const signIn = `signIn: { issuer: https://idp.example, clientId: app }\n`;
    const { problems } = parse(signIn + minimal + '    headers: { Authorization: "Bearer x" }\n    token: { strategy: exchange, audience: "https://a" }\n');
    expect(problems[0]?.key).toBe('apis[0].headers.Authorization');
    expect(problems[0]?.message).not.toContain('Bearer x');
  });

  it('says what to add when the file is empty', () => {
    expect(parse('').problems[0]?.message).toContain('apis');
  });
});

describe('README config example', () => {
  it('parses without problems, so the documented config is one that works', () => {
    const readme = readFileSync(path.join(import.meta.dirname, '../../../README.md'), 'utf8');
    const example = readme.match(/## Config[\s\S]*?```yaml\n([\s\S]*?)```/)?.[1];
    expect(example).toBeDefined();
    const { config, problems } = parseConfig(example!, { file: '/home/user/.config/graphql-mcp-desktop/config.yaml', env: {} });
    expect(problems).toEqual([]);
    expect(config?.apis[0]?.token).toEqual({ strategy: 'exchange', audience: 'https://api.acme.example.com', scopes: ['acme:read'] });
  });
});

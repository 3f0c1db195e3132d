import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applySettingsPatch, describeOperationSource } from '../../../electron/core/settings/applySettingsPatch.ts';

const text = `# team config
server:
  port: 47320 # fixed
apis:
  - name: shop
    endpoint: https://shop.example/graphql # production
    schema: { file: ./shop.graphql }
    operations: [./ops]
  - name: tasks
    endpoint: https://tasks.example/graphql
    schema: { introspect: true }
`;

describe('applySettingsPatch', () => {
  it('changes only the values named, by API name, keeping comments and key order', () => {
    const out = applySettingsPatch(text, { apis: [{ name: 'tasks', mutations: 'explicit', operations: ['./t', 'manifest:./pq.json'] }], approvals: { apis: { tasks: 'deny' } } });
    expect(out).toContain('# team config');
    expect(out).toContain('port: 47320 # fixed');
    expect(out).toContain('endpoint: https://shop.example/graphql # production');
    expect(out).toContain('    operations: [ ./t, { manifest: ./pq.json } ]\n    mutations: explicit\n');
    expect(out.endsWith('approvals:\n  apis:\n    tasks: deny\n')).toBe(true);
    expect(out.split('\n').slice(0, 7).join('\n')).toBe(text.split('\n').slice(0, 7).join('\n'));
  });

  it('refuses an API that is not in the file and text that does not parse', () => {
    expect(() => applySettingsPatch(text, { apis: [{ name: 'billing', endpoint: 'https://b' }] })).toThrow(/No API named "billing"/);
    expect(() => applySettingsPatch('apis: [', { port: 1 })).toThrow(/does not parse/);
  });
});

const withSignIn = `${text}signIn:
  issuer: https://login.example.com # our IdP
  clientId: desktop
  scopes: [openid]
  allowInsecureLoopback: false # kept
approvals:
  apis:
    tasks: deny # careful
`;

describe('applySettingsPatch: sign-in and the list of APIs', () => {
  it('changes only the sign-in keys given, keeping the others and their comments; null removes resource or the block', () => {
    const out = applySettingsPatch(withSignIn, { signIn: { scopes: ['openid', 'email'], resource: 'https://mcp.example' } });
    expect(out).toContain('  issuer: https://login.example.com # our IdP\n  clientId: desktop\n  scopes: [ openid, email ]\n  allowInsecureLoopback: false # kept\n  resource: https://mcp.example\n');
    expect(applySettingsPatch(out, { signIn: { resource: null } })).not.toContain('resource');
    const removed = applySettingsPatch(withSignIn, { signIn: null });
    expect(removed).not.toContain('signIn');
    expect(removed).toContain('tasks: deny # careful');
  });

  it('writes a new sign-in block when the file has none', () => {
    expect(applySettingsPatch(text, { signIn: { issuer: 'https://idp.example', clientId: 'app', scopes: [] } })).toMatch(/\nsignIn:\n {2}issuer: https:\/\/idp.example\n {2}clientId: app\n {2}scopes: \[\]\n$/);
  });

  it('appends a new API at the end of apis in the README key order, leaving defaults out', () => {
    const out = applySettingsPatch(withSignIn, { addApis: [{ name: 'billing', endpoint: 'https://billing.example/graphql', schema: { introspect: true }, operations: ['./billing'], mutations: 'none', tokenStrategy: 'exchange', audience: 'https://billing.example' }] });
    expect(out).toContain(`    schema: { introspect: true }
  - name: billing
    endpoint: https://billing.example/graphql
    schema: { introspect: true }
    operations: [ ./billing ]
    token: { strategy: exchange, audience: https://billing.example }
signIn:`);
  });

  it('removes an API with its approval override, and an emptied approvals block with it', () => {
    const out = applySettingsPatch(withSignIn, { removeApis: ['tasks'] });
    expect(out).not.toContain('tasks');
    expect(out).not.toContain('approvals');
    expect(out).toContain('  - name: shop\n    endpoint: https://shop.example/graphql # production\n');
    expect(() => applySettingsPatch(withSignIn, { removeApis: ['billing'] })).toThrow(/No API named "billing"/);
    expect(applySettingsPatch(text, { removeApis: ['tasks'] })).toBe(text.split('  - name: tasks')[0]);
  });

  it('keeps the exact text of every line the change does not touch, spacing and quotes included', () => {
    const spaced = `# spaced by hand
server:   { port: 47320 }   # fixed port

apis:
  - name: shop        # the shop
    endpoint: "https://shop.example/graphql"
    schema: {file: ./shop.graphql}
    operations: [ ./ops ]
    headers:
      x-team:    mcp
`;
    const out = applySettingsPatch(spaced, { apis: [{ name: 'shop', mutations: 'explicit' }] });
    expect(out).toBe(`${spaced}    mutations: explicit\n`);
    const moved = applySettingsPatch(spaced, { port: 8080 });
    expect(moved.split('\n').filter((line, index) => line !== spaced.split('\n')[index])).toEqual(['server: { port: 8080 } # fixed port']);
  });

  it('falls back to the Document API\'s spacing when the user\'s lines would not fit with the new ones (4-space indentation)', () => {
    const wide = 'apis:\n    -   name: shop\n        endpoint: https://shop.example/graphql\n        schema: { file: ./shop.graphql }\n';
    const out = applySettingsPatch(wide, { addApis: [{ name: 'tasks', endpoint: 'https://t.example/graphql', schema: { file: './t.graphql' }, operations: [], mutations: 'none', tokenStrategy: 'none' }] });
    expect(parse(out)).toEqual({ apis: [
      { name: 'shop', endpoint: 'https://shop.example/graphql', schema: { file: './shop.graphql' } },
      { name: 'tasks', endpoint: 'https://t.example/graphql', schema: { file: './t.graphql' } },
    ] });
    expect(out.startsWith('apis:\n  - name: shop\n    endpoint:')).toBe(true); // mixing both indentations would not parse
  });

  it('drops an approval override the patch leaves out, so that API follows the default again', () => {
    expect(applySettingsPatch(withSignIn, { approvals: { apis: {} } })).not.toContain('approvals');
  });
});

describe('describeOperationSource', () => {
  it('shows sources as written relative to the config folder, manifests with a prefix', () => {
    expect(describeOperationSource({ path: '/conf/ops/shop' }, '/conf')).toBe('./ops/shop');
    expect(describeOperationSource({ manifest: '/conf/pq.json' }, '/conf')).toBe('manifest:./pq.json');
    expect(describeOperationSource({ path: '/elsewhere/ops' }, '/conf')).toBe('/elsewhere/ops');
  });
});

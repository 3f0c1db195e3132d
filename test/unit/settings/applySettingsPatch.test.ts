import { describe, expect, it } from 'vitest';
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

describe('describeOperationSource', () => {
  it('shows sources as written relative to the config folder, manifests with a prefix', () => {
    expect(describeOperationSource({ path: '/conf/ops/shop' }, '/conf')).toBe('./ops/shop');
    expect(describeOperationSource({ manifest: '/conf/pq.json' }, '/conf')).toBe('manifest:./pq.json');
    expect(describeOperationSource({ path: '/elsewhere/ops' }, '/conf')).toBe('/elsewhere/ops');
  });
});

// Issue 7 (items 4 and 9): limits on the config file, and YAML aliases resolved instead of leaking as { source }.
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Problem } from '../../../electron/core/config/AppConfig.ts';
import { configLimits } from '../../../electron/core/config/configLimits.ts';
import { loadConfig } from '../../../electron/core/config/loadConfig.ts';
import { parseConfig } from '../../../electron/core/config/parseConfig.ts';
import { AppError } from '../../../electron/core/errors.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'config-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, 'config.yaml');
const parse = (text: string, env: Record<string, string> = {}) => parseConfig(text, { file, env });
const api = (name: string, extra = '') => `  - name: ${name}\n    endpoint: http://127.0.0.1:4000/graphql\n    schema: { file: ./s.graphql }\n${extra}`;

async function loadProblems(text: string | number): Promise<{ error: AppError; problems: Problem[] }> {
  if (typeof text === 'number') {
    writeFileSync(file, '');
    truncateSync(file, text); // Sparse: the size is real, the disk space is not used.
  } else writeFileSync(file, text);
  const error = await loadConfig(file, { env: {} }).then(() => undefined, (caught: unknown) => caught);
  if (!AppError.is(error, 'CONFIG_INVALID')) throw new Error(`expected CONFIG_INVALID, got ${String(error)}`);
  return { error, problems: (error.details.problems as Problem[]) ?? [] };
}

describe('config limits', () => {
  it('refuses a 48 MB config file before reading it, naming the file, its size and the limit', async () => {
    const { error, problems } = await loadProblems(48 * 1024 * 1024);
    expect(error.message).toContain(file);
    expect(error.message).toContain('48.0 MB');
    expect(error.message).toContain('the limit is 256 KB');
    expect(problems).toEqual([expect.objectContaining({ severity: 'error', file })]);
  });

  it('refuses 40k APIs with one problem about the count, not one per API (no schema is looked at)', async () => {
    const { problems } = await loadProblems(`apis: [${'{}, '.repeat(40_000)}{}]\n`);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toBe(`The config holds about 40002 mappings and lists; the limit is ${configLimits.collections} (a config with a hundred APIs has about a thousand). Is this the right file?`);
  });

  it('refuses more APIs than the limit with the count, the limit and the key', () => {
    const apis = Array.from({ length: configLimits.apis + 1 }, (_, index) => api(`api${index}`)).join('');
    const { config, problems } = parse(`apis:\n${apis}`);
    expect(config).toBeUndefined();
    expect(problems).toEqual([expect.objectContaining({ key: 'apis', line: 2, message: `"apis" has ${configLimits.apis + 1} entries; the limit is ${configLimits.apis} APIs per config file` })]);
    expect(parse(`apis:\n${apis.split('  - name: api200')[0]}`).problems).toEqual([]);
  });

  it('refuses a 50 MB header value from the environment, naming the key and the limit', () => {
    const { config, problems } = parse(`apis:\n${api('acme', '    headers: { X-Big: "${env.BIG}" }\n')}`, { BIG: 'x'.repeat(50 * 1024 * 1024) });
    expect(config).toBeUndefined();
    expect(problems).toEqual([expect.objectContaining({
      key: 'apis[0].headers.X-Big', line: 5, message: `"apis[0].headers.X-Big" is 52428800 bytes long; the limit is ${configLimits.headerValueBytes} bytes`,
    })]);
  });

  it('refuses an over-long string value and too many headers', () => {
    const endpoint = `http://127.0.0.1/${'a'.repeat(configLimits.stringLength)}`;
    const headers = Array.from({ length: configLimits.headers + 1 }, (_, index) => `X-H${index}: v`).join(', ');
    const { problems } = parse(`apis:\n  - name: acme\n    endpoint: ${endpoint}\n    schema: { file: ./s.graphql }\n    headers: { ${headers} }\n`);
    expect(problems.map((problem) => problem.key)).toEqual(['apis[0].endpoint', 'apis[0].headers']);
    expect(problems[0]!.message).toContain(`the limit is ${configLimits.stringLength} characters`);
    expect(problems[1]!.message).toContain(`has ${configLimits.headers + 1} entries; the limit is ${configLimits.headers}`);
  });

  it('refuses a config path that is not a regular file', async () => {
    const error = await loadConfig(dir, { env: {} }).then(() => undefined, (caught: unknown) => caught);
    expect(AppError.is(error, 'CONFIG_INVALID') && error.message).toBe(`${dir} is not a regular file`);
  });
});

describe('YAML aliases', () => {
  it('resolves aliases inside customScalars instead of passing { source } into tool schemas', () => {
    const { config, problems } = parse(`apis:
${api('acme', `    customScalars:
      DateTime: &datetime { type: string, format: &fmt date-time }
      Timestamp: *datetime
      Day: { type: string, format: *fmt, examples: [*fmt] }
`)}`);
    expect(problems).toEqual([]);
    expect(config!.apis[0]!.customScalars).toEqual({
      DateTime: { type: 'string', format: 'date-time' },
      Timestamp: { type: 'string', format: 'date-time' },
      Day: { type: 'string', format: 'date-time', examples: ['date-time'] },
    });
    expect(JSON.stringify(config)).not.toContain('source');
  });

  it('resolves aliases anywhere a value is read (headers shared between APIs, an endpoint, a list item)', () => {
    const { config, problems } = parse(`apis:
  - name: one
    endpoint: &endpoint http://127.0.0.1:4000/graphql
    schema: { file: ./s.graphql }
    operations: [&ops ./ops]
    headers: &headers { X-Team: platform }
  - name: two
    endpoint: *endpoint
    schema: { file: ./s.graphql }
    operations: [*ops]
    headers: *headers
`);
    expect(problems).toEqual([]);
    expect(config!.apis[1]).toMatchObject({ endpoint: 'http://127.0.0.1:4000/graphql', headers: { 'X-Team': 'platform' }, operations: [{ path: path.join(dir, 'ops') }] });
  });

  it('merges an anchored mapping with "<<: *name", the mapping\'s own keys winning (one API as the base of another)', () => {
    const { config, problems } = parse(`apis:
  - &base
    name: one
    endpoint: http://127.0.0.1:4000/graphql
    schema: { file: ./s.graphql }
    headers: &headers { X-Team: platform, X-Env: prod }
  - <<: *base
    name: two
    headers: { <<: *headers, X-Env: test }
`);
    expect(problems).toEqual([]);
    expect(config!.apis.map((each) => [each.name, each.endpoint, each.headers])).toEqual([
      ['one', 'http://127.0.0.1:4000/graphql', { 'X-Team': 'platform', 'X-Env': 'prod' }],
      ['two', 'http://127.0.0.1:4000/graphql', { 'X-Env': 'test', 'X-Team': 'platform' }],
    ]);
    expect(parse(`apis:\n  - <<: [1]\n`).problems[0]).toMatchObject({ key: 'apis[0].<<', line: 2 });
  });

  it('refuses exponentially nested aliases ("billion laughs") with a problem instead of expanding them', () => {
    const levels = Array.from({ length: 9 }, (_, index) => `      l${index + 1}: &l${index + 1} { ${Array.from({ length: 10 }, (_, key) => `k${key}: *l${index}`).join(', ')} }`).join('\n');
    const { config, problems } = parse(`apis:
${api('acme', `    customScalars:
      l0: &l0 { type: string }
${levels}
`)}`);
    expect(config).toBeUndefined();
    expect(problems[0]!.message).toMatch(/aliases \(\*name\)/);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../electron/core/config/parseConfig.ts';
import { createTestCertificates } from '../../helpers/testCertificates.ts';

let dir: string;
const configWith = (ca: string) => `apis:\n  - name: acme\n    endpoint: https://api.acme.example/graphql\n    schema: { file: ./s.graphql }\n    ca: ${ca}\n`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ca-config-'));
  await writeFile(path.join(dir, 'corp-root.pem'), (await createTestCertificates()).caPem);
  await writeFile(path.join(dir, 'not-a-cert.pem'), 'hello');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('parseConfig: apis[].ca', () => {
  it('resolves the CA file against the config folder when it holds a PEM certificate', () => {
    const { config, problems } = parseConfig(configWith('./corp-root.pem'), { file: path.join(dir, 'config.yaml'), env: {} });
    expect(problems).toEqual([]);
    expect(config!.apis[0]!.ca).toBe(path.join(dir, 'corp-root.pem'));
  });

  it('leaves ca unset when the key is absent', () => {
    const { config } = parseConfig(configWith('x').replace(/ {4}ca: x\n/, ''), { file: path.join(dir, 'config.yaml'), env: {} });
    expect(config!.apis[0]).not.toHaveProperty('ca');
  });

  it('reports an unreadable CA file with its line and key, and refuses the config', () => {
    const { config, problems } = parseConfig(configWith('./missing.pem'), { file: path.join(dir, 'config.yaml'), env: {} });
    expect(config).toBeUndefined();
    expect(problems).toEqual([expect.objectContaining({ severity: 'error', line: 5, key: 'apis[0].ca', message: expect.stringContaining(`cannot read ${path.join(dir, 'missing.pem')} (ENOENT)`) })]);
  });

  it('reports a CA file without a PEM certificate', () => {
    const { problems } = parseConfig(configWith('./not-a-cert.pem'), { file: path.join(dir, 'config.yaml'), env: {} });
    expect(problems[0]!.message).toContain('holds no PEM certificate');
  });
});

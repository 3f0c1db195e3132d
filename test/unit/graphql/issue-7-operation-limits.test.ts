// Issue 7 (item 4, beyond the config file): bounds on what an operations path may hold, so `operations: [~]` or a
// stray huge file is refused with a message instead of walking the disk or filling memory.
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOperations, operationLimits } from '../../../electron/core/graphql/loadOperations.ts';
import { testApi } from './testApi.ts';

const schema = buildSchema('type Query { ping: Boolean }');
let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'operation-limits-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

function createFiles(dir: string, count: number, extension: string): void {
  mkdirSync(dir, { recursive: true });
  for (let index = 0; index < count; index++) writeFileSync(join(dir, `f${index}${extension}`), '');
}

describe('operation source limits', () => {
  it('skips an operation file over the size limit, naming it and the limit, and serves the rest', async () => {
    writeFileSync(join(folder, 'Ping.graphql'), 'query Ping { ping }');
    const huge = join(folder, 'Huge.graphql');
    writeFileSync(huge, '');
    truncateSync(huge, operationLimits.fileBytes + 1);
    const { tools, problems } = await loadOperations([{ path: folder }], schema, testApi());
    expect(tools.map((tool) => tool.name)).toEqual(['Ping']);
    expect(problems).toEqual([{ severity: 'error', api: 'acme', file: huge, message: 'Operation file is 1025 KB; the limit is 1024 KB per file. It was skipped' }]);
  });

  it('refuses a persisted-query manifest over the size limit without reading it', async () => {
    const manifest = join(folder, 'manifest.json');
    writeFileSync(manifest, '');
    truncateSync(manifest, operationLimits.manifestBytes + 1);
    const { problems } = await loadOperations([{ manifest }], schema, testApi());
    expect(problems).toEqual([{ severity: 'error', api: 'acme', file: manifest, message: 'Persisted-query manifest is 33 MB; the limit is 32 MB. It was skipped' }]);
  });

  it('refuses an operations path with more .graphql files than the limit, with one problem', async () => {
    createFiles(join(folder, 'ops'), 6, '.graphql');
    const { tools, problems } = await loadOperations([{ path: join(folder, 'ops') }], schema, testApi(), { limits: { ...operationLimits, files: 5 } });
    expect(tools).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ file: join(folder, 'ops'), message: expect.stringContaining('holds 6 .graphql/.gql files; the limit is 5') })]);
  });

  it('stops walking a folder tree past the entry limit (e.g. operations pointed at a home folder)', async () => {
    createFiles(join(folder, 'home', 'a'), 5, '.txt');
    createFiles(join(folder, 'home', 'b'), 5, '.txt');
    const { problems } = await loadOperations([{ path: join(folder, 'home') }], schema, testApi(), { limits: { ...operationLimits, entries: 11 } });
    expect(problems).toEqual([{
      severity: 'error', api: 'acme', file: join(folder, 'home'),
      message: 'Operations folder has more than 11 files and folders; point "operations" at the folder that holds your .graphql files',
    }]);
    expect(operationLimits).toEqual({ entries: 20_000, files: 5000, fileBytes: 1024 * 1024, manifestBytes: 32 * 1024 * 1024 });
  });
});

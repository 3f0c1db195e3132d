import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noAuthorization } from '../../../electron/core/auth/ApiAuthorizer.ts';
import { ToolCache } from '../../../electron/core/cache/ToolCache.ts';
import type { ApiConfig } from '../../../electron/core/config/AppConfig.ts';
import { demoSchemaFiles } from '../../../electron/core/demo/demoApis.ts';
import { silentLogger } from '../../../electron/core/log/Logger.ts';
import { ToolRegistry } from '../../../electron/core/ToolRegistry.ts';
import { makeApiConfig } from '../../helpers/makeApiConfig.ts';

let dir: string;
let api: ApiConfig;
const cacheFile = () => path.join(dir, 'cache', 'tools-tasks.json');

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tool-cache-'));
  await cp(path.join(import.meta.dirname, '../../../operations/tasks'), path.join(dir, 'ops'), { recursive: true });
  await cp(demoSchemaFiles.tasks, path.join(dir, 'tasks.graphql'));
  // A broken file too, so problems travel through the cache as well.
  await writeFile(path.join(dir, 'ops', 'Broken.graphql'), 'query Broken { nope }\n');
  api = makeApiConfig({
    name: 'tasks', schema: { file: path.join(dir, 'tasks.graphql') }, operations: [{ path: path.join(dir, 'ops') }], mutations: 'explicit',
    customScalars: { DateTime: { type: 'string', format: 'date-time' } }, introspection: { introspect: true, search: true, validate: true, execute: false },
  });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The first load writes the cache without waiting for it; a restart in a test waits until it is there. */
async function written(): Promise<void> {
  await expect.poll(() => stat(cacheFile()).then(() => true, () => false)).toBe(true);
}

describe('ToolCache', () => {
  it('computes the tools on a first load and reads the same tools and problems back on a restart, without the schema', async () => {
    const first = await new ToolCache(path.join(dir, 'cache')).load(api);
    expect(first!.fromCache).toBe(false);
    expect(first!.tools.length).toBeGreaterThan(1);
    expect(first!.problems.some((problem) => problem.file?.endsWith('Broken.graphql'))).toBe(true);
    await written();
    const restart = await new ToolCache(path.join(dir, 'cache')).load(api);
    expect(restart!.fromCache).toBe(true);
    expect(restart!.tools).toEqual(first!.tools);
    expect(restart!.problems).toEqual(first!.problems);
    expect((await restart!.loadSchema()).getQueryType()?.name).toBe('Query');
  });

  it.each([
    ['an operation file changes', async () => writeFile(path.join(dir, 'ops', 'Broken.graphql'), 'query Fixed { __typename }\n')],
    ['the schema changes', async () => writeFile(api.schema && 'file' in api.schema ? api.schema.file : '', `${await readFile(demoSchemaFiles.tasks, 'utf8')}\nscalar Extra\n`)],
    ['a config field that shapes tools changes', async () => void (api = { ...api, toolPrefix: 'x_' })],
  ])('builds again when %s', async (_case, change) => {
    await new ToolCache(path.join(dir, 'cache')).load(api);
    await written();
    await change();
    const again = await new ToolCache(path.join(dir, 'cache')).load(api);
    expect(again!.fromCache).toBe(false);
  });

  it('leaves an unreadable schema file to the uncached load, which reports it', async () => {
    expect(await new ToolCache(path.join(dir, 'cache')).load({ ...api, schema: { file: path.join(dir, 'missing.graphql') } })).toBeUndefined();
  });
});

describe('ToolRegistry with a ToolCache', () => {
  it('lists the same tools and problems after a restart, and its introspection tools parse the schema when first used', async () => {
    const create = () => ToolRegistry.create({ config: { server: { port: 0 }, apis: [api] }, authorizer: noAuthorization, logger: silentLogger, toolCache: new ToolCache(path.join(dir, 'cache')) });
    const first = await create();
    await written();
    const restart = await create();
    expect(JSON.stringify(restart.listTools())).toBe(JSON.stringify(first.listTools()));
    expect(restart.problems()).toEqual(first.problems());
    const found = await restart.callTool('search', { query: 'Task' });
    expect(found.isError).toBeUndefined();
    expect((found.content[0] as { text: string }).text).toContain('Task');
    first.close();
    restart.close();
  });

  it('announces a schema build (so the app can hand its memory back) on a first load, not on a cache hit', async () => {
    const builds: string[] = [];
    const create = (label: string) => ToolRegistry.create({
      config: { server: { port: 0 }, apis: [api] }, authorizer: noAuthorization, logger: silentLogger, toolCache: new ToolCache(path.join(dir, 'cache')), onSchemaBuilt: () => builds.push(label),
    });
    const first = await create('first');
    await written();
    const restart = await create('restart');
    expect(builds).toEqual(['first']);
    await restart.reload('tasks'); // a hot reload always builds
    expect(builds).toEqual(['first', 'restart']);
    first.close();
    restart.close();
  });
});

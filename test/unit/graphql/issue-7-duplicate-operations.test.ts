// Issue 7 (item 5): a duplicate operation name within one API no longer replaces the tool that was serving.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noAuthorization } from '../../../electron/core/auth/ApiAuthorizer.ts';
import { loadOperations } from '../../../electron/core/graphql/loadOperations.ts';
import { silentLogger } from '../../../electron/core/log/Logger.ts';
import { ToolRegistry } from '../../../electron/core/ToolRegistry.ts';
import { testApi } from './testApi.ts';

const sdl = 'type Book { id: ID!, title: String!, author: String } type Query { books(first: Int): [Book!]! }';
const schema = buildSchema(sdl);
const listBooks = 'query ListBooks { books { id title } }\n';
const dupListBooks = '# A second ListBooks, added later\nquery ListBooks($first: Int) { books(first: $first) { id author } }\n';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'duplicates-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));
const write = (name: string, text: string) => writeFileSync(join(folder, name), text);

describe('duplicate operation names within one API', () => {
  it('at start, keeps the first in file-name order and refuses the other, naming both files and no toolPrefix hint', async () => {
    write('ListBooks.graphql', listBooks);
    write('Dup.graphql', dupListBooks);
    const api = testApi({ operations: [{ path: folder }] });
    const first = await loadOperations(api.operations, schema, api);
    const again = await loadOperations(api.operations, schema, api);
    expect(first.tools.map((tool) => [tool.name, tool.source])).toEqual([['ListBooks', { file: join(folder, 'Dup.graphql'), line: 2 }]]);
    expect(again).toEqual(first);
    expect(first.problems).toEqual([{
      severity: 'error', api: 'acme', file: join(folder, 'ListBooks.graphql'), line: 1,
      message: `Operation ListBooks has the same name as the one in ${join(folder, 'Dup.graphql')}:2, which serves the tool "ListBooks"; this one was skipped. Operation names become tool names and must be unique within an API: rename one of them.`,
    }]);
    expect(first.problems[0]!.message).not.toContain('toolPrefix');
  });

  it('refuses a second operation of the same name in the same file', async () => {
    write('Books.graphql', `${listBooks}${dupListBooks}`);
    const api = testApi({ operations: [{ path: folder }] });
    const { tools, problems } = await loadOperations(api.operations, schema, api);
    expect(tools.map((tool) => tool.source.line)).toEqual([1]);
    expect(problems.map((problem) => [problem.line, problem.message.slice(0, 60)])).toEqual([[3, `Operation ListBooks has the same name as the one in ${join(folder, 'Books.graphql')}:1`.slice(0, 60)]]);
  });

  it('on hot reload, the serving tool keeps its name and the newcomer is refused, though its file sorts first', async () => {
    write('ListBooks.graphql', listBooks);
    const schemaFile = join(folder, 'schema.graphqls');
    writeFileSync(schemaFile, sdl);
    const api = testApi({ schema: { file: schemaFile }, operations: [{ path: folder }], introspection: { introspect: false, search: false, validate: false, execute: false } });
    const registry = await ToolRegistry.create({ config: { server: { port: 0 }, apis: [api] }, authorizer: noAuthorization, logger: silentLogger, watch: false });
    const serving = registry.listTools();
    let changes = 0;
    registry.onToolsChanged(() => changes++);

    write('Dup.graphql', dupListBooks);
    await registry.reload('acme');
    expect(registry.listTools()).toEqual(serving);
    expect(changes).toBe(0);
    expect(registry.problems()).toEqual([expect.objectContaining({
      severity: 'error', file: join(folder, 'Dup.graphql'), line: 2,
      message: expect.stringContaining(`same name as the one in ${join(folder, 'ListBooks.graphql')}:1, which keeps serving the tool "ListBooks"`),
    })]);

    // A broken edit of the serving file keeps the old tool; the newcomer still does not take the name.
    write('ListBooks.graphql', 'query ListBooks { books { id title }\n');
    await registry.reload('acme');
    expect(registry.listTools()).toEqual(serving);
    expect(registry.problems().map((problem) => problem.file)).toEqual([join(folder, 'ListBooks.graphql'), join(folder, 'Dup.graphql'), join(folder, 'ListBooks.graphql')]);

    // Once the serving file no longer declares the operation, the other one may take the name.
    write('ListBooks.graphql', 'query ListTitles { books { title } }\n');
    await registry.reload('acme');
    expect(registry.listTools().map((tool) => tool.name).sort()).toEqual(['ListBooks', 'ListTitles']);
    expect(registry.problems()).toEqual([]);
    registry.close();
  });
});

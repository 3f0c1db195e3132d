import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildSchema } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTools } from '../../../electron/core/graphql/buildTools.ts';
import { loadOperations } from '../../../electron/core/graphql/loadOperations.ts';
import { parseSchemaSdl } from '../../../electron/core/graphql/parseSchemaSdl.ts';
import { validateArguments } from '../../../electron/core/graphql/validateArguments.ts';
import { testApi } from './testApi.ts';

const schema = buildSchema(`
  type User { login: String!, name: String, avatarUrl: String! }
  type Query { user(login: String!): User, viewer: User! }
  type Mutation { follow(login: String!): Boolean! }
  type Subscription { followed: User! }
`);

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'operations-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

function write(relative: string, text: string): string {
  const file = join(folder, relative);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

describe('loadOperations', () => {
  it('serves every named operation of a folder, recursively and sorted, reading only .graphql and .gql files', async () => {
    write('b/Second.graphql', 'query Second { viewer { login } }');
    write('a.gql', 'query First { viewer { login } } query AlsoFirst { viewer { name } }');
    write('c/deep/Third.graphql', 'query Third { viewer { login } }');
    write('notes.md', 'query NotAnOperation { viewer { login } }');
    write('.hidden/Hidden.graphql', 'query Hidden { viewer { login } }');
    symlinkSync(write('.hidden/Linked.graphql', 'query Linked { viewer { login } }'), join(folder, 'd-link.graphql'));
    const { tools, problems } = await loadOperations([{ path: folder }], schema, testApi());
    expect(problems).toEqual([]);
    expect(tools.map((tool) => tool.name)).toEqual(['First', 'AlsoFirst', 'Second', 'Third', 'Linked']);
    expect(tools[2]?.source).toEqual({ file: join(folder, 'b/Second.graphql'), line: 1 });
  });

  it('reports an anonymous operation with file and line and serves the rest', async () => {
    const file = write('ops.graphql', 'query Named { viewer { login } }\n\n{ viewer { name } }');
    const { tools, problems } = await loadOperations([{ path: file }], schema, testApi());
    expect(tools.map((tool) => tool.name)).toEqual(['Named']);
    expect(problems).toEqual([{ severity: 'error', api: 'acme', file, line: 3, message: 'Anonymous operation skipped: give it a name, which becomes the tool name' }]);
  });

  it('reports a syntax error with its line and still serves the other files', async () => {
    const bad = write('bad.graphql', 'query Broken {\n  viewer {\n    login\n  \n');
    write('good.graphql', 'query Good { viewer { login } }');
    const { tools, problems } = await loadOperations([{ path: folder }], schema, testApi());
    expect(tools.map((tool) => tool.name)).toEqual(['Good']);
    expect(problems).toEqual([
      { severity: 'error', api: 'acme', file: bad, line: 5, key: undefined, message: 'Syntax Error: Expected Name, found <EOF>.; the operations in this file were skipped' },
    ]);
  });

  it('reports an operation that is invalid against the schema with file, line and reason, and skips only it', async () => {
    const file = write('ops.graphql', 'query Good { viewer { login } }\nquery Bad {\n  viewer { nme }\n}');
    const { tools, problems } = await loadOperations([{ path: file }], schema, testApi());
    expect(tools.map((tool) => tool.name)).toEqual(['Good']);
    expect(problems).toEqual([
      { severity: 'error', api: 'acme', file, line: 3, key: undefined, message: 'Bad: Cannot query field "nme" on type "User". Did you mean "name"? The operation was skipped.' },
    ]);
  });

  it('reports and skips subscriptions', async () => {
    const file = write('ops.graphql', 'subscription OnFollow { followed { login } }');
    const { tools, problems } = await loadOperations([{ path: file }], schema, testApi());
    expect(tools).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ severity: 'warning', file, line: 1, message: expect.stringContaining('Subscription OnFollow skipped') })]);
  });

  it('skips mutations with a report when mutations are none, and keeps them when explicit or all', async () => {
    const file = write('ops.graphql', 'mutation Follow($login: String!) { follow(login: $login) }');
    const none = await loadOperations([{ path: file }], schema, testApi({ mutations: 'none' }));
    expect(none.tools).toEqual([]);
    expect(none.problems).toEqual([expect.objectContaining({ severity: 'warning', file, line: 1, message: expect.stringContaining('mutations: none') })]);
    for (const mutations of ['explicit', 'all'] as const) {
      const kept = await loadOperations([{ path: file }], schema, testApi({ mutations }));
      expect(kept.tools.map((tool) => [tool.name, tool.operationType])).toEqual([['Follow', 'mutation']]);
      expect(kept.problems).toEqual([]);
    }
  });

  it('reports a path that does not exist without throwing', async () => {
    const missing = join(folder, 'missing');
    const { tools, problems } = await loadOperations([{ path: missing }], schema, testApi());
    expect(tools).toEqual([]);
    expect(problems).toEqual([{ severity: 'error', api: 'acme', file: missing, message: 'Operations path does not exist' }]);
  });

  it('loads operations from an Apollo persisted-query manifest, each body with its own fragments', async () => {
    const manifest = write('manifest.json', JSON.stringify({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [
        { id: 'a1', name: 'Viewer', type: 'query', body: 'query Viewer { viewer { ...Who } }\nfragment Who on User { login }' },
        { id: 'b2', name: 'User', type: 'query', body: 'query User($login: String!) { user(login: $login) { ...Who } }\nfragment Who on User { name }' },
        { id: 'c3', name: 'Broken', type: 'query' },
      ],
    }));
    const { tools, problems } = await loadOperations([{ manifest }], schema, testApi());
    expect(tools.map((tool) => [tool.name, tool.source.file])).toEqual([['Viewer', manifest], ['User', manifest]]);
    expect(tools[0]?.document).toBe('query Viewer { viewer { ...Who } }\n\nfragment Who on User { login }');
    expect(tools[1]?.document).toBe('query User($login: String!) { user(login: $login) { ...Who } }\n\nfragment Who on User { name }');
    expect(problems).toContainEqual({ severity: 'error', api: 'acme', file: manifest, key: 'operations[2]', message: 'Manifest operation has no string body; skipped' });
  });

  it('reports a file that is not a persisted-query manifest', async () => {
    const manifest = write('manifest.json', JSON.stringify({ operations: [] }));
    const { problems } = await loadOperations([{ manifest }], schema, testApi());
    expect(problems).toEqual([expect.objectContaining({ severity: 'error', file: manifest, message: expect.stringContaining('Not an Apollo persisted-query manifest') })]);
  });
});

describe('buildTools', () => {
  it('attaches to each operation exactly the fragments it uses, transitively, from any document', () => {
    const { tools, problems } = buildTools([
      { file: 'ops.graphql', text: 'query A { viewer { ...Card } }\nquery B { viewer { ...Avatar } }' },
      { file: 'fragments.graphql', text: 'fragment Card on User { login ...Avatar }\nfragment Avatar on User { avatarUrl }\nfragment Unused on User { name }' },
    ], schema, testApi());
    expect(problems).toEqual([]);
    expect(tools.map((tool) => tool.document)).toEqual([
      'query A { viewer { ...Card } }\n\nfragment Card on User { login ...Avatar }\n\nfragment Avatar on User { avatarUrl }',
      'query B { viewer { ...Avatar } }\n\nfragment Avatar on User { avatarUrl }',
    ]);
  });

  it('reports a validation error inside a fragment at the fragment\'s file and line', () => {
    const { tools, problems } = buildTools([
      { file: 'ops.graphql', text: 'query A { viewer { ...Card } }' },
      { file: 'fragments.graphql', text: '\nfragment Card on User {\n  nope\n}' },
    ], schema, testApi());
    expect(tools).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ severity: 'error', file: 'fragments.graphql', line: 3, message: expect.stringContaining('A: Cannot query field "nope"') })]);
  });

  it('reports an unknown fragment as a validation error of the operation', () => {
    const { tools, problems } = buildTools([{ file: 'ops.graphql', text: 'query A { viewer { ...Missing } }' }], schema, testApi());
    expect(tools).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ file: 'ops.graphql', line: 1, message: expect.stringContaining('Unknown fragment "Missing"') })]);
  });

  it('reports unknown type names as graphql does, with a suggestion only for a close name', () => {
    const { tools, problems } = buildTools([
      { file: 'ops.graphql', text: 'query A($login: Strin!) { viewer { login } }\nquery B { viewer { ... on Nope { login } } }\nquery C($login: String!) { user(login: $login) { ... on User { login } } }' },
    ], schema, testApi());
    expect(tools.map((tool) => tool.name)).toEqual(['C']);
    expect(problems.map((problem) => [problem.line, problem.message])).toEqual([
      [1, 'A: Unknown type "Strin". Did you mean "String"? The operation was skipped.'],
      [1, 'A: Variable "$login" is never used in operation "A". The operation was skipped.'],
      [2, 'B: Unknown type "Nope". The operation was skipped.'],
    ]);
  });

  it('reports exactly the invalid operations among many valid ones, as when each is validated alone', () => {
    const good = Array.from({ length: 150 }, (_, index) => ({ file: `good${index}.graphql`, text: `query Good${index}($login: String!) { user(login: $login) { login } }` }));
    const { tools, problems } = buildTools([
      ...good.slice(0, 70),
      { file: 'unused.graphql', text: 'query Unused($login: String!) { viewer { login } }' },
      { file: 'conflict.graphql', text: 'query Conflict { viewer { x: login x: name } }' },
      // The same name twice and a fragment name defined differently in two files: fine one by one, never together.
      { file: 'a.graphql', text: 'query Same { viewer { ...Who } }\nfragment Who on User { login }' },
      { file: 'b.graphql', text: 'query Same { viewer { ...Who } }\nfragment Who on User { name }' },
      { file: 'c.graphql', text: 'query UsesB { viewer { ...Card } }\nfragment Card on User { ...Who }\nfragment Who on User { nope }' },
      ...good.slice(70),
    ], schema, testApi());
    // Both Same operations are validated (b.graphql's with its own Who); the second is then refused as a duplicate.
    expect(tools.map((tool) => tool.name)).toEqual([...good.slice(0, 70).map((_, index) => `Good${index}`), 'Same', ...good.slice(70).map((_, index) => `Good${index + 70}`)]);
    expect(problems.map((problem) => [problem.file, problem.message])).toEqual([
      ['b.graphql', 'Fragment Who is also defined differently in a.graphql:2; operations in other files use that one'],
      ['c.graphql', 'Fragment Who is also defined differently in a.graphql:2; operations in other files use that one'],
      ['unused.graphql', 'Unused: Variable "$login" is never used in operation "Unused". The operation was skipped.'],
      ['conflict.graphql', 'Conflict: Fields "x" conflict because "login" and "name" are different fields. Use different aliases on the fields to fetch both if this was intentional. The operation was skipped.'],
      ['c.graphql', 'UsesB: Cannot query field "nope" on type "User". Did you mean "name"? The operation was skipped.'],
      ['b.graphql', 'Operation Same has the same name as the one in a.graphql:1, which serves the tool "Same"; this one was skipped. Operation names become tool names and must be unique within an API: rename one of them.'],
    ]);
  });

  it('warns when two files define the same fragment differently', () => {
    const { problems } = buildTools([
      { file: 'a.graphql', text: 'fragment Who on User { login }' },
      { file: 'b.graphql', text: 'fragment Who on User { name }' },
    ], schema, testApi());
    expect(problems).toEqual([expect.objectContaining({ severity: 'warning', file: 'b.graphql', line: 1, message: expect.stringContaining('Fragment Who is also defined differently in a.graphql:1') })]);
  });

  it('reports a tool name that MCP clients would refuse', () => {
    const { tools, problems } = buildTools([{ file: 'ops.graphql', text: 'query Viewer { viewer { login } }' }], schema, testApi({ toolPrefix: 'x'.repeat(125) }));
    expect(tools).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ severity: 'error', file: 'ops.graphql', line: 1, message: expect.stringContaining('is not valid for MCP') })]);
  });

  it('refuses a duplicate operation name within the API itself, keeping the first in document order (issue 7)', () => {
    const { tools, problems } = buildTools([
      { file: 'a.graphql', text: 'query Viewer { viewer { login } }' },
      { file: 'b.graphql', text: '\nquery Viewer { viewer { name } }' },
    ], schema, testApi());
    expect(problems.map((problem) => [problem.file, problem.line])).toEqual([['b.graphql', 2]]);
    expect(tools.map((tool) => tool.source)).toEqual([{ file: 'a.graphql', line: 1 }]);
  });

  it('gives the same tools when run again on the same documents, as hot reload does', () => {
    const documents = [{ file: 'ops.graphql', text: 'query A($login: String!) { user(login: $login) { login } }' }];
    const first = buildTools(documents, schema, testApi());
    expect(buildTools(documents, schema, testApi())).toEqual(first);
    expect(first.tools).toHaveLength(1);
  });
});

describe('buildTools at GitHub scale', () => {
  it('turns 200 operations against GitHub\'s schema into 200 tools without problems', () => {
    const file = join(import.meta.dirname, '../../../node_modules/@octokit/graphql-schema/schema.graphql');
    const github = parseSchemaSdl(readFileSync(file, 'utf8'), file).schema;
    const documents = Array.from({ length: 200 }, (_, index) => ({
      file: `op${index}.graphql`,
      text: index % 2 === 0
        ? `mutation CreateIssue${index}($input: CreateIssueInput!) { createIssue(input: $input) { issue { ...IssueBits } } }`
        : `query Issues${index}($owner: String!, $name: String!, $first: Int = 10, $orderBy: IssueOrder, $states: [IssueState!]) {
            repository(owner: $owner, name: $name) { issues(first: $first, orderBy: $orderBy, states: $states) { nodes { ...IssueBits } } } }`,
    }));
    documents.push({ file: 'fragments.graphql', text: 'fragment IssueBits on Issue { title number author { login } }' });
    const { tools, problems } = buildTools(documents, github, testApi({ mutations: 'explicit' }));
    expect(problems).toEqual([]);
    expect(tools).toHaveLength(200);
    const [create, list] = tools;
    expect(validateArguments(create?.inputSchema ?? {}, { input: { repositoryId: 'R_1', title: 'Bug' } })).toEqual([]);
    expect(validateArguments(list?.inputSchema ?? {}, { owner: 'o', name: 'n', states: ['OPEN'], orderBy: { field: 'CREATED_AT', direction: 'DESC' } })).toEqual([]);
    expect(validateArguments(list?.inputSchema ?? {}, { owner: 'o', name: 'n', states: ['open'] })).toEqual(['/states/0: must be one of "CLOSED", "OPEN"']);
  });
});

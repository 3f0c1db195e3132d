import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isInputObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/core/errors.ts';
import { parseSchemaSdl } from '../../../electron/core/graphql/parseSchemaSdl.ts';

// The package's exports map hides schema.graphql from resolution, so it is read from node_modules by path.
const githubSchemaFile = join(import.meta.dirname, '../../../node_modules/@octokit/graphql-schema/schema.graphql');

function thrown(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('parseSchemaSdl', () => {
  it('keeps the first definition and warns with file, line and Type.field when a field is defined twice', () => {
    const sdl = ['type Query {', '  a: Int', '  b: String', '  a: String', '}'].join('\n');
    const { schema, problems } = parseSchemaSdl(sdl, 'dup.graphql');
    expect(String(schema.getQueryType()?.getFields().a?.type)).toBe('Int');
    expect(problems).toEqual([
      { severity: 'warning', file: 'dup.graphql', line: 4, message: 'Query.a is defined more than once; kept the first definition (first defined on line 2)' },
    ]);
  });

  it('drops duplicate types, enum values, input fields and arguments with one warning each', () => {
    const sdl = `
      enum Color { RED RED GREEN }
      input Filter { x: Int, x: Int }
      type Query { f(a: Int, a: Int): Color, g(filter: Filter): Int }
      type Query { other: Int }
    `;
    const { schema, problems } = parseSchemaSdl(sdl, 's.graphql');
    expect(problems.map((problem) => problem.message.split(' is defined')[0])).toEqual(['Color.RED', 'Filter.x', 'Query.f.a', 'Query']);
    expect(schema.getQueryType()?.getFields().other).toBeUndefined();
    expect(problems.every((problem) => problem.severity === 'warning' && problem.file === 's.graphql' && typeof problem.line === 'number')).toBe(true);
  });

  it('loads GitHub\'s published schema, naming its duplicate fields as warnings', () => {
    const { schema, problems } = parseSchemaSdl(readFileSync(githubSchemaFile, 'utf8'), githubSchemaFile);
    expect(schema.getType('Repository')).toBeDefined();
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((problem) => problem.severity === 'warning' && problem.file === githubSchemaFile && problem.line)).toBe(true);
    expect(problems.map((problem) => problem.message)).toContainEqual(expect.stringMatching(/^EnterpriseOwnerInfo\.repositoryDeployKeySetting is defined more than once/));
  });

  it('gives the right lines for duplicates far into a large schema, whatever its line ends, strings and comments', () => {
    // Over 100 KB, so the schema is parsed in several pieces; braces inside strings and comments must not split it.
    const filler = Array.from({ length: 1500 }, (_, index) => `"""\nType {${index}} with a \\""" quote\n"""\ntype T${index} { "{" a: Int # }\n b(x: String = "}"): Int }`);
    const lines = ['type Query { t0: T0 }', ...filler.flatMap((text) => text.split('\n')), 'enum E {', '  A', '  A', '}', 'type T7 { z: Int }'];
    const lineOf = (text: string) => lines.indexOf(text) + 1;
    for (const lineEnd of ['\n', '\r\n', '\r']) {
      const { schema, problems } = parseSchemaSdl(lines.join(lineEnd), 'big.graphql');
      expect(schema.getType('T1499')).toBeDefined();
      expect(problems).toEqual([
        { severity: 'warning', file: 'big.graphql', line: lineOf('  A') + 1, message: `E.A is defined more than once; kept the first definition (first defined on line ${lineOf('  A')})` },
        { severity: 'warning', file: 'big.graphql', line: lineOf('type T7 { z: Int }'), message: `T7 is defined more than once; kept the first definition (first defined on line ${lineOf('"""') + 7 * 5})` },
      ]);
    }
  });

  it('reports a syntax error far into a large schema at its line', () => {
    const lines = [...Array.from({ length: 3000 }, (_, index) => `type T${index} { a: Int }`), 'type Query {', '  b: ', '}'];
    const error = thrown(() => parseSchemaSdl(lines.join('\n'), 'big.graphql'));
    expect(error.details).toEqual({ file: 'big.graphql', line: 3003 });
  });

  it('warns with graphql\'s message when the SDL breaks a rule the build does not check, and still serves it', () => {
    const cases = [
      ['type Query { a: Int @nope }', 'Unknown directive "@nope".'],
      ['scalar S @deprecated type Query { a: S }', 'Directive "@deprecated" may not be used on SCALAR.'],
      ['type Query { a: Int @deprecated @deprecated }', 'The directive "@deprecated" can only be used once at this location.'],
      ['type Query { a: Int @deprecated(why: "x") }', 'Unknown argument "why" on directive "@deprecated".'],
      ['directive @d(x: Int!) on FIELD_DEFINITION type Query { a: Int @d }', 'Directive "@d" argument "x" of type "Int!" is required, but it was not provided.'],
      ['input I { x: Int } type Query { a(i: I = { x: 1, x: 2 }): Int }', 'There can be only one input field named "x".'],
      ['schema { query: Query } schema { query: Query } type Query { a: Int }', 'Must provide only one schema definition.'],
    ];
    for (const [sdl, message] of cases) {
      const { schema, problems } = parseSchemaSdl(sdl!, 'r.graphql');
      expect(schema.getQueryType()?.name).toBe('Query');
      expect(problems[0]).toEqual({ severity: 'warning', file: 'r.graphql', message: expect.stringContaining(`Schema is not strictly valid SDL: ${message}`) });
    }
  });

  it('builds @oneOf input types with isOneOf set', () => {
    const { schema, problems } = parseSchemaSdl('input By @oneOf { id: ID, name: String } type Query { f(by: By): Int }', 'o.graphql');
    const by = schema.getType('By');
    expect(isInputObjectType(by) && by.isOneOf).toBe(true);
    expect(problems).toEqual([]);
  });

  it('throws SCHEMA_INVALID naming file and line when the SDL has a syntax error', () => {
    const error = thrown(() => parseSchemaSdl('type Query {\n  a: Int\n  b: \n}', 'bad.graphql'));
    expect(error.code).toBe('SCHEMA_INVALID');
    expect(error.message).toMatch(/^bad\.graphql:4: Syntax Error/);
    expect(error.details).toEqual({ file: 'bad.graphql', line: 4 });
  });

  it('throws SCHEMA_INVALID when a field refers to a type that does not exist', () => {
    const error = thrown(() => parseSchemaSdl('type Query { a: Missing }', 'x.graphql'));
    expect(error.code).toBe('SCHEMA_INVALID');
    expect(error.message).toContain('Missing');
  });

  it('warns but still serves a schema that builds yet fails schema validation', () => {
    const { schema, problems } = parseSchemaSdl('type Query { a: Int } interface I { x: Int } type T implements I { y: Int }', 'v.graphql');
    expect(problems).toContainEqual(expect.objectContaining({ severity: 'warning', file: 'v.graphql', message: expect.stringContaining('Interface field I.x expected but T does not provide it') }));
    expect(schema.getType('T')).toBeDefined();
  });
});

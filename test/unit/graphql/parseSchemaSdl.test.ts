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

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTools } from '../../../electron/core/graphql/buildTools.ts';
import type { OperationTool } from '../../../electron/core/graphql/OperationTool.ts';
import { parseSchemaSdl } from '../../../electron/core/graphql/parseSchemaSdl.ts';
import { createArgumentValidator, validateArguments } from '../../../electron/core/graphql/validateArguments.ts';
import { testApi } from './testApi.ts';

const fixtures = join(import.meta.dirname, '../../fixtures/operations');

/** The generated tool of a golden case, so these tests check the schemas tools really carry. */
function toolOf(name: string, overrides = {}): OperationTool {
  const folder = join(fixtures, name);
  const { schema } = parseSchemaSdl(readFileSync(join(folder, 'schema.graphql'), 'utf8'), 'schema.graphql');
  const { tools } = buildTools([{ file: 'op.graphql', text: readFileSync(join(folder, 'op.graphql'), 'utf8') }], schema, testApi(overrides));
  const tool = tools[0];
  if (!tool) throw new Error(`no tool in ${name}`);
  return tool;
}

describe('validateArguments', () => {
  it('accepts arguments that match the input schema', () => {
    const { inputSchema } = toolOf('scalars');
    expect(validateArguments(inputSchema, { i: 1, f: 1.5, s: 'x', b: true, id: 'abc' })).toEqual([]);
    expect(validateArguments(inputSchema, { i: -2147483648, f: 0, s: '', b: false, id: 7 })).toEqual([]);
  });

  it('names the path and the rule when an Int is outside 32 bits', () => {
    const { inputSchema } = toolOf('scalars');
    expect(validateArguments(inputSchema, { i: 2147483648, f: 1, s: 'x', b: true, id: 1 })).toEqual(['/i: must be <= 2147483647']);
    expect(validateArguments(inputSchema, { i: 1.5, f: 1, s: 'x', b: true, id: 1 })).toEqual(['/i: must be integer']);
  });

  it('names missing required arguments and unknown extra ones', () => {
    const { inputSchema } = toolOf('scalars');
    expect(validateArguments(inputSchema, { i: 1, f: 1, s: 'x', b: true, extra: 1 })).toEqual([
      "/: must have required property 'id'",
      '/: must NOT have additional property "extra"',
    ]);
  });

  it('validates nested input objects through $defs, naming the nested path', () => {
    const { inputSchema } = toolOf('nested-input');
    const customer = { name: 'Ada', address: { street: 'Main', country: 'GB', geo: { lat: 1, lng: 'east' } }, previous: [{ street: 'Old', zip: '1' }] };
    expect(validateArguments(inputSchema, { customer })).toEqual([
      '/customer/address/geo/lng: must be number',
      "/customer/previous/0: must have required property 'country'",
      '/customer/previous/0: must NOT have additional property "zip"',
    ]);
  });

  it('validates recursive input to any depth', () => {
    const { inputSchema } = toolOf('recursive-input');
    const where = { and: [{ not: { group: { label: 'g', filter: { or: [{ field: 'a', equals: 1 }] } } } }] };
    expect(validateArguments(inputSchema, { where })).toEqual(['/where/and/0/not/group/filter/or/0/equals: must be string or null']);
  });

  it('accepts null for nullable arguments and reports the precise rule, not the null branch, otherwise', () => {
    const { inputSchema } = toolOf('nested-input');
    const valid = { name: 'Ada', address: { street: 'Main', country: 'GB', geo: null }, previous: null };
    expect(validateArguments(inputSchema, { customer: valid })).toEqual([]);
    expect(validateArguments(inputSchema, { customer: { ...valid, address: { ...valid.address, geo: 'here' } } })).toEqual(['/customer/address/geo: must be object']);
    expect(validateArguments(inputSchema, { customer: null })).toEqual(['/customer: must be object']);
  });

  it('lists the allowed values when an enum value is unknown', () => {
    const { inputSchema } = toolOf('enum-descriptions');
    expect(validateArguments(inputSchema, { state: 'open' })).toEqual(['/state: must be one of "OPEN", "CLOSED", "DUPLICATE", "TRIAGE"']);
    expect(validateArguments(inputSchema, { state: 'OPEN', plain: null })).toEqual([]);
  });

  it('requires exactly one non-null field of a @oneOf input', () => {
    const { inputSchema } = toolOf('one-of');
    expect(validateArguments(inputSchema, { by: { login: 'ada' } })).toEqual([]);
    expect(validateArguments(inputSchema, { by: {} })).toContain('/by: must NOT have fewer than 1 properties');
    expect(validateArguments(inputSchema, { by: { id: 1, login: 'ada' } })).toContain('/by: must NOT have more than 1 properties');
    expect(validateArguments(inputSchema, { by: { login: null } })).toEqual(['/by/login: must be string']);
  });

  it('checks formats of configured custom scalars', () => {
    const { inputSchema } = toolOf('custom-scalar-configured', JSON.parse(readFileSync(join(fixtures, 'custom-scalar-configured/config.json'), 'utf8')));
    expect(validateArguments(inputSchema, { after: '2026-01-02T03:04:05Z', notify: 'a@example.com', budget: 5 })).toEqual([]);
    expect(validateArguments(inputSchema, { after: 'tomorrow', notify: 'nobody', budget: -1 })).toEqual([
      '/after: must match format "date-time"',
      '/notify: must match format "email"',
      '/budget: must be >= 0',
    ]);
  });

  it('refuses null in non-null positions of custom scalars the config leaves untyped (found by test/fuzz)', () => {
    const { inputSchema } = toolOf('non-null-open-scalar', JSON.parse(readFileSync(join(fixtures, 'non-null-open-scalar/config.json'), 'utf8')));
    expect(validateArguments(inputSchema, { pick: { raw: { any: [1] } }, items: [0, 'x', {}], on: '2026-12-07', maybe: null })).toEqual([]);
    expect(validateArguments(inputSchema, { pick: { raw: null }, items: [null], on: null })).toEqual([
      '/pick/raw: must not be null',
      '/items/0: must not be null',
      '/on: must not be null',
    ]);
  });

  it('treats missing arguments as an empty object', () => {
    expect(validateArguments(toolOf('lists-of-lists').inputSchema, undefined)).toEqual(["/: must have required property 'rows'"]);
  });
});

describe('createArgumentValidator', () => {
  it('compiles a schema once and reuses it for later calls on the same schema object', () => {
    const validate = createArgumentValidator();
    const inputSchema = structuredClone(toolOf('scalars').inputSchema);
    const args = { i: 1, f: 1, s: 'x', b: true, id: 'a' };
    expect(validate(inputSchema, args)).toEqual([]);
    // Changing the object after the first call proves the compiled validator is the cached one.
    inputSchema.required = ['missing'];
    expect(validate(inputSchema, args)).toEqual([]);
    expect(validate(structuredClone(inputSchema), args)).toEqual(["/: must have required property 'missing'"]);
  });
});

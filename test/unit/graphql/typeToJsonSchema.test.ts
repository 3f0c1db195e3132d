import { buildSchema, isInputObjectType, type GraphQLInputType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { allowNull, internalValueToJson, typeToJsonSchema } from '../../../electron/core/graphql/typeToJsonSchema.ts';

const schema = buildSchema(`
  scalar JSON
  enum Color { RED GREEN }
  input Options { data: JSON = {a: [1, 2]}, color: Color = GREEN, size: Int = 3 }
  type Query { f(o: Options): Int }
`);

function fieldOf(name: string): { type: GraphQLInputType; defaultValue: unknown } {
  const options = schema.getType('Options');
  if (!isInputObjectType(options)) throw new Error('Options missing');
  const field = options.getFields()[name];
  if (!field) throw new Error(`${name} missing`);
  return field;
}

describe('typeToJsonSchema', () => {
  it('collects input objects in defs once and refers to them', () => {
    const defs = {};
    const options = schema.getType('Options') as GraphQLInputType;
    expect(typeToJsonSchema(options, { customScalars: {}, defs })).toEqual({ anyOf: [{ $ref: '#/$defs/Options' }, { type: 'null' }] });
    expect(Object.keys(defs)).toEqual(['Options']);
  });

  it('keeps a custom scalar\'s object default as JSON instead of failing', () => {
    const defs: Record<string, Record<string, unknown>> = {};
    typeToJsonSchema(schema.getType('Options') as GraphQLInputType, { customScalars: {}, defs });
    const properties = defs.Options?.properties as Record<string, { default?: unknown }>;
    expect(properties.data?.default).toEqual({ a: [1, 2] });
    expect(properties.color?.default).toBe('GREEN');
    expect(properties.size?.default).toBe(3);
  });
});

describe('internalValueToJson', () => {
  it('turns internal default values into their JSON form', () => {
    expect(internalValueToJson(fieldOf('color').defaultValue, fieldOf('color').type)).toBe('GREEN');
    expect(internalValueToJson(fieldOf('data').defaultValue, fieldOf('data').type)).toEqual({ a: [1, 2] });
  });
});

describe('allowNull', () => {
  it('adds null to type and enum, wraps references and composites in anyOf, and leaves open schemas alone', () => {
    expect(allowNull({ type: 'string', enum: ['A'] })).toEqual({ type: ['string', 'null'], enum: ['A', null] });
    expect(allowNull({ type: ['string', 'integer'] })).toEqual({ type: ['string', 'integer', 'null'] });
    expect(allowNull({ $ref: '#/$defs/X', description: 'd' })).toEqual({ anyOf: [{ $ref: '#/$defs/X' }, { type: 'null' }], description: 'd' });
    expect(allowNull({ type: 'string', const: 'x' })).toEqual({ anyOf: [{ type: 'string', const: 'x' }, { type: 'null' }] });
    expect(allowNull({ description: 'anything' })).toEqual({ description: 'anything' });
  });
});

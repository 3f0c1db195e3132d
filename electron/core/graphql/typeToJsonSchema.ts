import {
  astFromValue,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  valueFromASTUntyped,
  type GraphQLEnumType,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLScalarType,
} from 'graphql';
import type { JsonSchema } from '../config/AppConfig.ts';

export interface JsonSchemaContext {
  /** JSON Schema fragments for custom scalars, by scalar name (ApiConfig.customScalars). */
  customScalars: Record<string, JsonSchema>;
  /** Input object schemas collected while converting, by type name; becomes the root's `$defs`. */
  defs: Record<string, JsonSchema>;
}

const int32 = { minimum: -2147483648, maximum: 2147483647 };

const builtInScalars: Record<string, JsonSchema> = {
  Int: { type: 'integer', ...int32 },
  Float: { type: 'number' },
  String: { type: 'string' },
  Boolean: { type: 'boolean' },
  // GraphQL coerces both string and integer inputs to ID.
  ID: { type: ['string', 'integer'] },
};

/**
 * JSON Schema (2020-12) for a GraphQL input type: non-null types reject null, nullable ones accept it; input objects
 * go to `context.defs` and are referenced as `#/$defs/Name`, which also keeps recursive input types finite.
 * @see https://spec.graphql.org/October2021/#sec-Input-Coercion
 */
export function typeToJsonSchema(type: GraphQLInputType, context: JsonSchemaContext): JsonSchema {
  if (isNonNullType(type)) return refuseNull(nonNullSchema(type.ofType, context));
  return allowNull(nonNullSchema(type, context));
}

/**
 * A non-null position. A schema that does not constrain the type (a custom scalar the config does not describe, or
 * describes without `type`) accepts null, which GraphQL refuses there: found by test/fuzz.
 */
function refuseNull(schema: JsonSchema): JsonSchema {
  const { type } = schema;
  if (typeof type === 'string') return type === 'null' ? { ...schema, not: { type: 'null' } } : schema;
  if (Array.isArray(type)) return type.includes('null') ? { ...schema, type: type.filter((each) => each !== 'null') } : schema;
  if ('$ref' in schema) return schema; // An input object: `type: object` where it is defined.
  return 'not' in schema ? { allOf: [schema, { not: { type: 'null' } }] } : { ...schema, not: { type: 'null' } };
}

function nonNullSchema(type: GraphQLInputType, context: JsonSchemaContext): JsonSchema {
  if (isNonNullType(type)) return nonNullSchema(type.ofType, context);
  if (isListType(type)) return { type: 'array', items: typeToJsonSchema(type.ofType as GraphQLInputType, context) };
  if (isInputObjectType(type)) return inputObjectReference(type, context);
  if (isEnumType(type)) return enumSchema(type);
  if (isScalarType(type)) return scalarSchema(type, context);
  return {};
}

/** Widens a schema to also accept null, in the simplest form that keeps clients' renderings readable. */
export function allowNull(schema: JsonSchema): JsonSchema {
  const { type, description, ...rest } = schema;
  const withDescription = (result: JsonSchema): JsonSchema => (description === undefined ? result : { ...result, description });
  if (type === undefined && !('$ref' in rest) && !('const' in rest) && !('anyOf' in rest) && !('oneOf' in rest) && !('enum' in rest)) {
    return schema; // Already open: accepts null.
  }
  if (typeof type === 'string' || Array.isArray(type)) {
    const types = Array.isArray(type) ? (type as string[]) : [type];
    const widened: JsonSchema = { type: types.includes('null') ? types : [...types, 'null'], ...rest };
    if (Array.isArray(rest.enum) && !rest.enum.includes(null)) widened.enum = [...rest.enum, null];
    if (!('const' in rest) && !('anyOf' in rest) && !('oneOf' in rest) && !('allOf' in rest)) return withDescription(widened);
  }
  return withDescription({ anyOf: [type === undefined ? rest : { type, ...rest }, { type: 'null' }] });
}

function scalarSchema(type: GraphQLScalarType, context: JsonSchemaContext): JsonSchema {
  const builtIn = builtInScalars[type.name];
  if (builtIn) return { ...builtIn };
  const configured = context.customScalars[type.name];
  const note = `${type.name} scalar${type.description ? `: ${type.description}` : ''}`;
  if (configured) return { ...configured, description: configured.description ?? note };
  return { description: note };
}

/**
 * Enums use `enum` (rendered and enforced by every client and model API, unlike `oneOf` of `const`s, which several
 * flatten or drop) and list the value descriptions in the description, where models read them.
 */
function enumSchema(type: GraphQLEnumType): JsonSchema {
  const values = type.getValues();
  const documented = values.filter((value) => value.description || value.deprecationReason);
  const lines = documented.map((value) => {
    const deprecated = value.deprecationReason ? `(deprecated: ${value.deprecationReason})` : '';
    return `${value.name}: ${[value.description, deprecated].filter(Boolean).join(' ')}`;
  });
  const description = [type.description, ...lines].filter(Boolean).join('\n');
  return { type: 'string', enum: values.map((value) => value.name), ...(description ? { description } : {}) };
}

function inputObjectReference(type: GraphQLInputObjectType, context: JsonSchemaContext): JsonSchema {
  if (!(type.name in context.defs)) {
    context.defs[type.name] = {}; // Placeholder first: a recursive field refers back to it instead of looping.
    context.defs[type.name] = inputObjectSchema(type, context);
  }
  return { $ref: `#/$defs/${type.name}` };
}

function inputObjectSchema(type: GraphQLInputObjectType, context: JsonSchemaContext): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const field of Object.values(type.getFields())) {
    // A @oneOf field is nullable in SDL, yet the one value given must not be null.
    const schema = type.isOneOf ? refuseNull(nonNullSchema(field.type, context)) : typeToJsonSchema(field.type, context);
    const fieldDefault = field.defaultValue === undefined ? undefined : internalValueToJson(field.defaultValue, field.type);
    properties[field.name] = describe(schema, [field.description, deprecationNote(field.deprecationReason)], fieldDefault);
    if (isNonNullType(field.type) && field.defaultValue === undefined) required.push(field.name);
  }
  const schema: JsonSchema = { type: 'object' };
  if (type.description) schema.description = type.description;
  schema.properties = properties;
  if (type.isOneOf) {
    Object.assign(schema, { minProperties: 1, maxProperties: 1, oneOf: Object.keys(properties).map((name) => ({ required: [name] })) });
  } else if (required.length > 0) {
    schema.required = required;
  }
  schema.additionalProperties = false;
  return schema;
}

/**
 * Adds a description and default to a property schema. A description next to a `$ref` would be lost by clients that
 * inline the reference, so it sits beside it (allowed in 2020-12) and the referenced type keeps its own.
 */
export function describe(schema: JsonSchema, notes: (string | null | undefined)[], defaultValue?: unknown): JsonSchema {
  const text = joinNotes([...notes, typeof schema.description === 'string' ? schema.description : undefined]);
  const result: JsonSchema = { ...schema };
  delete result.description;
  if (text) result.description = text;
  if (defaultValue !== undefined) result.default = defaultValue;
  return result;
}

function joinNotes(notes: (string | null | undefined)[]): string {
  const unique = [...new Set(notes.map((note) => note?.trim()).filter((note): note is string => Boolean(note)))];
  return unique.join('\n');
}

function deprecationNote(reason: string | null | undefined): string | undefined {
  return reason ? `Deprecated: ${reason}` : undefined;
}

/** A default held as a GraphQL internal value (schema defaults) → its JSON form (enum names, not internal values). */
export function internalValueToJson(value: unknown, type: GraphQLInputType): unknown {
  try {
    const ast = astFromValue(value, type);
    return ast ? valueFromASTUntyped(ast) : undefined;
  } catch {
    // astFromValue refuses object values of custom scalars (a JSON scalar's `= {a: 1}`); SDL-built scalars keep them as JSON.
    return isJsonValue(value) ? value : undefined;
  }
}

function isJsonValue(value: unknown): boolean {
  try {
    return JSON.stringify(value) !== undefined;
  } catch {
    return false;
  }
}


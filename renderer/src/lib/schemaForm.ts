/** A JSON Schema node as tools publish it (2020-12, as `typeToJsonSchema` writes it). */
export type Schema = Record<string, unknown>;

/** How a Try it form asks for a value, and how the input schema is explained. */
export type FieldKind = 'enum' | 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'oneOf' | 'array' | 'any' | 'json';

export interface EnumOption {
  value: string;
  description?: string;
}

export interface FieldProperty {
  name: string;
  required: boolean;
  schema: Schema;
}

export interface Field {
  kind: FieldKind;
  /** Null is allowed (the GraphQL type is nullable). */
  nullable: boolean;
  /** The input object's or enum's name, from `$defs`. */
  typeName?: string;
  description?: string;
  default?: unknown;
  format?: string;
  /** `string` that also takes an integer: a GraphQL `ID`. */
  acceptsInteger?: boolean;
  options?: EnumOption[];
  properties?: FieldProperty[];
  items?: Schema;
  minimum?: number;
  maximum?: number;
}

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** Reads one property or item schema into what a form field and the schema view need. */
export function describeField(node: Schema, root: Schema): Field {
  const { schema, nullable, typeName } = unwrap(node, root);
  const types = (Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type]).filter((type) => type !== 'null');
  const base: Field = {
    kind: 'json',
    nullable: nullable || (Array.isArray(schema.type) && schema.type.includes('null')),
    typeName,
    description: joinText(text(node.description), schema === node ? undefined : text(schema.description)),
    default: node.default ?? schema.default,
  };
  if (Array.isArray(schema.enum)) return enumField(base, schema.enum);
  if (types.includes('object') || isSchema(schema.properties)) return objectField(base, schema);
  if (types.includes('array')) return { ...base, kind: 'array', items: isSchema(schema.items) ? schema.items : {} };
  if (types.includes('string')) return { ...base, kind: 'string', format: text(schema.format), acceptsInteger: types.includes('integer') };
  if (types.includes('integer') || types.includes('number')) return numberField(base, schema, types.includes('integer') ? 'integer' : 'number');
  if (types.includes('boolean')) return { ...base, kind: 'boolean' };
  if (types.length === 0 && !('anyOf' in schema) && !('oneOf' in schema) && !('allOf' in schema)) return { ...base, kind: 'any' };
  return base;
}

/** Follows `#/$defs/…` and unwraps `anyOf: [X, null]`, the two wrappers nullable and input-object types get. */
function unwrap(node: Schema, root: Schema): { schema: Schema; nullable: boolean; typeName?: string } {
  let schema = node;
  let nullable = false;
  if (Array.isArray(schema.anyOf)) {
    const options = schema.anyOf.filter(isSchema);
    const others = options.filter((option) => option.type !== 'null');
    nullable = others.length < options.length;
    if (others.length === 1 && others[0]) schema = others[0];
  }
  const ref = typeof schema.$ref === 'string' ? /^#\/\$defs\/(.+)$/.exec(schema.$ref)?.[1] : undefined;
  const defs = isSchema(root.$defs) ? root.$defs : {};
  const target = ref === undefined ? undefined : defs[ref];
  return isSchema(target) ? { schema: target, nullable, typeName: ref } : { schema, nullable };
}

function enumField(base: Field, values: unknown[]): Field {
  const names = values.filter((value): value is string => typeof value === 'string');
  // typeToJsonSchema lists value descriptions in the description as `VALUE: text` lines.
  const described = new Map<string, string>();
  const rest: string[] = [];
  for (const line of (base.description ?? '').split('\n')) {
    const match = /^([A-Za-z_]\w*): (.+)$/.exec(line);
    if (match?.[1] && match[2] && names.includes(match[1])) described.set(match[1], match[2]);
    else if (line.trim()) rest.push(line);
  }
  const options = names.map((value) => ({ value, description: described.get(value) }));
  return { ...base, kind: 'enum', nullable: base.nullable || values.includes(null), description: joinText(...rest), options };
}

function objectField(base: Field, schema: Schema): Field {
  const required = Array.isArray(schema.required) ? schema.required : [];
  const properties = Object.entries(isSchema(schema.properties) ? schema.properties : {}).map(([name, property]) => ({
    name,
    required: required.includes(name),
    schema: isSchema(property) ? property : {},
  }));
  // A GraphQL @oneOf input: exactly one of its properties (typeToJsonSchema adds `oneOf` + maxProperties 1).
  const oneOf = Array.isArray(schema.oneOf) && schema.maxProperties === 1;
  return { ...base, kind: oneOf ? 'oneOf' : 'object', properties };
}

function numberField(base: Field, schema: Schema, kind: 'integer' | 'number'): Field {
  const minimum = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const maximum = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  return { ...base, kind, minimum, maximum };
}

function joinText(...parts: (string | undefined)[]): string | undefined {
  const kept = parts.filter((part): part is string => Boolean(part?.trim()));
  return kept.length > 0 ? kept.join('\n') : undefined;
}

/** The top-level properties of a tool's input schema. */
export function rootProperties(root: Schema): FieldProperty[] {
  return objectField({ kind: 'object', nullable: false }, root).properties ?? [];
}

/**
 * The value a field starts with: its default, else for a required field the least it needs (an object with its
 * required parts, an empty list), else nothing (left out of the call).
 */
export function initialValue(field: Field, root: Schema, required: boolean, depth = 0): unknown {
  if (field.default !== undefined) return structuredClone(field.default);
  if (!required || depth > 8) return undefined;
  switch (field.kind) {
    case 'object':
      return initialObject(field.properties ?? [], root, depth + 1);
    case 'oneOf':
      return {};
    case 'array':
      return [];
    case 'boolean':
      return false;
    default:
      return undefined;
  }
}

export function initialObject(properties: readonly FieldProperty[], root: Schema, depth = 0): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const property of properties) {
    const initial = initialValue(describeField(property.schema, root), root, property.required, depth);
    if (initial !== undefined) value[property.name] = initial;
  }
  return value;
}

/** A short type for the schema view: `string`, `list of TaskStatus`, `NewTask`, `ID (string or integer)`. */
export function typeLabel(field: Field, root: Schema): string {
  switch (field.kind) {
    case 'enum':
      return field.typeName ?? `one of ${(field.options ?? []).map((option) => option.value).join(' | ')}`;
    case 'object':
    case 'oneOf':
      return field.typeName ?? 'object';
    case 'array':
      return `list of ${typeLabel(describeField(field.items ?? {}, root), root)}`;
    case 'string':
      return field.acceptsInteger ? 'ID (string or integer)' : field.format ? `string (${field.format})` : 'string';
    case 'any':
      return 'any value';
    default:
      return field.kind;
  }
}

import fc from 'fast-check';
import { innermost, type SchemaModel, type TypeRef } from './schemaModel.ts';

/** Values outside every type's domain, or at its edges: what a model gets wrong. */
const wild = fc.constantFrom<unknown>(null, 0, -1, 1.5, 2147483647, 2147483648, -2147483649, 1e21, '', 'A', 'true', '7', true, [], [null], {}, { zz: 1 });

const leaves: Record<string, fc.Arbitrary<unknown>> = {
  Int: fc.oneof(fc.integer({ min: -2147483648, max: 2147483647 }), fc.constantFrom(2147483648, -2147483649, 3.5, -0)),
  Float: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()),
  String: fc.string({ maxLength: 4 }),
  Boolean: fc.boolean(),
  ID: fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.constant(2.5)),
  Day: fc.oneof(fc.string({ maxLength: 4 }), fc.integer()),
  Open: fc.jsonValue({ maxDepth: 2 }),
};

/**
 * Mostly near-valid values for a type (the right shape with mistakes sprinkled in at every level), so both the
 * accepting and the refusing side of each rule are hit. `depth` bounds recursive input objects.
 */
export function valueFor(type: TypeRef, model: SchemaModel, depth = 3): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 1, arbitrary: wild }, { weight: 6, arbitrary: shaped(type, model, depth) });
}

function shaped(type: TypeRef, model: SchemaModel, depth: number): fc.Arbitrary<unknown> {
  if (type.kind === 'nonNull') return valueFor(type.of, model, depth);
  if (type.kind === 'list') {
    // A single value where a list is expected: GraphQL coerces it to a list of one (see the test's oracle).
    return fc.oneof({ weight: 4, arbitrary: fc.array(valueFor(type.of, model, depth), { maxLength: 3 }) }, { weight: 1, arbitrary: valueFor(type.of, model, depth) });
  }
  const leaf = leaves[type.name];
  if (leaf) return leaf;
  const enumType = model.enums.find((each) => each.name === type.name);
  if (enumType) return fc.constantFrom(...enumType.values, 'NOPE', enumType.values[0]!.toLowerCase());
  const input = model.inputs.find((each) => each.name === type.name)!;
  if (depth === 0) return fc.constantFrom({}, null);
  const fields = Object.fromEntries(input.fields.map((field) => [field.name, valueFor(field.type, model, depth - 1)]));
  const record = fc.record(fields, { requiredKeys: [] });
  // Now and then a key the type does not define.
  return fc.tuple(record, fc.option(fc.constantFrom('extra', 'F0', '__proto__x'), { freq: 8 })).map(([value, extra]) => (extra ? { ...value, [extra]: 1 } : value));
}

const validLeaves: Record<string, fc.Arbitrary<unknown>> = {
  ...leaves,
  Int: fc.integer({ min: -2147483648, max: 2147483647 }),
  ID: fc.oneof(fc.string({ maxLength: 4 }), fc.integer()),
  Day: fc.string({ maxLength: 4 }),
};

/** A value GraphQL accepts for the type (null only where the type is nullable), so acceptance is well covered too. */
export function validValueFor(type: TypeRef, model: SchemaModel, depth = 3): fc.Arbitrary<unknown> {
  if (type.kind !== 'nonNull') return fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: validNonNull(type, model, depth) });
  return validNonNull(type.of, model, depth);
}

function validNonNull(type: TypeRef, model: SchemaModel, depth: number): fc.Arbitrary<unknown> {
  if (type.kind === 'nonNull') return validNonNull(type.of, model, depth);
  if (type.kind === 'list') return fc.array(validValueFor(type.of, model, depth), { maxLength: 3 });
  const leaf = validLeaves[type.name];
  if (leaf) return type.name === 'Open' ? leaf.filter((value) => value !== null) : leaf;
  const enumType = model.enums.find((each) => each.name === type.name);
  if (enumType) return fc.constantFrom(...enumType.values);
  const input = model.inputs.find((each) => each.name === type.name)!;
  const next = Math.max(depth - 1, 0);
  if (input.oneOf) {
    // Exactly one field, not null; at the depth limit prefer a field that does not lead back into input objects.
    const isObject = (field: (typeof input.fields)[number]) => model.inputs.some((each) => each.name === innermost(field.type));
    const fields = depth === 0 ? input.fields.filter((field) => !isObject(field)) : input.fields;
    if (fields.length === 0) return fc.constant({});
    return fc.constantFrom(...fields).chain((field) => validNonNull(field.type, model, next).map((value) => ({ [field.name]: value })));
  }
  const required = input.fields.filter((field) => field.type.kind === 'nonNull' && !field.defaultValue).map((field) => field.name);
  const fields = Object.fromEntries(input.fields.map((field) => [field.name, depth === 0 && !required.includes(field.name) ? fc.constant(null) : validValueFor(field.type, model, next)]));
  return fc.record(fields, { requiredKeys: required }).map((value) => Object.fromEntries(Object.entries(value).filter(([, item]) => !(depth === 0 && item === null))));
}

/** Variable values for the model's operation: each variable given or left out, valid or with mistakes. */
export function variablesFor(model: SchemaModel): fc.Arbitrary<Record<string, unknown>> {
  const required = model.variables.filter((variable) => variable.type.kind === 'nonNull' && !variable.defaultValue).map((variable) => variable.name);
  const valid = fc.record(Object.fromEntries(model.variables.map((variable) => [variable.name, validValueFor(variable.type, model)])), { requiredKeys: required });
  const mistaken = fc.record(Object.fromEntries(model.variables.map((variable) => [variable.name, valueFor(variable.type, model)])), { requiredKeys: [] });
  return fc.oneof(valid, mistaken);
}

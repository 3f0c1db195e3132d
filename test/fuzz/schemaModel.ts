import fc from 'fast-check';

/** A GraphQL input type reference; non-null never wraps non-null. */
export type TypeRef = { kind: 'named'; name: string } | { kind: 'list'; of: TypeRef } | { kind: 'nonNull'; of: TypeRef };

export interface InputObjectModel {
  name: string;
  oneOf: boolean;
  fields: { name: string; type: TypeRef; defaultValue?: string }[];
}

export interface VariableModel {
  name: string;
  type: TypeRef;
  defaultValue?: string;
}

/** A generated schema (enums, scalars, input objects, some recursive, some @oneOf) and one operation over it. */
export interface SchemaModel {
  enums: { name: string; values: string[] }[];
  inputs: InputObjectModel[];
  variables: VariableModel[];
}

/** Scalars every model may use: the built-ins, one the config describes (`Day`) and one it does not (`Open`). */
export const leafScalars = ['Int', 'Float', 'String', 'Boolean', 'ID', 'Day', 'Open'] as const;
/** How the config describes `Day` (ApiConfig.customScalars); the oracle's Day scalar enforces the same. */
export const customScalars = { Day: { type: 'string' } };

const enumValuePool = ['A', 'B', 'C_D', 'e', 'TRUE_', 'Null'];

/** Wraps a named type in list and non-null layers (at most two lists deep). */
function wrapped(named: fc.Arbitrary<string>): fc.Arbitrary<TypeRef> {
  const layers = fc.array(fc.constantFrom('list', 'nonNull', 'nonNullList'), { maxLength: 2 });
  return fc.tuple(named, fc.boolean(), layers).map(([name, nonNullInner, outer]) => {
    let type: TypeRef = { kind: 'named', name };
    if (nonNullInner) type = { kind: 'nonNull', of: type };
    for (const layer of outer) {
      type = { kind: 'list', of: type };
      if (layer !== 'list') type = { kind: 'nonNull', of: type };
    }
    return type;
  });
}

function defaultFor(type: TypeRef, enums: SchemaModel['enums']): string | undefined {
  const inner = type.kind === 'nonNull' ? type.of : type;
  if (inner.kind !== 'named') return undefined;
  if (inner.name === 'Int') return '7';
  if (inner.name === 'String') return '"x"';
  if (inner.name === 'Boolean') return 'true';
  return enums.find((each) => each.name === inner.name)?.values[0];
}

/**
 * Input object i may refer to objects after it freely and to itself or earlier ones only through a nullable field,
 * so no cycle is made of non-null fields alone (which GraphQL forbids).
 */
function inputObjects(enums: SchemaModel['enums'], count: number): fc.Arbitrary<InputObjectModel[]> {
  const objectNames = Array.from({ length: count }, (_, index) => `In${index}`);
  const one = (index: number) => fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 4 })).chain(([oneOf, size]) => {
    const named = fc.constantFrom(...leafScalars, ...enums.map((each) => each.name), ...objectNames);
    const field = fc.tuple(wrapped(named), fc.boolean()).map(([type, withDefault]) => {
      const target = innermost(type);
      const earlier = objectNames.indexOf(target) !== -1 && objectNames.indexOf(target) <= index;
      // @oneOf fields are nullable without defaults; a field back to an earlier object is nullable (no non-null cycle).
      const fieldType = (oneOf || earlier) && type.kind === 'nonNull' ? type.of : type;
      const defaultValue = oneOf || !withDefault ? undefined : defaultFor(fieldType, enums);
      return { type: fieldType, ...(defaultValue ? { defaultValue } : {}) };
    });
    return fc.array(field, { minLength: size, maxLength: size }).map((fields) => ({
      name: objectNames[index]!, oneOf, fields: fields.map((each, at) => ({ name: `f${at}`, ...each })),
    }));
  });
  return count === 0 ? fc.constant([]) : fc.tuple(...objectNames.map((_, index) => one(index)));
}

export function innermost(type: TypeRef): string {
  return type.kind === 'named' ? type.name : innermost(type.of);
}

export const schemaModel: fc.Arbitrary<SchemaModel> = fc
  .tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 4 }))
  .chain(([enumCount, inputCount]) => {
    const enums = fc.tuple(...Array.from({ length: enumCount }, (_, index) =>
      fc.subarray(enumValuePool, { minLength: 1 }).map((values) => ({ name: `En${index}`, values })))).map((list) => list as SchemaModel['enums']);
    return enums.chain((enumList) => inputObjects(enumList, inputCount).chain((inputs) => {
      const named = fc.constantFrom(...leafScalars, ...enumList.map((each) => each.name), ...inputs.map((each) => each.name));
      const variable = fc.tuple(wrapped(named), fc.boolean()).map(([type, withDefault]) => {
        const defaultValue = withDefault ? defaultFor(type, enumList) : undefined;
        return { type, ...(defaultValue ? { defaultValue } : {}) };
      });
      return fc.array(variable, { minLength: 1, maxLength: 5 }).map((variables) => ({
        enums: enumList, inputs, variables: variables.map((each, index) => ({ name: `v${index}`, ...each })),
      }));
    }));
  });

export function printType(type: TypeRef): string {
  if (type.kind === 'named') return type.name;
  if (type.kind === 'list') return `[${printType(type.of)}]`;
  return `${printType(type.of)}!`;
}

/** The model as SDL plus the operation document (one query passing every variable to `probe`). */
export function printModel(model: SchemaModel): { sdl: string; operation: string } {
  const enums = model.enums.map((each) => `enum ${each.name} { ${each.values.join(' ')} }`);
  const inputs = model.inputs.map((input) => `input ${input.name}${input.oneOf ? ' @oneOf' : ''} { ${input.fields
    .map((field) => `${field.name}: ${printType(field.type)}${field.defaultValue ? ` = ${field.defaultValue}` : ''}`).join(' ')} }`);
  const args = model.variables.map((variable) => `${variable.name}: ${printType(variable.type)}`).join(', ');
  const sdl = ['scalar Day', 'scalar Open', ...enums, ...inputs, `type Query { probe(${args}): Boolean }`].join('\n');
  const definitions = model.variables.map((variable) => `$${variable.name}: ${printType(variable.type)}${variable.defaultValue ? ` = ${variable.defaultValue}` : ''}`);
  const operation = `query Probe(${definitions.join(', ')}) { probe(${model.variables.map((variable) => `${variable.name}: $${variable.name}`).join(', ')}) }`;
  return { sdl, operation };
}

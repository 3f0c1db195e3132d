import fc from 'fast-check';
import { buildSchema, getVariableValues, isInputObjectType, isListType, isNonNullType, type GraphQLInputType, type GraphQLScalarType, type GraphQLSchema, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildTools } from '../../electron/core/graphql/buildTools.ts';
import { validateArguments } from '../../electron/core/graphql/validateArguments.ts';
import { makeApiConfig } from '../helpers/makeApiConfig.ts';
import { customScalars, printModel, schemaModel, type SchemaModel } from './schemaModel.ts';
import { variablesFor } from './valueFor.ts';

// Differential fuzzing (issue 7): a tool's input JSON Schema, checked by the validator the app runs before any
// upstream call, must accept exactly the variable values graphql-js's own coercion accepts. Replay a failure with
// FUZZ_SEED=<seed printed by fast-check> (and FUZZ_PATH=<path> to jump to the shrunk case).
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const path = process.env.FUZZ_PATH;
const schemas = Number(process.env.FUZZ_SCHEMAS ?? 150);
const valuesPerSchema = 20;

interface Built {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  inputSchema: Record<string, unknown>;
}

function build(model: SchemaModel): Built {
  const { sdl, operation } = printModel(model);
  const schema = buildSchema(sdl);
  // The API's own Day scalar accepts what the config says it does (customScalars.Day: { type: string }).
  (schema.getType('Day') as GraphQLScalarType).parseValue = (value: unknown) => {
    if (typeof value !== 'string') throw new TypeError('Day must be a string');
    return value;
  };
  const { tools, problems } = buildTools([{ file: 'probe.graphql', text: operation }], schema, makeApiConfig({ customScalars }));
  if (problems.length > 0 || !tools[0]) throw new Error(`generated operation was refused: ${JSON.stringify(problems)}\n${sdl}\n${operation}`);
  const definition = parse(operation).definitions[0] as OperationDefinitionNode;
  return { schema, operation: definition, inputSchema: tools[0].inputSchema };
}

/**
 * GraphQL lets a single value stand for a list of one (input coercion of lists). The tool schemas ask for the list:
 * it is what clients render and models copy, and the shorthand adds nothing a one-item list cannot say.
 */
function usesListShorthand(type: GraphQLInputType, value: unknown): boolean {
  if (isNonNullType(type)) return usesListShorthand(type.ofType, value);
  if (value === null || value === undefined) return false;
  if (isListType(type)) return Array.isArray(value) ? value.some((item) => usesListShorthand(type.ofType as GraphQLInputType, item)) : true;
  if (isInputObjectType(type) && typeof value === 'object' && !Array.isArray(value)) {
    const fields = type.getFields();
    return Object.entries(value).some(([key, item]) => fields[key] !== undefined && usesListShorthand(fields[key].type, item));
  }
  return false;
}

function graphqlAccepts(built: Built, variables: Record<string, unknown>): { accepts: boolean; errors: string[] } {
  const result = getVariableValues(built.schema, built.operation.variableDefinitions ?? [], variables);
  const shorthand = (built.operation.variableDefinitions ?? []).some((definition) => {
    const type = built.schema.getQueryType()!.getFields().probe!.args.find((arg) => arg.name === definition.variable.name.value)!.type;
    return usesListShorthand(type, variables[definition.variable.name.value]);
  });
  return { accepts: !result.errors && !shorthand, errors: result.errors?.map((error) => error.message) ?? (shorthand ? ['(list shorthand)'] : []) };
}

describe('operations → tools, differential against graphql-js coercion', () => {
  it(`accepts exactly what getVariableValues accepts (${schemas} schemas × ${valuesPerSchema} variable sets)`, () => {
    const cases = schemaModel.chain((model) => fc.tuple(fc.constant(model), fc.array(variablesFor(model), { minLength: valuesPerSchema, maxLength: valuesPerSchema })));
    fc.assert(
      fc.property(cases, ([model, variableSets]) => {
        const built = build(model);
        for (const variables of variableSets) {
          const expected = graphqlAccepts(built, variables);
          const violations = validateArguments(built.inputSchema, variables);
          if (violations.length === 0 !== expected.accepts) {
            const { sdl, operation } = printModel(model);
            throw new Error([
              `graphql-js ${expected.accepts ? 'accepts' : 'refuses'} what the tool schema ${violations.length === 0 ? 'accepts' : 'refuses'}`,
              `variables: ${JSON.stringify(variables)}`, `graphql: ${expected.errors.join('; ') || 'ok'}`, `ajv: ${violations.join('; ') || 'ok'}`,
              sdl, operation, `inputSchema: ${JSON.stringify(built.inputSchema)}`,
            ].join('\n'));
          }
        }
      }),
      { numRuns: schemas, ...(seed === undefined ? {} : { seed }), ...(path ? { path } : {}) },
    );
    expect(true).toBe(true);
  });
});

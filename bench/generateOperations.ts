import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  getNamedType, isInterfaceType, isLeafType, isNonNullType, isObjectType, parse, validate,
  type GraphQLArgument, type GraphQLField, type GraphQLNamedType, type GraphQLSchema,
} from 'graphql';

/** How many scalar fields each generated selection asks for. */
const maxScalarSelections = 6;

interface Candidate {
  name: string;
  text: string;
}

/**
 * Writes `count` schema-valid named queries (one `.graphql` file each) into `folder`: for every Query field, the
 * field itself, then each of its object fields one and two levels down, with scalar selections and required arguments as
 * variables. Taken round-robin across Query fields so the set covers the whole root, not just its first fields.
 * Returns how many were written (fewer only if the schema cannot supply `count`).
 */
export async function generateOperations(schema: GraphQLSchema, folder: string, count: number): Promise<number> {
  const perRoot = Object.values(schema.getQueryType()!.getFields()).map((field) => candidatesFor(field));
  const chosen: Candidate[] = [];
  for (let index = 0; chosen.length < count && perRoot.some((list) => index < list.length); index += 1) {
    for (const list of perRoot) {
      const candidate = list[index];
      if (candidate && chosen.length < count && isValid(schema, candidate.text)) chosen.push(candidate);
    }
  }
  await mkdir(folder, { recursive: true });
  await Promise.all(chosen.map((candidate) => writeFile(path.join(folder, `${candidate.name}.graphql`), candidate.text)));
  return chosen.length;
}

function candidatesFor(root: GraphQLField<unknown, unknown>): Candidate[] {
  const depth1 = [[root]];
  const depth2 = depth1.flatMap(objectChildren);
  const depth3 = depth2.flatMap(objectChildren);
  return [...depth1, ...depth2, ...depth3].map(toCandidate);
}

type FieldPath = GraphQLField<unknown, unknown>[];

/** The paths one level deeper through each non-leaf field of the path's last type. */
function objectChildren(fieldPath: FieldPath): FieldPath[] {
  const type = getNamedType(fieldPath.at(-1)!.type);
  if (!isObjectType(type) && !isInterfaceType(type)) return [];
  return Object.values(type.getFields()).filter((child) => !isLeafType(getNamedType(child.type))).map((child) => [...fieldPath, child]);
}

function toCandidate(fieldPath: FieldPath): Candidate {
  const levels = fieldPath.map((field, index) => ({ field, level: 'abc'.charAt(index) }));
  const variables = levels.flatMap(({ field, level }) => requiredArgs(field, level));
  const last = fieldPath.at(-1)!;
  const body = levels.reduceRight((inner, { field, level }) => `${call(field, level)}${field === last ? selectionOf(getNamedType(field.type)) : ` { ${inner} }`}`, '');
  return build(fieldPath.map((field) => capitalize(field.name)).join('_'), variables, body);
}

function build(name: string, variables: string[], body: string): Candidate {
  const declared = variables.length > 0 ? `(${variables.join(', ')})` : '';
  return { name, text: `query ${name}${declared} {\n  ${body}\n}\n` };
}

/** `$a_owner: String!` for each non-null argument without a default; `level` keeps names unique across levels. */
function requiredArgs(field: GraphQLField<unknown, unknown>, level: string): string[] {
  return field.args.filter(isRequired).map((arg) => `$${level}_${arg.name}: ${String(arg.type)}`);
}

function call(field: GraphQLField<unknown, unknown>, level: string): string {
  const args = field.args.filter(isRequired).map((arg) => `${arg.name}: $${level}_${arg.name}`);
  return args.length > 0 ? `${field.name}(${args.join(', ')})` : field.name;
}

function selectionOf(type: GraphQLNamedType): string {
  if (isLeafType(type)) return '';
  if (!isObjectType(type) && !isInterfaceType(type)) return ' { __typename }';
  const scalars = Object.values(type.getFields())
    .filter((field) => isLeafType(getNamedType(field.type)) && !field.args.some(isRequired))
    .slice(0, maxScalarSelections)
    .map((field) => field.name);
  return ` { ${(scalars.length > 0 ? scalars : ['__typename']).join(' ')} }`;
}

function isRequired(arg: GraphQLArgument): boolean {
  return isNonNullType(arg.type) && arg.defaultValue === undefined;
}

function isValid(schema: GraphQLSchema, text: string): boolean {
  return validate(schema, parse(text)).length === 0;
}

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

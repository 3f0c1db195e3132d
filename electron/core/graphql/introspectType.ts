import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  isUnionType,
  print,
  astFromValue,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { defaultIntrospectDepth, maxIntrospectDepth } from './introspectionLimits.ts';
import { oneLine, rankSchemaMatches, shorten } from './searchSchema.ts';

/** Types printed at most per call, whatever the depth: GitHub's schema reaches hundreds within three hops. */
export const maxIntrospectTypes = 25;
/** Referenced types stop being added past this size; the asked-for type is always printed whole. */
export const maxIntrospectChars = 20_000;
const maxDescriptionLength = 200;
const maxListedImplementations = 20;

/**
 * A type by name as compact SDL-like text: its fields with arguments, defaults and descriptions, enum values, input
 * fields, union members and implementations. `depth` 2 and 3 also print the types those fields refer to, breadth
 * first, up to maxIntrospectTypes. Unknown names answer with the closest type names.
 * @see https://spec.graphql.org/October2021/#sec-Type-System
 */
export function introspectType(schema: GraphQLSchema, typeName: string, depth = defaultIntrospectDepth): string {
  const root = findType(schema, typeName.trim());
  if (!root) return unknownTypeText(schema, typeName);
  const bounded = Math.min(Math.max(1, Math.floor(depth) || 1), maxIntrospectDepth);
  const printed: string[] = [];
  let size = 0;
  const seen = new Set<string>([root.name]);
  let level: GraphQLNamedType[] = [root];
  for (let hop = 1; hop <= bounded && level.length > 0; hop += 1) {
    const next: GraphQLNamedType[] = [];
    for (const type of level) {
      if (printed.length >= maxIntrospectTypes || size >= maxIntrospectChars) {
        return [...printed, `# … more types left out to keep this short; ask for them by name`].join('\n');
      }
      const text = printType(schema, type, hop === 1);
      printed.push(text);
      size += text.length;
      for (const referenced of referencedTypes(type)) {
        if (!seen.has(referenced.name)) {
          seen.add(referenced.name);
          next.push(referenced);
        }
      }
    }
    level = next;
  }
  return printed.join('\n');
}

/** Exact name first; models often get the case wrong ("user" for User). */
function findType(schema: GraphQLSchema, name: string): GraphQLNamedType | undefined {
  const exact = schema.getType(name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  return Object.values(schema.getTypeMap()).find((type) => type.name.toLowerCase() === lower);
}

function unknownTypeText(schema: GraphQLSchema, typeName: string): string {
  const similar = rankSchemaMatches(schema, typeName, 50)
    .filter((match) => match.kind === 'type')
    .slice(0, 5)
    .map((match) => match.coordinate);
  return `Unknown type "${typeName}".${similar.length > 0 ? ` Similar: ${similar.join(', ')}` : ' Use search to find type names.'}`;
}

/** Named types a type's fields, arguments, members and interfaces refer to; built-in scalars need no printing. */
function referencedTypes(type: GraphQLNamedType): GraphQLNamedType[] {
  const types: GraphQLNamedType[] = [];
  if (isObjectType(type) || isInterfaceType(type)) {
    types.push(...type.getInterfaces());
    for (const field of Object.values(type.getFields())) types.push(getNamedType(field.type), ...field.args.map((arg) => getNamedType(arg.type)));
  } else if (isInputObjectType(type)) {
    types.push(...Object.values(type.getFields()).map((field) => getNamedType(field.type)));
  } else if (isUnionType(type)) {
    types.push(...type.getTypes());
  }
  return types.filter((candidate) => !isSpecifiedScalarType(candidate));
}

function printType(schema: GraphQLSchema, type: GraphQLNamedType, detailed: boolean): string {
  const head = comment(type.description);
  if (isObjectType(type) || isInterfaceType(type)) {
    const interfaces = type.getInterfaces().map((item) => item.name);
    const keyword = isObjectType(type) ? 'type' : 'interface';
    const implemented = isInterfaceType(type) ? implementationsLine(schema, type) : '';
    const fields = Object.values(type.getFields()).map((field) => printField(field, detailed));
    return [`${head}${keyword} ${type.name}${interfaces.length > 0 ? ` implements ${interfaces.join(' & ')}` : ''} {`, ...fields, `}${implemented}`].join('\n');
  }
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).map((field) => `${printInputValue(field)}${trailing(field.description)}`);
    return [`${head}input ${type.name}${type.isOneOf ? ' @oneOf' : ''} {`, ...fields, '}'].join('\n');
  }
  if (isEnumType(type)) {
    const values = type.getValues().map((value) => `${value.name}${deprecated(value.deprecationReason)}${trailing(value.description)}`);
    return [`${head}enum ${type.name} {`, ...values, '}'].join('\n');
  }
  if (isUnionType(type)) return `${head}union ${type.name} = ${type.getTypes().map((member) => member.name).join(' | ')}`;
  return `${head}scalar ${type.name}`;
}

function implementationsLine(schema: GraphQLSchema, type: Parameters<GraphQLSchema['getImplementations']>[0]): string {
  const { objects, interfaces } = schema.getImplementations(type);
  const names = [...interfaces, ...objects].map((item) => item.name);
  if (names.length === 0) return '';
  const listed = names.slice(0, maxListedImplementations).join(', ');
  return ` # implemented by ${listed}${names.length > maxListedImplementations ? ` and ${names.length - maxListedImplementations} more` : ''}`;
}

/** Argument descriptions only for the type asked for: repeated across referenced types they would dominate the output. */
function printField(field: GraphQLField<unknown, unknown>, detailed: boolean): string {
  const args = field.args.length > 0 ? `(${field.args.map(printInputValue).join(', ')})` : '';
  const notes = [field.description, ...(detailed ? field.args.filter((arg) => arg.description).map((arg) => `${arg.name}: ${arg.description}`) : [])];
  const text = notes.filter(Boolean).map((note) => shorten(oneLine(note ?? ''), maxDescriptionLength)).join(' | ');
  return `${field.name}${args}: ${String(field.type)}${deprecated(field.deprecationReason)}${text ? ` # ${text}` : ''}`;
}

function printInputValue(value: GraphQLArgument | GraphQLInputField): string {
  const defaultAst = value.defaultValue === undefined ? undefined : astFromValue(value.defaultValue, value.type);
  return `${value.name}: ${String(value.type)}${defaultAst ? ` = ${print(defaultAst)}` : ''}${deprecated(value.deprecationReason)}`;
}

function deprecated(reason: string | null | undefined): string {
  return reason ? ` @deprecated(${JSON.stringify(shorten(oneLine(reason), 80))})` : '';
}

function comment(description: string | null | undefined): string {
  return description ? `# ${shorten(oneLine(description), maxDescriptionLength)}\n` : '';
}

function trailing(description: string | null | undefined): string {
  return description ? ` # ${shorten(oneLine(description), maxDescriptionLength)}` : '';
}

import {
  buildASTSchema,
  GraphQLError,
  Kind,
  parse,
  Source,
  validateSchema,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type GraphQLSchema,
  type Location,
} from 'graphql';
import type { Problem } from '../config/AppConfig.ts';
import { AppError } from '../errors.ts';

export interface ParsedSchema {
  schema: GraphQLSchema;
  /** Non-fatal problems (warnings): the schema was loaded anyway. */
  problems: Problem[];
}

interface NamedNode {
  name: { value: string };
  loc?: Location;
}

/**
 * Parses SDL leniently: duplicate types, fields, input fields, enum values, arguments and directives are dropped
 * (the first definition wins) and reported as warnings, because real published schemas (GitHub's) contain a few.
 * Only a syntax error or an unusable schema (e.g. a reference to an undefined type) is an AppError('SCHEMA_INVALID').
 * @see https://spec.graphql.org/October2021/#sec-Type-System
 */
export function parseSchemaSdl(sdl: string, file: string): ParsedSchema {
  const document = parseSdlDocument(sdl, file);
  const problems: Problem[] = [];
  const deduplicated = dropDuplicateDefinitions(document, file, problems);
  const schema = buildLeniently(deduplicated, file, problems);
  dropLocations(deduplicated);
  return { schema, problems };
}

/**
 * Once problems are reported, the schema's AST nodes no longer need their locations, which hold the whole token
 * chain (about half the schema's memory for GitHub's SDL). Operation locations are kept: they are parsed elsewhere.
 */
function dropLocations(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) dropLocations(item);
  } else if (value && typeof value === 'object' && 'kind' in value) {
    const node = value as Record<string, unknown>;
    if (node.loc) node.loc = undefined;
    for (const key in node) if (key !== 'loc') dropLocations(node[key]);
  }
}

function parseSdlDocument(sdl: string, file: string): DocumentNode {
  try {
    return parse(new Source(sdl, file));
  } catch (error) {
    const line = error instanceof GraphQLError ? error.locations?.[0]?.line : undefined;
    const reason = error instanceof GraphQLError ? error.message : String(error);
    throw new AppError('SCHEMA_INVALID', `${file}${line ? `:${line}` : ''}: ${reason}`, { cause: error, details: { file, line } });
  }
}

/** Strict build first; when SDL validation refuses, build without it and report why, so the schema still serves. */
function buildLeniently(document: DocumentNode, file: string, problems: Problem[]): GraphQLSchema {
  let schema: GraphQLSchema;
  try {
    schema = buildASTSchema(document);
  } catch (strictError) {
    problems.push({ severity: 'warning', file, message: `Schema is not strictly valid SDL: ${errorMessage(strictError)}` });
    schema = buildOrThrow(document, file);
  }
  const errors = validateSchema(schema);
  if (errors.length === 0) return schema;
  for (const error of errors) {
    problems.push({ severity: 'warning', file, line: error.locations?.[0]?.line, message: `Schema: ${error.message}` });
  }
  // Marked valid so operations can still be validated against it; the problems above were reported.
  return buildOrThrow(document, file, true);
}

function buildOrThrow(document: DocumentNode, file: string, assumeValid = false): GraphQLSchema {
  try {
    return buildASTSchema(document, { assumeValidSDL: true, assumeValid });
  } catch (error) {
    throw new AppError('SCHEMA_INVALID', `${file}: ${errorMessage(error)}`, { cause: error, details: { file } });
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message.replace(/\n\n/g, ' ') : String(error);
}

/** Keeps the first of each same-named type, directive, field, input field, enum value and argument. */
function dropDuplicateDefinitions(document: DocumentNode, file: string, problems: Problem[]): DocumentNode {
  const seenTypes = new Map<string, number | undefined>();
  const definitions: DefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (isTypeOrDirectiveDefinition(definition)) {
      const key = definition.kind === Kind.DIRECTIVE_DEFINITION ? `@${definition.name.value}` : definition.name.value;
      if (seenTypes.has(key)) {
        const first = seenTypes.get(key);
        problems.push(duplicateProblem(file, definition, key, first));
        continue;
      }
      seenTypes.set(key, lineOf(definition));
    }
    definitions.push(dedupeMembers(definition, file, problems));
  }
  return { ...document, definitions };
}

function isTypeOrDirectiveDefinition(definition: DefinitionNode): definition is DefinitionNode & NamedNode {
  switch (definition.kind) {
    case Kind.SCALAR_TYPE_DEFINITION:
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.INTERFACE_TYPE_DEFINITION:
    case Kind.UNION_TYPE_DEFINITION:
    case Kind.ENUM_TYPE_DEFINITION:
    case Kind.INPUT_OBJECT_TYPE_DEFINITION:
    case Kind.DIRECTIVE_DEFINITION:
      return true;
    default:
      return false;
  }
}

function dedupeMembers(definition: DefinitionNode, file: string, problems: Problem[]): DefinitionNode {
  const owner = 'name' in definition && definition.name ? definition.name.value : 'schema';
  if ('fields' in definition && definition.fields) {
    const fields = uniqueByName<FieldDefinitionNode | InputValueDefinitionNode>(definition.fields, owner, file, problems).map((field) =>
      'arguments' in field && field.arguments
        ? { ...field, arguments: uniqueByName(field.arguments, `${owner}.${field.name.value}`, file, problems) }
        : field,
    );
    return { ...definition, fields } as DefinitionNode;
  }
  if ('values' in definition && definition.values) {
    return { ...definition, values: uniqueByName(definition.values, owner, file, problems) } as DefinitionNode;
  }
  if (definition.kind === Kind.DIRECTIVE_DEFINITION && definition.arguments) {
    return { ...definition, arguments: uniqueByName(definition.arguments, `@${owner}`, file, problems) };
  }
  return definition;
}

function uniqueByName<T extends NamedNode>(nodes: readonly T[], owner: string, file: string, problems: Problem[]): T[] {
  const seen = new Map<string, number | undefined>();
  const kept: T[] = [];
  for (const node of nodes) {
    const name = node.name.value;
    if (seen.has(name)) {
      problems.push(duplicateProblem(file, node, `${owner}.${name}`, seen.get(name)));
      continue;
    }
    seen.set(name, lineOf(node));
    kept.push(node);
  }
  // Same array when nothing was dropped, so unchanged nodes stay shared.
  return kept.length === nodes.length ? (nodes as T[]) : kept;
}

function duplicateProblem(file: string, node: NamedNode, what: string, firstLine: number | undefined): Problem {
  const first = firstLine ? ` (first defined on line ${firstLine})` : '';
  return { severity: 'warning', file, line: lineOf(node), message: `${what} is defined more than once; kept the first definition${first}` };
}

function lineOf(node: { loc?: Location }): number | undefined {
  return node.loc?.startToken.line;
}

import {
  buildASTSchema,
  GraphQLError,
  isRequiredArgument,
  Kind,
  parse,
  Source,
  specifiedDirectives,
  validateSchema,
  type ConstDirectiveNode,
  type ConstValueNode,
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

/** The line a node starts on; `owner` is the type or directive definition it belongs to (itself for a definition). */
type LineOf = (node: NamedNode, owner: DefinitionNode) => number | undefined;

/**
 * Parses SDL leniently: duplicate types, fields, input fields, enum values, arguments and directives are dropped
 * (the first definition wins) and reported as warnings, because real published schemas (GitHub's) contain a few.
 * Only a syntax error or an unusable schema (e.g. a reference to an undefined type) is an AppError('SCHEMA_INVALID').
 * @see https://spec.graphql.org/October2021/#sec-Type-System
 */
export function parseSchemaSdl(sdl: string, file: string): ParsedSchema {
  return parseQuickly(sdl, file) ?? parseThoroughly(sdl, file);
}

/**
 * The usual case in less time and memory (GitHub's 1.2 MB SDL): parsed in pieces without locations, so each piece's
 * tokens are garbage as soon as it is parsed, and built without graphql's SDL validation when passesSdlRules shows it
 * would pass. Undefined whenever anything is wrong (syntax, SDL rules, build, schema validation): parseThoroughly
 * then gives the result, so problems and errors are exactly the same either way.
 */
function parseQuickly(sdl: string, file: string): ParsedSchema | undefined {
  const pieces = parsePieces(sdl, file);
  if (!pieces) return undefined;
  const problems: Problem[] = [];
  const deduplicated = dropDuplicateDefinitions(pieces.document, file, problems, pieces.lineOf);
  if (!passesSdlRules(deduplicated)) return undefined;
  let schema: GraphQLSchema;
  try {
    schema = buildASTSchema(deduplicated, { assumeValidSDL: true });
  } catch {
    return undefined;
  }
  return validateSchema(schema).length === 0 ? { schema, problems } : undefined;
}

function parseThoroughly(sdl: string, file: string): ParsedSchema {
  const document = parseSdlDocument(sdl, file);
  const problems: Problem[] = [];
  const deduplicated = dropDuplicateDefinitions(document, file, problems, (node) => node.loc?.startToken.line);
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

// Small enough that re-parsing one piece for a duplicate's line is cheap; larger pieces are not faster.
const pieceLength = 8 * 1024;

interface Piece {
  start: number;
  end: number;
  definitions: readonly DefinitionNode[];
  /** The same text parsed again with locations, only when a line is asked for. */
  located?: DocumentNode;
}

/**
 * The SDL parsed without locations, in pieces that end where a top-level definition's closing brace does, and a
 * LineOf that finds a node's line by parsing its piece again with locations (only duplicates ask for lines).
 * Undefined on a syntax error: the whole text is then parsed again for graphql's exact error and line.
 */
function parsePieces(sdl: string, file: string): { document: DocumentNode; lineOf: LineOf } | undefined {
  const pieces: Piece[] = [];
  const pieceOf = new Map<DefinitionNode, Piece>();
  const definitions: DefinitionNode[] = [];
  try {
    for (const end of pieceEnds(sdl, pieceLength)) {
      const start = pieces.at(-1)?.end ?? 0;
      const piece: Piece = { start, end, definitions: parse(new Source(sdl.slice(start, end), file), { noLocation: true }).definitions };
      pieces.push(piece);
      for (const definition of piece.definitions) pieceOf.set(definition, piece);
      definitions.push(...piece.definitions);
    }
  } catch {
    return undefined;
  }
  const firstLines = [1];
  const lineOf: LineOf = (node, owner) => {
    const piece = pieceOf.get(owner);
    if (!piece) return undefined;
    piece.located ??= parse(new Source(sdl.slice(piece.start, piece.end), file));
    const twin = findTwin(owner, piece.located.definitions[piece.definitions.indexOf(owner)], node);
    const index = pieces.indexOf(piece);
    // Line ends counted once, and only as far as the pieces asked about.
    for (let next = firstLines.length; next <= index; next += 1) firstLines.push(firstLines[next - 1]! + countLineEnds(sdl.slice(pieces[next - 1]!.start, pieces[next]!.start)));
    return twin?.loc ? firstLines[index]! + twin.loc.startToken.line - 1 : undefined;
  };
  return { document: { kind: Kind.DOCUMENT, definitions }, lineOf };
}

/**
 * Offsets just after a `}` that closes a top-level definition (brackets balanced, outside strings and comments), about
 * every `length` characters, ending with the text's length. A piece boundary there is a definition boundary, and
 * text the scan misreads only makes a piece fail to parse, which falls back to parsing the whole.
 */
function pieceEnds(sdl: string, length: number): number[] {
  const ends: number[] = [];
  const notable = /[#"{}()[\]]/g;
  let depth = 0;
  for (let match = notable.exec(sdl); match; match = notable.exec(sdl)) {
    const char = match[0];
    if (char === '#') notable.lastIndex = lineEnd(sdl, match.index);
    else if (char === '"') notable.lastIndex = stringEnd(sdl, match.index);
    else if (char === '{' || char === '(' || char === '[') depth += 1;
    else if ((depth -= 1) === 0 && char === '}' && notable.lastIndex - (ends.at(-1) ?? 0) >= length) ends.push(notable.lastIndex);
  }
  // A last piece of only whitespace and comments would not parse on its own: it joins the one before.
  if (ends.length > 0 && /^[\s,\ufeff]*$/.test(sdl.slice(ends.at(-1)).replace(/#[^\n\r]*/g, ''))) ends.pop();
  ends.push(sdl.length);
  return ends;
}

function lineEnd(text: string, index: number): number {
  const lineBreak = /[\n\r]/g;
  lineBreak.lastIndex = index;
  return lineBreak.exec(text)?.index ?? text.length;
}

/** Offset just after the string or block string opening at `index` (the text's length when unterminated). */
function stringEnd(text: string, index: number): number {
  if (text.startsWith('"""', index)) {
    for (let at = text.indexOf('"""', index + 3); at >= 0; at = text.indexOf('"""', at + 3)) {
      if (text.charCodeAt(at - 1) !== 0x5c) return at + 3; // \""" is an escaped quote inside a block string
    }
    return text.length;
  }
  for (let at = index + 1; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (code === 0x5c) at += 1;
    else if (code === 0x22) return at + 1;
    else if (code === 0x0a || code === 0x0d) return at;
  }
  return text.length;
}

/** Line ends as graphql's lexer counts them: \r\n, \n and \r are one each. */
function countLineEnds(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count += 1;
  for (let at = text.indexOf('\r'); at >= 0; at = text.indexOf('\r', at + 1)) if (text.charCodeAt(at + 1) !== 0x0a) count += 1;
  return count;
}

/**
 * The node of `copy` (the same definition parsed again) at the place `target` has in `original`: the definition
 * itself, one of its fields, input fields, enum values or arguments, or an argument of one of its fields.
 */
function findTwin(original: DefinitionNode, copy: DefinitionNode | undefined, target: NamedNode): NamedNode | undefined {
  if (original === target) return copy as NamedNode | undefined;
  const membersOf = (node: unknown): readonly unknown[] => {
    const { fields, values, arguments: args } = node as { fields?: readonly unknown[]; values?: readonly unknown[]; arguments?: readonly unknown[] };
    return fields ?? values ?? args ?? [];
  };
  const members = membersOf(original);
  const copies = membersOf(copy);
  const index = members.indexOf(target);
  if (index >= 0) return copies[index] as NamedNode | undefined;
  for (const [at, member] of members.entries()) {
    const argumentIndex = ((member as { arguments?: readonly unknown[] }).arguments ?? []).indexOf(target);
    if (argumentIndex >= 0) return (copies[at] as { arguments?: readonly NamedNode[] } | undefined)?.arguments?.[argumentIndex];
  }
  return undefined;
}

interface AppliedDirectiveRule {
  locations: readonly string[];
  repeatable: boolean;
  arguments: ReadonlySet<string>;
  required: readonly string[];
}

/**
 * True only when graphql's SDL rules (specifiedSDLRules, about 85 ms on GitHub's schema) surely find nothing in a
 * deduplicated document, in one direct pass: type and directive definitions and at most one schema definition with
 * unique operation types (no extensions, nothing executable), and every applied directive known, allowed where it
 * stands, not repeated unless repeatable, with known, unique and all required arguments, and no object value with a
 * repeated field. Unique names are dropDuplicateDefinitions' work; unknown types make the build throw.
 */
function passesSdlRules(document: DocumentNode): boolean {
  const rules = new Map<string, AppliedDirectiveRule>();
  for (const directive of specifiedDirectives) {
    const required = directive.args.filter(isRequiredArgument).map((arg) => arg.name);
    rules.set(directive.name, { locations: directive.locations, repeatable: directive.isRepeatable, arguments: new Set(directive.args.map((arg) => arg.name)), required });
  }
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.DIRECTIVE_DEFINITION) continue;
    const args = definition.arguments ?? [];
    const required = args.filter((arg) => arg.type.kind === Kind.NON_NULL_TYPE && arg.defaultValue == null).map((arg) => arg.name.value);
    rules.set(definition.name.value, { locations: definition.locations.map((name) => name.value), repeatable: definition.repeatable, arguments: new Set(args.map((arg) => arg.name.value)), required });
  }
  let schemaDefinitions = 0;
  return document.definitions.every((definition) => {
    if (definition.kind === Kind.SCHEMA_DEFINITION) {
      schemaDefinitions += 1;
      const operations = definition.operationTypes.map((operationType) => operationType.operation);
      return schemaDefinitions === 1 && new Set(operations).size === operations.length && directivesPass(definition.directives, 'SCHEMA', rules);
    }
    const location = definitionLocations[definition.kind];
    if (!location || !directivesPass((definition as { directives?: readonly ConstDirectiveNode[] }).directives, location, rules)) return false;
    if (definition.kind === Kind.DIRECTIVE_DEFINITION) return !definition.directives?.length && inputValuesPass(definition.arguments, 'ARGUMENT_DEFINITION', rules);
    if (definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) return inputValuesPass(definition.fields, 'INPUT_FIELD_DEFINITION', rules);
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION) return (definition.values ?? []).every((value) => directivesPass(value.directives, 'ENUM_VALUE', rules));
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) return true;
    return (definition.fields ?? []).every((field) => directivesPass(field.directives, 'FIELD_DEFINITION', rules) && inputValuesPass(field.arguments, 'ARGUMENT_DEFINITION', rules));
  });
}

// Where a directive on each kind of definition stands; kinds not listed (extensions, operations) take the full rules.
const definitionLocations: Partial<Record<Kind, string>> = {
  [Kind.SCALAR_TYPE_DEFINITION]: 'SCALAR',
  [Kind.OBJECT_TYPE_DEFINITION]: 'OBJECT',
  [Kind.INTERFACE_TYPE_DEFINITION]: 'INTERFACE',
  [Kind.UNION_TYPE_DEFINITION]: 'UNION',
  [Kind.ENUM_TYPE_DEFINITION]: 'ENUM',
  [Kind.INPUT_OBJECT_TYPE_DEFINITION]: 'INPUT_OBJECT',
  [Kind.DIRECTIVE_DEFINITION]: 'DIRECTIVE_DEFINITION',
};

function inputValuesPass(values: readonly InputValueDefinitionNode[] | undefined, location: string, rules: ReadonlyMap<string, AppliedDirectiveRule>): boolean {
  return (values ?? []).every((value) => directivesPass(value.directives, location, rules) && (!value.defaultValue || valueFieldsAreUnique(value.defaultValue)));
}

function directivesPass(directives: readonly ConstDirectiveNode[] | undefined, location: string, rules: ReadonlyMap<string, AppliedDirectiveRule>): boolean {
  if (!directives || directives.length === 0) return true;
  const seen = new Set<string>();
  for (const directive of directives) {
    const rule = rules.get(directive.name.value);
    if (!rule || !rule.locations.includes(location) || (!rule.repeatable && seen.has(directive.name.value))) return false;
    seen.add(directive.name.value);
    const names = (directive.arguments ?? []).map((argument) => argument.name.value);
    if (new Set(names).size !== names.length || !names.every((name) => rule.arguments.has(name)) || !rule.required.every((name) => names.includes(name))) return false;
    if (!(directive.arguments ?? []).every((argument) => valueFieldsAreUnique(argument.value))) return false;
  }
  return true;
}

function valueFieldsAreUnique(value: ConstValueNode): boolean {
  if (value.kind === Kind.LIST) return value.values.every(valueFieldsAreUnique);
  if (value.kind !== Kind.OBJECT) return true;
  const names = value.fields.map((field) => field.name.value);
  return new Set(names).size === names.length && value.fields.every((field) => valueFieldsAreUnique(field.value));
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

interface Dedupe {
  file: string;
  problems: Problem[];
  lineOf: LineOf;
}

/** Keeps the first of each same-named type, directive, field, input field, enum value and argument. */
function dropDuplicateDefinitions(document: DocumentNode, file: string, problems: Problem[], lineOf: LineOf): DocumentNode {
  const dedupe: Dedupe = { file, problems, lineOf };
  const seenTypes = new Map<string, DefinitionNode & NamedNode>();
  const definitions: DefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (isTypeOrDirectiveDefinition(definition)) {
      const key = definition.kind === Kind.DIRECTIVE_DEFINITION ? `@${definition.name.value}` : definition.name.value;
      const first = seenTypes.get(key);
      if (first) {
        problems.push(duplicateProblem(dedupe, key, definition, definition, first, first));
        continue;
      }
      seenTypes.set(key, definition);
    }
    definitions.push(dedupeMembers(definition, dedupe));
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

/** The definition itself when none of its members is a duplicate, so the document is not copied for nothing. */
function dedupeMembers(definition: DefinitionNode, dedupe: Dedupe): DefinitionNode {
  const owner = 'name' in definition && definition.name ? definition.name.value : 'schema';
  if ('fields' in definition && definition.fields) {
    let changed = false;
    const unique = uniqueByName<FieldDefinitionNode | InputValueDefinitionNode>(definition.fields, owner, definition, dedupe);
    const fields = unique.map((field) => {
      const args = 'arguments' in field && field.arguments ? uniqueByName(field.arguments, `${owner}.${field.name.value}`, definition, dedupe) : undefined;
      if (!args || args === (field as FieldDefinitionNode).arguments) return field;
      changed = true;
      return { ...field, arguments: args };
    });
    return changed || unique !== definition.fields ? ({ ...definition, fields } as DefinitionNode) : definition;
  }
  if ('values' in definition && definition.values) {
    const values = uniqueByName(definition.values, owner, definition, dedupe);
    return values === definition.values ? definition : ({ ...definition, values } as DefinitionNode);
  }
  if (definition.kind === Kind.DIRECTIVE_DEFINITION && definition.arguments) {
    const args = uniqueByName(definition.arguments, `@${owner}`, definition, dedupe);
    return args === definition.arguments ? definition : { ...definition, arguments: args };
  }
  return definition;
}

function uniqueByName<T extends NamedNode>(nodes: readonly T[], ownerName: string, owner: DefinitionNode, dedupe: Dedupe): T[] {
  if (nodes.length < 2) return nodes as T[];
  const seen = new Map<string, T>();
  const kept: T[] = [];
  for (const node of nodes) {
    const name = node.name.value;
    const first = seen.get(name);
    if (first) {
      dedupe.problems.push(duplicateProblem(dedupe, `${ownerName}.${name}`, node, owner, first, owner));
      continue;
    }
    seen.set(name, node);
    kept.push(node);
  }
  // Same array when nothing was dropped, so unchanged nodes stay shared.
  return kept.length === nodes.length ? (nodes as T[]) : kept;
}

function duplicateProblem(dedupe: Dedupe, what: string, node: NamedNode, owner: DefinitionNode, first: NamedNode, firstOwner: DefinitionNode): Problem {
  const firstLine = dedupe.lineOf(first, firstOwner);
  const line = dedupe.lineOf(node, owner);
  const since = firstLine ? ` (first defined on line ${firstLine})` : '';
  return { severity: 'warning', file: dedupe.file, line, message: `${what} is defined more than once; kept the first definition${since}` };
}

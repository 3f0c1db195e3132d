import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { defaultSearchLimit, maxSearchLimit } from './introspectionLimits.ts';

export interface SchemaMatch {
  kind: 'type' | 'field';
  /** `User` for a type, `User.login` for a field. */
  coordinate: string;
  score: number;
  /** One minified line: `User.login: String! # The username used to login.` */
  line: string;
}

interface IndexEntry {
  kind: SchemaMatch['kind'];
  coordinate: string;
  name: string;
  nameWords: string[];
  descriptionWords: Set<string>;
  line: string;
}

const maxDescriptionLength = 120;

// Built once per schema: GitHub's has ~25k fields, and search is called repeatedly against the same schema.
const indexes = new WeakMap<GraphQLSchema, IndexEntry[]>();

/**
 * Finds types and fields by words, one minified line per hit, best first (see rankSchemaMatches).
 * @see https://spec.graphql.org/September2025/#sec-Schema-Coordinates
 */
export function searchSchema(schema: GraphQLSchema, query: string, limit = defaultSearchLimit): string {
  const matches = rankSchemaMatches(schema, query, limit);
  if (matches.length === 0) return `No types or fields match "${query.trim()}".`;
  return matches.map((match) => match.line).join('\n');
}

/**
 * Ranks types and fields against the query: exact name > name prefix > query word in the name > query word in the
 * description; more matched words rank higher within a tier, then types before fields, shorter names first.
 */
export function rankSchemaMatches(schema: GraphQLSchema, query: string, limit = defaultSearchLimit): SchemaMatch[] {
  const phrase = normalize(query);
  const words = [...new Set(splitWords(query))];
  if (!phrase) return [];
  const bounded = Math.min(Math.max(1, Math.floor(limit) || defaultSearchLimit), maxSearchLimit);
  const matches: SchemaMatch[] = [];
  for (const entry of indexOf(schema)) {
    const score = scoreEntry(entry, phrase, words);
    if (score > 0) matches.push({ kind: entry.kind, coordinate: entry.coordinate, score, line: entry.line });
  }
  return matches.sort(compareMatches).slice(0, bounded);
}

function scoreEntry(entry: IndexEntry, phrase: string, words: string[]): number {
  const name = normalize(entry.name);
  const inName = words.filter((word) => entry.nameWords.includes(word) || name.includes(singular(word))).length;
  const inDescription = words.filter((word) => entry.descriptionWords.has(word) || entry.descriptionWords.has(singular(word))).length;
  const tier = name === phrase || normalize(entry.coordinate) === phrase ? 4 : name.startsWith(phrase) ? 3 : inName > 0 ? 2 : inDescription > 0 ? 1 : 0;
  if (tier === 0) return 0;
  // Among exact and prefix matches the name says it all; a wordy description must not outrank a type.
  return tier * 1000 + inName * 20 + (tier <= 2 ? inDescription * 5 : 0);
}

function compareMatches(a: SchemaMatch, b: SchemaMatch): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.kind !== b.kind) return a.kind === 'type' ? -1 : 1;
  if (a.coordinate.length !== b.coordinate.length) return a.coordinate.length - b.coordinate.length;
  return a.coordinate < b.coordinate ? -1 : a.coordinate > b.coordinate ? 1 : 0;
}

/** "stargazers" also finds `stargazerCount`: a crude plural strip, enough for schema vocabulary. */
function singular(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/** Lower case without separators: "pull request", "pull_request" and "PullRequest" compare equal. */
function normalize(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9.]/g, '');
}

/** "PullRequestReview created_at" → ["pull", "request", "review", "created", "at"]. */
export function splitWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 1);
}

function indexOf(schema: GraphQLSchema): IndexEntry[] {
  let index = indexes.get(schema);
  if (!index) {
    index = Object.values(schema.getTypeMap())
      .filter((type) => !isIntrospectionType(type))
      .flatMap((type) => [typeEntry(type), ...fieldEntries(type)]);
    indexes.set(schema, index);
  }
  return index;
}

function typeEntry(type: GraphQLNamedType): IndexEntry {
  const kind = isObjectType(type) ? 'type' : isInterfaceType(type) ? 'interface' : isInputObjectType(type) ? 'input' : kindWord(type);
  return entry('type', type.name, type.name, type.description, `${kind} ${type.name}`);
}

function kindWord(type: GraphQLNamedType): string {
  return isEnumType(type) ? 'enum' : isUnionType(type) ? 'union' : 'scalar';
}

function fieldEntries(type: GraphQLNamedType): IndexEntry[] {
  if (!isObjectType(type) && !isInterfaceType(type) && !isInputObjectType(type)) return [];
  return Object.values<GraphQLField<unknown, unknown> | GraphQLInputField>(type.getFields()).map((field) => {
    const args = 'args' in field && field.args.length > 0 ? `(${field.args.map(formatArgument).join(', ')})` : '';
    const coordinate = `${type.name}.${field.name}`;
    return entry('field', field.name, coordinate, field.description, `${coordinate}${args}: ${String(field.type)}`);
  });
}

function formatArgument(argument: GraphQLArgument): string {
  return `${argument.name}: ${String(argument.type)}`;
}

function entry(kind: IndexEntry['kind'], name: string, coordinate: string, description: string | null | undefined, signature: string): IndexEntry {
  const text = oneLine(description ?? '');
  return {
    kind,
    coordinate,
    name,
    nameWords: splitWords(name),
    descriptionWords: new Set(splitWords(text)),
    line: text ? `${signature} # ${shorten(text, maxDescriptionLength)}` : signature,
  };
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

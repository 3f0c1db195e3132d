import {
  Kind,
  TokenKind,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type Location,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type Token,
} from 'graphql';

/** Generated descriptions are cut here: tools/list is sent to the model on every turn. */
export const maxGeneratedDescriptionLength = 1024;

/**
 * The tool description: the operation's leading `#` comment block when it has one (the author's words), else one
 * line per root field from the schema's descriptions (`Query.user: Lookup a user by login.`), bounded in length.
 */
export function describeOperation(
  operation: OperationDefinitionNode,
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): string {
  const comment = leadingComment(operation.loc);
  if (comment) return comment;
  const rootType = schema.getRootType(operation.operation);
  const typeName = rootType?.name ?? operation.operation;
  const fields = rootType?.getFields() ?? {};
  const lines = rootFieldNames(operation.selectionSet, fragments, new Set()).map((name) => {
    const description = fields[name]?.description?.replace(/\s+/g, ' ').trim();
    return `${typeName}.${name}${description ? `: ${description}` : ''}`;
  });
  return truncate([...new Set(lines)].join('\n'), maxGeneratedDescriptionLength);
}

function rootFieldNames(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, visited: Set<string>): string[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value === '__typename' ? [] : [selection.name.value];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFieldNames(selection.selectionSet, fragments, visited);
    const fragment = fragments.get(selection.name.value);
    if (!fragment || visited.has(fragment.name.value)) return [];
    visited.add(fragment.name.value);
    return rootFieldNames(fragment.selectionSet, fragments, visited);
  });
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The `#` comment lines directly above a definition (no blank line between), read from the lexer's token chain
 * because graphql-js keeps comments only there. `#import` lines (a bundler convention) are not description.
 */
export function leadingComment(loc: Location | undefined): string {
  const lines: string[] = [];
  let expectedLine = (loc?.startToken.line ?? 0) - 1;
  for (let token = loc?.startToken.prev; token && isOwnLineComment(token) && token.line === expectedLine; token = token.prev) {
    lines.unshift(commentText(token));
    expectedLine -= 1;
  }
  return lines.filter((line) => !line.startsWith('import ')).join('\n').trim();
}

/**
 * A variable's description: the `#` comment at the end of its line, else comment lines directly above it.
 * `$id: ID! # the user's id` → "the user's id".
 */
export function variableComment(loc: Location | undefined): string {
  const next = loc?.endToken.next;
  if (next && next.kind === TokenKind.COMMENT && next.line === loc?.endToken.line) return commentText(next);
  return leadingComment(loc);
}

function isOwnLineComment(token: Token): boolean {
  return token.kind === TokenKind.COMMENT && (token.prev === null || token.prev.line !== token.line);
}

function commentText(token: Token): string {
  return String(token.value ?? '').trim();
}

/** "GetUser" → "Get user", "listOpenPRs" → "List open PRs", "search_repos" → "Search repos", "WhoAmI" → "Who am I". */
export function humanizeName(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z](?:[a-rt-z]|s[a-z]))/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean);
  const sentence = words.map((word, index) => (index > 0 && !isAcronym(word) ? word.toLowerCase() : word)).join(' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

function isAcronym(word: string): boolean {
  return word === 'I' || /^[A-Z0-9]{2,}s?$/.test(word);
}

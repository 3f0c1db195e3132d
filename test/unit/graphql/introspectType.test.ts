import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { introspectType, maxIntrospectTypes } from '../../../electron/core/graphql/introspectType.ts';

const schema = buildSchema(`
  "Something with an id."
  interface Node { id: ID! }
  "A person."
  type User implements Node {
    id: ID!
    "Repositories the user owns."
    repos("How many." first: Int = 10, order: Order): [Repo!]! @deprecated(reason: "Use repositories.")
    profile: Profile
  }
  type Repo implements Node { id: ID!, owner: User!, license: License }
  type Profile { bio: String }
  type License { key: String! }
  "Sort order."
  enum Order { "Oldest first." ASC DESC }
  input Filter @oneOf { id: ID, name: String = "x" }
  union Result = User | Repo
  scalar DateTime
  type Query { node(id: ID!): Node, search(filter: Filter): [Result!]! }
`);

describe('introspectType', () => {
  it('prints only the asked-for type, with argument descriptions and defaults, at depth 1', () => {
    expect(introspectType(schema, 'User')).toBe([
      '# A person.',
      'type User implements Node {',
      'id: ID!',
      'repos(first: Int = 10, order: Order): [Repo!]! @deprecated("Use repositories.") # Repositories the user owns. | first: How many.',
      'profile: Profile',
      '}',
    ].join('\n'));
  });

  it('adds the types the fields refer to, one hop per depth level', () => {
    const names = (depth: number) => [...introspectType(schema, 'User', depth).matchAll(/^(?:type|interface|enum|input|union|scalar) (\w+)/gm)].map((match) => match[1]);
    expect(names(1)).toEqual(['User']);
    expect(names(2)).toEqual(['User', 'Node', 'Repo', 'Order', 'Profile']);
    expect(names(3)).toEqual(['User', 'Node', 'Repo', 'Order', 'Profile', 'License']);
  });

  it('clamps the depth to 3 however deep the caller asks', () => {
    expect(introspectType(schema, 'Query', 99)).toBe(introspectType(schema, 'Query', 3));
    expect(introspectType(schema, 'Query', 99)).not.toBe(introspectType(schema, 'Query', 2));
  });

  it('stops at the type limit with a note when a schema is wide', () => {
    const fields = Array.from({ length: 40 }, (_, index) => `f${index}: T${index}`).join(' ');
    const types = Array.from({ length: 40 }, (_, index) => `type T${index} { x: Int }`).join('\n');
    const wide = buildSchema(`type Query { ${fields} }\n${types}`);
    const text = introspectType(wide, 'Query', 2);
    expect(text.match(/^type /gm)).toHaveLength(maxIntrospectTypes);
    expect(text.endsWith('# … more types left out to keep this short; ask for them by name')).toBe(true);
  });

  it('prints enums, @oneOf inputs, unions, scalars and interface implementations', () => {
    expect(introspectType(schema, 'Order')).toBe('# Sort order.\nenum Order {\nASC # Oldest first.\nDESC\n}');
    expect(introspectType(schema, 'Filter')).toBe('input Filter @oneOf {\nid: ID\nname: String = "x"\n}');
    expect(introspectType(schema, 'Result')).toBe('union Result = User | Repo');
    expect(introspectType(schema, 'DateTime')).toBe('scalar DateTime');
    expect(introspectType(schema, 'Node')).toBe('# Something with an id.\ninterface Node {\nid: ID!\n} # implemented by User, Repo');
  });

  it('finds a type whatever the case of the name', () => {
    expect(introspectType(schema, 'profile')).toBe('type Profile {\nbio: String\n}');
  });

  it('answers with similar names when the type does not exist', () => {
    expect(introspectType(schema, 'Repository')).toBe('Unknown type "Repository". Use search to find type names.');
    expect(introspectType(schema, 'Prof')).toBe('Unknown type "Prof". Similar: Profile');
  });
});

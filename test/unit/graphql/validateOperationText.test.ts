import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkOperationText, validateOperationText } from '../../../electron/core/graphql/validateOperationText.ts';

const schema = buildSchema('type User { login: String!, name: String } type Query { viewer: User! } type Mutation { ping: Boolean }');

describe('validateOperationText', () => {
  it('answers valid with the operations when the text is valid', () => {
    expect(validateOperationText(schema, 'query Me { viewer { login } }\nmutation Ping { ping }')).toBe('valid: query Me, mutation Ping');
  });

  it('gives line and column of a syntax error', () => {
    expect(validateOperationText(schema, 'query Me {\n  viewer {\n    login\n')).toBe('4:1 Syntax error: Expected Name, found <EOF>.');
  });

  it('gives line, column and reason of each validation error', () => {
    expect(validateOperationText(schema, 'query Me {\n  viewer { nme }\n  nope\n}')).toBe(
      '2:12 Cannot query field "nme" on type "User". Did you mean "name"?\n3:3 Cannot query field "nope" on type "Query".',
    );
  });

  it('refuses text that holds no operation', () => {
    expect(checkOperationText(schema, 'fragment F on User { login }').errors.map((error) => error.message)).toContain('Fragment "F" is never used.');
  });

  it('refuses text with too many tokens instead of parsing it all', () => {
    const huge = `query Q { ${'viewer { login } '.repeat(6000)} }`;
    expect(validateOperationText(schema, huge)).toMatch(/^1:\d+ Syntax error: Document contains more tha[nt] 20000 tokens/);
  });
});

import { describe, expect, it } from 'vitest';
import { isDestructiveCall } from '../../../electron/core/approvals/isDestructiveCall.ts';
import type { ToolDefinition } from '../../../electron/core/graphql/OperationTool.ts';

const tool = (destructiveHint: boolean): ToolDefinition => ({
  name: 'x', description: '', inputSchema: { type: 'object' }, annotations: destructiveHint ? { destructiveHint, readOnlyHint: false } : { readOnlyHint: true },
});

describe('isDestructiveCall', () => {
  it('counts mutation tools and not queries', () => {
    expect(isDestructiveCall(tool(true), 'operation', {})).toBe(true);
    expect(isDestructiveCall(tool(false), 'operation', {})).toBe(false);
  });

  it('counts execute when the text it runs holds a mutation', () => {
    expect(isDestructiveCall(tool(true), 'introspection', { query: 'mutation M { a }' })).toBe(true);
    expect(isDestructiveCall(tool(true), 'introspection', { query: '{ a }' })).toBe(false);
    // operationName may pick either operation, so the text counts as a mutation.
    expect(isDestructiveCall(tool(true), 'introspection', { query: 'query Q { a } mutation M { b }', operationName: 'Q' })).toBe(true);
    // execute refuses text that does not parse before anything is sent.
    expect(isDestructiveCall(tool(true), 'introspection', { query: 'mutation {' })).toBe(false);
    // With mutations off for the API, execute is read-only and refuses mutations itself.
    expect(isDestructiveCall(tool(false), 'introspection', { query: 'mutation M { a }' })).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { ToolView } from '../../../electron/ipc/contract.ts';
import { filterTools, groupToolsByApi, toolEffect } from '../../../renderer/src/lib/tools.ts';

const tool = (name: string, api: string, extra: Partial<ToolView> = {}): ToolView => ({
  name,
  api,
  description: `${name} of ${api}`,
  kind: 'operation',
  readOnly: true,
  destructive: false,
  ...extra,
});

const tools = [
  tool('search', 'acme', { kind: 'introspection' }),
  tool('ListOrders', 'acme', { title: 'List orders' }),
  tool('CancelOrder', 'acme', { readOnly: false, destructive: true, description: 'Cancels an open order' }),
  tool('ListInvoices', 'billing'),
];

describe('filterTools', () => {
  it('keeps tools matching every word in name, title, description or API, ignoring case', () => {
    expect(filterTools(tools, 'ORDER acme').map((t) => t.name)).toEqual(['ListOrders', 'CancelOrder']);
    expect(filterTools(tools, 'billing').map((t) => t.name)).toEqual(['ListInvoices']);
    expect(filterTools(tools, 'open').map((t) => t.name)).toEqual(['CancelOrder']);
  });

  it('keeps everything when the query is blank, and nothing when no tool matches', () => {
    expect(filterTools(tools, '   ')).toHaveLength(4);
    expect(filterTools(tools, 'order billing')).toEqual([]);
  });
});

describe('groupToolsByApi', () => {
  it('groups by API in name order, operations before introspection tools', () => {
    expect(groupToolsByApi(tools).map((g) => [g.api, g.tools.map((t) => t.name)])).toEqual([
      ['acme', ['CancelOrder', 'ListOrders', 'search']],
      ['billing', ['ListInvoices']],
    ]);
  });

  it('does not reorder the list it was given', () => {
    const input = [...tools];
    groupToolsByApi(input);
    expect(input).toEqual(tools);
  });
});

describe('toolEffect', () => {
  it('names read-only, mutation and destructive tools', () => {
    expect(toolEffect(tool('a', 'x'))).toBe('read-only');
    expect(toolEffect(tool('a', 'x', { readOnly: false }))).toBe('mutation');
    expect(toolEffect(tool('a', 'x', { readOnly: false, destructive: true }))).toBe('destructive');
  });
});

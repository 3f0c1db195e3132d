import type { MemoryBridgeState } from './createMemoryBridge.ts';
import type { ToolView } from '../../../electron/ipc/contract.ts';

const acmeTools: ToolView[] = [
  { name: 'ListProducts', api: 'acme', title: 'List products', description: 'Products in the catalogue, filtered by category and availability.', kind: 'operation', readOnly: true, destructive: false },
  { name: 'GetOrder', api: 'acme', title: 'Get order', description: 'One order with its lines, customer and delivery status.', kind: 'operation', readOnly: true, destructive: false },
  { name: 'CreateOrder', api: 'acme', title: 'Create order', description: 'Places an order for a customer; lines are nested input objects.', kind: 'operation', readOnly: false, destructive: false },
  { name: 'CancelOrder', api: 'acme', title: 'Cancel order', description: 'Cancels an open order. It cannot be undone.', kind: 'operation', readOnly: false, destructive: true },
  { name: 'introspect', api: 'acme', title: 'Introspect acme schema', description: 'Describes a type of the acme schema by name.', kind: 'introspection', readOnly: true, destructive: false },
  { name: 'search', api: 'acme', title: 'Search acme schema', description: 'Finds types and fields of the acme schema by words.', kind: 'introspection', readOnly: true, destructive: false },
];

const billingTools: ToolView[] = [
  { name: 'billing_ListInvoices', api: 'billing', title: 'List invoices', description: 'Invoices of a customer, newest first.', kind: 'operation', readOnly: true, destructive: false },
];

/** A filled window: what the built-in demo looks like with a client connected and one misconfigured API. */
export const sampleState: MemoryBridgeState = {
  status: { endpoint: 'http://127.0.0.1:47320/mcp', mode: 'demo', version: '0.1.0' },
  tools: [...acmeTools, ...billingTools],
  problems: [
    { severity: 'error', message: 'Cannot query field "sku" on type "Product".', file: 'operations/acme/products.graphql', line: 7, api: 'acme' },
    { severity: 'warning', message: 'Anonymous operation skipped: give it a name to make it a tool.', file: 'operations/acme/scratch.graphql', line: 1, api: 'acme' },
  ],
  auth: { state: 'signed-out' },
  warnings: [
    {
      api: 'billing',
      severity: 'info',
      code: 'PASSTHROUGH_CONFIGURED',
      message: 'billing is configured to receive the sign-in token itself.',
      fix: 'Prefer "exchange": each API then gets a token minted for its own audience.',
    },
    {
      api: 'billing',
      severity: 'error',
      code: 'AUDIENCE_MISMATCH',
      message: 'The sign-in token is not meant for billing, so calls to billing are refused.',
      expected: 'http://127.0.0.1:4002/billing',
      actual: 'http://127.0.0.1:4001/acme',
      fix: 'Use strategy "exchange" for billing, or sign in with billing as a resource.',
    },
  ],
  clients: [
    {
      clientId: 'c-3f9c1a2b', name: 'Claude Code', kind: 'oauth', identity: 'verified', domain: 'claude.ai', access: 'write', tools: null,
      approvalPolicy: 'ask', approvedAt: new Date(Date.now() - 86_400_000).toISOString(), calls: 12, errors: 1,
      sessions: [{ id: '3f9c1a2b', clientName: 'claude-code', clientVersion: '2.0.14', connectedAt: new Date(Date.now() - 600_000).toISOString(), lastSeenAt: new Date().toISOString() }],
    },
  ],
};

/** A window with nothing to show yet: every section's empty state. */
export const emptyState: MemoryBridgeState = {
  status: { endpoint: 'http://127.0.0.1:47320/mcp', mode: 'config', configPath: '/home/user/.config/graphql-mcp-desktop/config.yaml', version: '0.1.0' },
  tools: [],
  problems: [],
  auth: { state: 'not-configured' },
  warnings: [],
  clients: [],
};

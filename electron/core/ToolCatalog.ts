import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolDefinition } from './graphql/OperationTool.ts';

/** What the MCP server needs from the rest of the core: the current tools and a way to call one. */
export interface ToolCatalog {
  listTools(): ToolDefinition[];
  /** Never throws for bad arguments or upstream failures: those are `isError` results. */
  callTool(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<CallToolResult>;
  /** Called after the tool list changed (hot reload); returns an unsubscribe function. */
  onToolsChanged(listener: () => void): () => void;
}

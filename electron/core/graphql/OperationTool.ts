import type { JsonSchema } from '../config/AppConfig.ts';

/** MCP tool annotations we set (MCP 2025-06-18 `ToolAnnotations`). */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** What `tools/list` shows for one tool. */
export interface ToolDefinition {
  name: string;
  title?: string;
  description: string;
  inputSchema: JsonSchema & { type: 'object' };
  annotations?: ToolAnnotations;
}

/** A tool made from one named GraphQL operation: its definition plus what is needed to run it. */
export interface OperationTool extends ToolDefinition {
  kind: 'operation';
  api: string;
  operationName: string;
  operationType: 'query' | 'mutation' | 'subscription';
  /** The operation text with every fragment it uses, sent as is (never built from arguments). */
  document: string;
  source: { file: string; line?: number };
}

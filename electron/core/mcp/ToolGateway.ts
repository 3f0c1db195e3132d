import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ClientScope } from '../../ipc/contract.ts';
import type { NewActivityEntry } from '../activity/ActivityLog.ts';
import { isDestructiveCall } from '../approvals/isDestructiveCall.ts';
import type { Principal } from '../clients/LocalAuthority.ts';
import { errorMessages } from '../errors.ts';
import type { ToolDefinition } from '../graphql/OperationTool.ts';
import { errorResult } from '../graphql/toToolResult.ts';
import type { Logger } from '../log/Logger.ts';
import { scrubSecrets } from '../secrets/scrubSecrets.ts';
import type { ToolCatalog } from '../ToolCatalog.ts';
import type { ToolRegistry } from '../ToolRegistry.ts';

/** Where a tool comes from: its API, and whether it runs a fixed operation or is an introspection tool. */
export interface ToolInfo {
  api?: string;
  kind: 'operation' | 'introspection';
}

/** A tool call about to run, as the approval gate sees it (arguments included; they never leave the app). */
export interface ToolCall {
  principal: Principal;
  tool: ToolDefinition;
  api?: string;
  args: Record<string, unknown>;
  signal: AbortSignal;
  /** Set when the caller can be told the call still waits (an MCP request with `_meta.progressToken`). */
  onProgress?(message: string): void;
}

export type BeforeCallDecision = { allowed: true } | { allowed: false; reason: string };

export interface ToolGatewayOptions {
  catalog: ToolCatalog;
  /** API and kind of a tool (ToolRegistry.describeTools); without it every tool counts as an operation of no API. */
  describe?(name: string): ToolInfo | undefined;
  /** Where every call is recorded (time, client, tool, API, duration, outcome; never arguments or results). */
  activity?: { append(entry: NewActivityEntry): void };
  /** Runs after the allow-list and scope checks, before the call goes upstream (the mutation-approval gate). */
  beforeCall?(call: ToolCall): Promise<BeforeCallDecision>;
  /** True while the user paused the app from the tray: every call is refused until they resume. */
  isPaused?(): boolean;
  now?(): number;
  logger?: Logger;
}

const maxErrorChars = 500;

/**
 * The one way to a tool for every local caller (HTTP sessions, the stdio bridge, the window's Try it): filters
 * `tools/list` by the client's allow-list, refuses tools outside it as if they did not exist, requires `tools:write`
 * for destructive calls, asks `beforeCall`, and records each call in the activity log.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#scope-challenge-handling
 */
export class ToolGateway {
  readonly #options: ToolGatewayOptions;
  readonly #now: () => number;
  // Per catalog list, the filtered list of each allow-list: the same array each time, so serializeMessage encodes a
  // restricted client's tools/list once per change too (500 tools are ~260 KB of JSON).
  readonly #allowedLists = new WeakMap<ToolDefinition[], Map<string, ToolDefinition[]>>();

  constructor(options: ToolGatewayOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** The tools this client may see, in catalog order. */
  list(principal: Principal): ToolDefinition[] {
    const tools = this.#options.catalog.listTools();
    if (principal.tools === null) return tools;
    let lists = this.#allowedLists.get(tools);
    if (!lists) this.#allowedLists.set(tools, (lists = new Map()));
    const key = JSON.stringify(principal.tools);
    let list = lists.get(key);
    if (!list) {
      const allowed = new Set(principal.tools);
      list = tools.filter((tool) => allowed.has(tool.name));
      if (lists.size >= 64) lists.clear(); // allow-lists come from the user's clients: a few at a time
      lists.set(key, list);
    }
    return list;
  }

  onToolsChanged(listener: () => void): () => void {
    return this.#options.catalog.onToolsChanged(listener);
  }

  /**
   * The scope this call needs that the client lacks, for a 403 `insufficient_scope` before the call is dispatched;
   * undefined when it holds it or the tool is not one it can see (that call fails as an unknown tool instead).
   */
  missingScope(principal: Principal, name: string, args: unknown): ClientScope | undefined {
    const tool = this.#visibleTool(principal, name);
    if (!tool) return undefined;
    const needed = this.requiredScope(tool, isRecord(args) ? args : {});
    return principal.scopes.includes(needed) ? undefined : needed;
  }

  /** `tools:write` for a mutation tool, or `execute` whose text holds a mutation; `tools:read` otherwise. */
  requiredScope(tool: ToolDefinition, args: Record<string, unknown>): ClientScope {
    // The same test as the approval gate's: what needs tools:write is exactly what waits for the user.
    return isDestructiveCall(tool, this.#options.describe?.(tool.name)?.kind, args) ? 'tools:write' : 'tools:read';
  }

  /** Records a call refused before it reached the gateway (the HTTP layer's 403). */
  recordDenied(principal: Principal, name: string, reason: string): void {
    this.#record(principal, name, this.#now(), 'denied', reason);
  }

  /**
   * Runs one tool for this client; never throws: refusals and failures are `isError` results. `onProgress` hears
   * that the call still waits for the user's approval (see ToolCall).
   */
  async call(principal: Principal, name: string, args: Record<string, unknown>, signal: AbortSignal, onProgress?: (message: string) => void): Promise<CallToolResult> {
    const started = this.#now();
    if (this.#options.isPaused?.()) return this.#refuse(principal, name, started, 'denied', 'GraphQL MCP Desktop is paused: the user stopped tool calls from its tray menu. Ask them to resume it.');
    const tool = this.#visibleTool(principal, name);
    // A tool outside the allow-list answers exactly like one that does not exist.
    if (!tool) return this.#refuse(principal, name, started, this.#exists(name) ? 'denied' : 'error', `${errorMessages.TOOL_NOT_FOUND}: ${name.slice(0, 128)}`);
    const needed = this.requiredScope(tool, args);
    if (!principal.scopes.includes(needed)) {
      return this.#refuse(principal, name, started, 'denied', `This client is not allowed to change data: ${name} needs the ${needed} scope. Approve it for read-write in GraphQL MCP Desktop.`);
    }
    const api = this.#options.describe?.(name)?.api;
    const decision = this.#options.beforeCall ? await this.#options.beforeCall({ principal, tool, api, args, signal, onProgress }) : { allowed: true as const };
    if (!decision.allowed) return this.#refuse(principal, name, started, 'denied', decision.reason);
    const result = await this.#run(name, args, signal);
    this.#record(principal, name, started, result.isError ? 'error' : 'ok', result.isError ? firstText(result) : undefined);
    return result;
  }

  async #run(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult> {
    try {
      return await this.#options.catalog.callTool(name, args, signal);
    } catch (error) {
      // The catalog promises not to throw; if it does, that is our bug: report it without its details.
      this.#options.logger?.error('tool call failed unexpectedly', { tool: name, error });
      return errorResult(`The tool ${name} failed unexpectedly.`);
    }
  }

  #refuse(principal: Principal, name: string, started: number, outcome: 'error' | 'denied', message: string): CallToolResult {
    this.#record(principal, name, started, outcome, message);
    return errorResult(message);
  }

  #record(principal: Principal, name: string, started: number, outcome: NewActivityEntry['outcome'], error?: string): void {
    const entry: NewActivityEntry = {
      at: started, clientId: principal.clientId, clientName: principal.name, tool: name.slice(0, 128),
      api: this.#options.describe?.(name)?.api, durationMs: Math.max(0, this.#now() - started), outcome,
    };
    if (error !== undefined) entry.error = scrubSecrets(error).slice(0, maxErrorChars);
    this.#options.activity?.append(entry);
  }

  #visibleTool(principal: Principal, name: string): ToolDefinition | undefined {
    if (principal.tools !== null && !principal.tools.includes(name)) return undefined;
    return toolNamed(this.#options.catalog.listTools(), name);
  }

  #exists(name: string): boolean {
    return toolNamed(this.#options.catalog.listTools(), name) !== undefined;
  }
}

// The catalog hands out a new array when its tools change: each array is indexed by name once (500 tools, every call).
const toolIndexes = new WeakMap<readonly ToolDefinition[], Map<string, ToolDefinition>>();

function toolNamed(tools: readonly ToolDefinition[], name: string): ToolDefinition | undefined {
  let index = toolIndexes.get(tools);
  if (!index) toolIndexes.set(tools, (index = new Map(tools.map((tool) => [tool.name, tool]))));
  return index.get(name);
}

/**
 * `describe` for a ToolGateway over a ToolRegistry: API and kind per tool name, indexed once per tool-list version
 * (a lookup happens several times per call; listing every tool each time would cost that much again).
 */
export function indexToolInfo(registry: Pick<ToolRegistry, 'describeTools' | 'onToolsChanged'>): (name: string) => ToolInfo | undefined {
  let index: Map<string, ToolInfo> | undefined;
  registry.onToolsChanged(() => (index = undefined));
  return (name) => {
    index ??= new Map(registry.describeTools().map((tool) => [tool.name, { api: tool.api, kind: tool.kind }]));
    return index.get(name);
  };
}

function firstText(result: CallToolResult): string {
  const item = result.content.find((content) => content.type === 'text');
  return item && item.type === 'text' ? item.text : 'The tool failed.';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

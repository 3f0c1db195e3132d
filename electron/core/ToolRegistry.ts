import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { GraphQLSchema } from 'graphql';
import type { ApiAuthorizer } from './auth/ApiAuthorizer.ts';
import type { ToolCache } from './cache/ToolCache.ts';
import type { ApiConfig, AppConfig, Problem } from './config/AppConfig.ts';
import { toAppError } from './errors.ts';
import { executeOperation } from './graphql/executeOperation.ts';
import { introspectionToolDefinitions } from './graphql/introspectionTools.ts';
import { loadOperations } from './graphql/loadOperations.ts';
import type { OperationTool, ToolDefinition } from './graphql/OperationTool.ts';
import { errorResult } from './graphql/toToolResult.ts';
import { UpstreamClients } from './http/UpstreamClients.ts';
import type { Logger } from './log/Logger.ts';
import { scrubValue } from './secrets/scrubSecrets.ts';
import type { ToolCatalog } from './ToolCatalog.ts';

export interface ToolRegistryOptions {
  config: AppConfig;
  authorizer: ApiAuthorizer;
  logger: Logger;
  fetch?: typeof fetch;
  /** Watch operation folders and schema files and reload on change (off in most tests). */
  watch?: boolean;
  /** How long edits settle before a reload; editors write files in several steps. */
  reloadDelayMs?: number;
  /** Tool definitions kept across restarts (first loads of schema-file APIs); none in most tests. */
  toolCache?: ToolCache;
  /** Called after each load that built a schema and its tools (not on a tool-cache hit): a burst of short-lived memory. */
  onSchemaBuilt?: () => void;
}

/** One API's loaded state; `tools` keeps the last good version of each tool across broken edits. */
interface ApiState {
  api: ApiConfig;
  schema?: GraphQLSchema;
  /** After a tool-cache hit: the schema, parsed when an introspection tool first needs it. */
  loadSchema?: () => Promise<GraphQLSchema>;
  tools: OperationTool[];
  problems: Problem[];
}

type Entry = { api: ApiState; tool: OperationTool; definition: OperationTool } | { api: ApiState; tool?: undefined; definition: ToolDefinition };

/**
 * The live set of tools from every configured API: loads schemas and operations, refuses duplicate names (first
 * API in the config wins, so adding an API never renames existing tools), validates arguments before any upstream
 * call, and hot-reloads on file changes.
 */
export class ToolRegistry implements ToolCatalog {
  #options: ToolRegistryOptions;
  #states: ApiState[];
  readonly #listeners = new Set<() => void>();
  readonly #problemListeners = new Set<() => void>();
  readonly #watchers: FSWatcher[] = [];
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #entries = new Map<string, Entry>();
  #list: ToolDefinition[] = [];
  #duplicates: Problem[] = [];
  #disabled = new Set<string>();
  /** Pooled keep-alive HTTP clients for tool calls, per trust setting (`ca`). */
  readonly #upstream = new UpstreamClients();

  private constructor(options: ToolRegistryOptions) {
    this.#options = options;
    this.#states = options.config.apis.map((api) => ({ api, tools: [], problems: [] }));
  }

  static async create(options: ToolRegistryOptions): Promise<ToolRegistry> {
    const registry = new ToolRegistry(options);
    await Promise.all(registry.#states.map((state) => registry.#load(state)));
    registry.#index();
    if (options.watch) registry.#watchAll();
    return registry;
  }

  listTools(): ToolDefinition[] {
    return this.#list;
  }

  /** Every problem found while loading, for the CLI and the UI: config, schema, operations, duplicates. */
  problems(): Problem[] {
    return [...this.#states.flatMap((state) => state.problems), ...this.#duplicates];
  }

  /** Which API each tool belongs to and whether it is an operation or an introspection tool. */
  describeTools(): { name: string; api: string; kind: 'operation' | 'introspection'; definition: ToolDefinition }[] {
    return [...this.#entries].map(([name, entry]) => ({ name, api: entry.api.api.name, kind: entry.tool ? 'operation' : 'introspection', definition: entry.definition }));
  }

  onToolsChanged(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Runs a tool. Every result is scrubbed here, where results are born, so no path (MCP, the stdio bridge, the
   * window's Try it) can pass on a token an upstream echoed back (issue 7, item 1).
   */
  async callTool(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<CallToolResult> {
    return scrubValue(await this.#callTool(name, args, signal));
  }

  async #callTool(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<CallToolResult> {
    const entry = this.#disabled.has(name) ? undefined : this.#entries.get(name);
    if (!entry) return errorResult(`Unknown tool "${name}". Call tools/list for the current tools.`);
    const violations = (await importValidateArguments()).validateArguments(entry.definition.inputSchema, args);
    if (violations.length > 0) return errorResult(`Invalid arguments for ${name}:\n${violations.join('\n')}`);
    const deps = { api: entry.api.api, upstream: this.#upstream.for(entry.api.api), authorizer: this.#options.authorizer, logger: this.#options.logger };
    if (entry.tool) return executeOperation(entry.tool, args, deps, signal);
    const schema = entry.api.schema ?? (await entry.api.loadSchema?.().catch(() => undefined));
    if (!schema) return errorResult(`The schema of API "${entry.api.api.name}" is not loaded; see the app's problems list.`);
    const { callIntrospectionTool } = await importCallIntrospectionTool();
    return callIntrospectionTool(entry.definition.name.slice(entry.api.api.toolPrefix.length), args, { ...deps, schema }, signal);
  }

  /** Reloads one API now (hot reload calls this after edits settle). Keeps the last good tool for a broken file. */
  async reload(apiName: string): Promise<void> {
    const state = this.#states.find((candidate) => candidate.api.name === apiName);
    if (!state) return;
    const before = this.#snapshot();
    await this.#load(state);
    this.#index();
    this.#announce(before);
  }

  /**
   * Applies a new config (the file was edited, or Settings changed it) without a restart: every API is loaded again
   * from the new config and the watchers follow its files. Listeners hear only what actually changed.
   */
  async reconfigure(config: AppConfig, authorizer: ApiAuthorizer): Promise<void> {
    const before = this.#snapshot();
    this.close();
    this.#options = { ...this.#options, config, authorizer };
    this.#states = config.apis.map((api) => ({ api, tools: [], problems: [] }));
    await Promise.all(this.#states.map((state) => this.#load(state)));
    this.#index();
    if (this.#options.watch) this.#watchAll();
    this.#announce(before);
  }

  /** Tools the user turned off: absent from tools/list and unknown to tools/call, for every client. */
  setDisabled(names: Iterable<string>): void {
    const before = this.#snapshot();
    this.#disabled = new Set(names);
    this.#index();
    this.#announce(before);
  }

  isEnabled(name: string): boolean {
    return !this.#disabled.has(name);
  }

  #snapshot(): { tools: string; problems: string } {
    return { tools: JSON.stringify(this.#list), problems: JSON.stringify(this.problems()) };
  }

  #announce(before: { tools: string; problems: string }): void {
    if (JSON.stringify(this.#list) !== before.tools) for (const listener of this.#listeners) listener();
    // A broken edit keeps the tool list as it was, so problems are announced on their own.
    if (JSON.stringify(this.problems()) !== before.problems) for (const listener of this.#problemListeners) listener();
  }

  /** Called when the problems list changed after a reload (tool changes alone go to onToolsChanged). */
  onProblemsChanged(listener: () => void): () => void {
    this.#problemListeners.add(listener);
    return () => this.#problemListeners.delete(listener);
  }

  /** Reloads every API whose schema could not be loaded yet (e.g. introspection that needed a sign-in). */
  async reloadUnloaded(): Promise<void> {
    await Promise.all(this.#states.filter((state) => !state.schema && !state.loadSchema).map((state) => this.reload(state.api.name)));
  }

  close(): void {
    for (const watcher of this.#watchers.splice(0)) watcher.close();
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    void this.#upstream.close();
  }

  async #load(state: ApiState): Promise<void> {
    if (await this.#loadFromCache(state)) return;
    const { api } = state;
    const schema = await this.#loadSchema(state);
    if (!schema) return;
    const loaded = await loadOperations(api.operations, schema.schema, api, { serving: state.tools });
    this.#options.onSchemaBuilt?.();
    const kept = keepLastGood(state.tools, loaded.tools, loaded.problems);
    state.schema = schema.schema;
    state.loadSchema = undefined;
    // Kept tools go back where they were, so a broken edit does not reorder tools/list (and send list_changed).
    state.tools = kept.tools.length > 0 ? [...loaded.tools, ...kept.tools].sort(bySource) : loaded.tools;
    state.problems = [...schema.problems, ...loaded.problems, ...kept.problems];
  }

  /** First load of a schema-file API with a tool cache: its tools without the schema work when inputs are unchanged. */
  async #loadFromCache(state: ApiState): Promise<boolean> {
    const cache = this.#options.toolCache;
    if (!cache || state.schema || state.loadSchema) return false;
    const loaded = await cache.load(state.api);
    if (!loaded) return false;
    if (!loaded.fromCache) this.#options.onSchemaBuilt?.();
    state.loadSchema = loaded.loadSchema;
    state.tools = loaded.tools;
    state.problems = loaded.problems;
    return true;
  }

  async #loadSchema(state: ApiState): Promise<{ schema: GraphQLSchema; problems: Problem[] } | undefined> {
    const { api } = state;
    try {
      const token = 'introspect' in api.schema ? await this.#options.authorizer.tokenFor(api) : undefined;
      const headers = { ...api.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
      const { loadSchema } = await importLoadSchema();
      const loaded = await loadSchema(api.schema, { endpoint: api.endpoint, headers, fetch: this.#options.fetch, timeoutMs: api.timeoutMs });
      return { schema: loaded.schema, problems: loaded.problems.map((problem) => ({ ...problem, api: api.name })) };
    } catch (error) {
      const appError = toAppError(error, 'SCHEMA_INVALID');
      const kept = state.schema || state.loadSchema ? ' The last good schema and tools stay in use.' : ' This API serves no tools until it is fixed.';
      state.problems = [{ severity: 'error', api: api.name, message: `${appError.message}.${kept}`, ...('file' in api.schema ? { file: api.schema.file } : {}) }];
      return undefined;
    }
  }

  #index(): void {
    const entries = new Map<string, Entry>();
    const duplicates: Problem[] = [];
    const add = (name: string, entry: Entry, where: string) => {
      const first = entries.get(name);
      if (!first) return void entries.set(name, entry);
      duplicates.push({
        severity: 'error', api: entry.api.api.name, file: entry.tool?.source.file, line: entry.tool?.source.line,
        message: `Tool name "${name}" from ${where} is already used by ${describeSource(first)}; refused. Set "toolPrefix" on API "${entry.api.api.name}" to tell them apart.`,
      });
    };
    for (const state of this.#states) {
      for (const tool of state.tools) add(tool.name, { api: state, tool, definition: tool }, `${tool.source.file}${tool.source.line ? `:${tool.source.line}` : ''}`);
      if (!state.schema && !state.loadSchema) continue;
      for (const definition of introspectionToolDefinitions(state.api)) add(definition.name, { api: state, definition }, `the introspection tools of API "${state.api.name}"`);
    }
    this.#entries = entries;
    this.#duplicates = duplicates;
    this.#list = [...entries].filter(([name]) => !this.#disabled.has(name)).map(([, { definition }]) => toDefinition(definition));
  }

  #watchAll(): void {
    for (const state of this.#states) {
      const paths = [...state.api.operations.map((source) => ('path' in source ? source.path : source.manifest)), ...('file' in state.api.schema ? [state.api.schema.file] : [])];
      for (const target of paths) this.#watch(target, state.api.name);
    }
  }

  #watch(target: string, apiName: string): void {
    // Watch the folder, not the file: editors save by writing a new file and renaming it over the old one.
    const isGraphqlFolder = path.extname(target) === '';
    const folder = isGraphqlFolder ? target : path.dirname(target);
    try {
      const watcher = watch(folder, { recursive: isGraphqlFolder }, (_event, file) => {
        if (isGraphqlFolder || !file || path.basename(String(file)) === path.basename(target)) this.#scheduleReload(apiName);
      });
      watcher.on('error', () => watcher.close());
      this.#watchers.push(watcher);
    } catch (error) {
      this.#options.logger.warn('cannot watch for changes', { api: apiName, path: target, reason: (error as Error).message });
    }
  }

  #scheduleReload(apiName: string): void {
    clearTimeout(this.#timers.get(apiName));
    this.#timers.set(apiName, setTimeout(() => {
      this.#timers.delete(apiName);
      this.reload(apiName).catch((error: unknown) => this.#options.logger.error('reload failed', { api: apiName, error }));
    }, this.#options.reloadDelayMs ?? 150));
  }
}

/** Tools that vanished because their file now has an error are kept (last good version) and the problem says so. */
function keepLastGood(previous: OperationTool[], current: OperationTool[], problems: Problem[]): { tools: OperationTool[]; problems: Problem[] } {
  const names = new Set(current.map((tool) => tool.name));
  const brokenFiles = new Set(problems.filter((problem) => problem.severity === 'error' && problem.file).map((problem) => problem.file));
  const tools = previous.filter((tool) => !names.has(tool.name) && brokenFiles.has(tool.source.file));
  return {
    tools,
    problems: tools.map((tool) => ({ severity: 'warning' as const, api: tool.api, file: tool.source.file, message: `Kept the last good version of tool "${tool.name}" until the errors in this file are fixed` })),
  };
}

function bySource(a: OperationTool, b: OperationTool): number {
  return a.source.file.localeCompare(b.source.file) || (a.source.line ?? 0) - (b.source.line ?? 0);
}

function describeSource(entry: Entry): string {
  return entry.tool ? `${entry.tool.source.file}${entry.tool.source.line ? `:${entry.tool.source.line}` : ''}` : `the introspection tools of API "${entry.api.api.name}"`;
}

/** What tools/list shows: the MCP fields only, never the operation text or source paths. */
function toDefinition(definition: ToolDefinition): ToolDefinition {
  const { name, title, description, inputSchema, annotations } = definition;
  return { name, ...(title ? { title } : {}), description, inputSchema, ...(annotations ? { annotations } : {}) };
}

// Loaded on first use: a restart that finds its tools cached lists them without graphql (~130 modules) or ajv's 2020 dialect.
let validateArgumentsModule: Promise<typeof import('./graphql/validateArguments.ts')> | undefined;
let callIntrospectionToolModule: Promise<typeof import('./callIntrospectionTool.ts')> | undefined;

/** ajv's 2020 dialect, needed by the first tool call, not by tools/list. */
function importValidateArguments(): Promise<typeof import('./graphql/validateArguments.ts')> {
  return (validateArgumentsModule ??= import('./graphql/validateArguments.ts'));
}

/** graphql's parser and validator, needed by the first introspection call. */
function importCallIntrospectionTool(): Promise<typeof import('./callIntrospectionTool.ts')> {
  return (callIntrospectionToolModule ??= import('./callIntrospectionTool.ts'));
}

/** graphql's schema builder, needed only when the tool cache cannot answer (first start, changed inputs, introspection). */
function importLoadSchema(): Promise<typeof import('./graphql/loadSchema.ts')> {
  return import('./graphql/loadSchema.ts');
}

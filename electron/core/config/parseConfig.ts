import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type {
  ApiConfig, ApiTokenConfig, AppConfig, ApprovalPolicy, ApprovalsConfig, IntrospectionToolsConfig, JsonSchema, MutationMode, OperationSource, Problem,
  SchemaSource, SignInConfig, TokenStrategy,
} from './AppConfig.ts';
import { configLimits } from './configLimits.ts';
import { ConfigReader, joinKey, tooLong } from './ConfigReader.ts';
import { expandEnv } from './expandEnv.ts';
import { readPemCertificates } from '../http/trustedCertificates.ts';

export interface ParseConfigOptions {
  /** The config file's path; relative paths in the file resolve against its folder. */
  file: string;
  env: Record<string, string | undefined>;
}


const topKeys = ['server', 'apis', 'signIn', 'approvals'] as const;
const approvalPolicies: readonly ApprovalPolicy[] = ['ask', 'allow', 'deny'];
const serverKeys = ['port', 'host'] as const;
const apiKeys = ['name', 'toolPrefix', 'endpoint', 'schema', 'operations', 'mutations', 'introspection', 'headers', 'customScalars', 'timeoutMs', 'token', 'ca'] as const;
const introspectionKeys = ['introspect', 'search', 'validate', 'execute'] as const;
const tokenKeys = ['strategy', 'audience', 'scopes'] as const;
const signInKeys = ['issuer', 'clientId', 'scopes', 'resource', 'allowInsecureLoopback', 'dpop'] as const;
const loopbackHosts = ['127.0.0.1', 'localhost'];
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const defaultIntrospection: IntrospectionToolsConfig = { introspect: true, search: true, validate: true, execute: false };
export const defaultTimeoutMs = 15_000;

/**
 * Parses and validates a YAML config, reporting every problem at once with file, line and key.
 * Reads no files (paths are resolved, not checked) so tests and hot reload can call it freely; the one exception is
 * an API's `ca` PEM file, read here so an unreadable one is reported with its line.
 */
export function parseConfig(text: string, options: ParseConfigOptions): { config?: AppConfig; problems: Problem[] } {
  const collections = countCollections(text);
  if (collections > configLimits.collections) {
    const message = `The config holds about ${collections} mappings and lists; the limit is ${configLimits.collections} (a config with a hundred APIs has about a thousand). Is this the right file?`;
    return { problems: [{ severity: 'error', message, file: options.file }] };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const reader = new ConfigReader(options.file, lines, doc);
  for (const error of doc.errors) {
    const { line, col } = lines.linePos(error.pos[0]);
    reader.problems.push({ severity: 'error', message: `YAML syntax: ${error.message.split('\n')[0]}`, file: options.file, line, column: col });
  }
  if (doc.errors.length > 0) return { problems: reader.problems };
  const context: Context = { reader, dir: path.dirname(path.resolve(options.file)), env: options.env };
  const config = readTop(doc.contents as Node | null, context, path.resolve(options.file));
  const failed = reader.problems.some((problem) => problem.severity === 'error');
  return { config: failed ? undefined : config, problems: reader.problems };
}

/** An upper bound on the YAML mappings and lists in a text, without parsing it: `{`, `[` and `- ` items. */
function countCollections(text: string): number {
  return text.match(/[{[]|^\s*- /gm)?.length ?? 0;
}

interface Context {
  reader: ConfigReader;
  dir: string;
  env: Record<string, string | undefined>;
}

function readTop(node: Node | null, context: Context, configPath: string): AppConfig | undefined {
  if (node === null || (isScalar(node) && node.value === null)) {
    context.reader.report(node, '', 'The config is empty: add an `apis:` list (see the README for an example)');
    return undefined;
  }
  const top = context.reader.map(node, '', topKeys);
  if (!top) return undefined;
  const server = readServer(top.get('server')?.value ?? null, context);
  const signIn = top.has('signIn') ? readSignIn(top.get('signIn')!.value, context) : undefined;
  const apisNode = top.get('apis');
  if (!apisNode) context.reader.report(node, 'apis', 'missing key "apis": list at least one GraphQL API');
  const apis = apisNode ? readApis(apisNode.value, context, signIn) : [];
  const approvals = top.has('approvals') ? readApprovals(top.get('approvals')!.value, context, apis) : undefined;
  return { configPath, server, apis, signIn, ...(approvals ? { approvals } : {}) };
}

/** `approvals: { default: ask, apis: { <api>: allow } }`; every API named must be configured. */
function readApprovals(node: Node | null, context: Context, apis: ApiConfig[]): ApprovalsConfig | undefined {
  const pairs = context.reader.map(node, 'approvals', ['default', 'apis']);
  if (!pairs) return undefined;
  const fallback = pairs.has('default') ? context.reader.oneOf(pairs.get('default')!.value, 'approvals.default', approvalPolicies) : 'ask';
  const overrides = pairs.has('apis') ? context.reader.record(pairs.get('apis')!.value, 'approvals.apis') : new Map();
  const out: ApprovalsConfig = { default: fallback ?? 'ask', apis: {} };
  for (const [name, pair] of overrides ?? []) {
    const key = joinKey('approvals.apis', name);
    if (!apis.some((api) => api.name === name)) {
      context.reader.report(pair.key as Node, key, `"${name}" is not an API in "apis" (${apis.map((api) => api.name).join(', ') || 'none'})`);
      continue;
    }
    const policy = context.reader.oneOf(pair.value as Node | null, key, approvalPolicies);
    if (policy) out.apis[name] = policy;
  }
  return fallback && overrides ? out : undefined;
}

function readServer(node: Node | null, context: Context): AppConfig['server'] {
  if (node === null) return { port: 0 };
  const pairs = context.reader.map(node, 'server', serverKeys);
  const port = pairs?.has('port') ? context.reader.integer(pairs.get('port')!.value, 'server.port', 0, 65_535) : 0;
  const hostNode = pairs?.get('host')?.value;
  if (hostNode) {
    const host = context.reader.string(hostNode, 'server.host');
    if (host !== undefined && !loopbackHosts.includes(host)) {
      context.reader.report(hostNode, 'server.host', `the MCP server only listens on 127.0.0.1 (got "${host}"); remove "host" or set it to 127.0.0.1`);
    }
  }
  return { port: port ?? 0 };
}

function readApis(node: Node | null, context: Context, signIn: SignInConfig | undefined): ApiConfig[] {
  const list = context.reader.resolve(node, 'apis');
  // Counted before any entry is read: 40k entries would otherwise each be checked, reported and loaded.
  if (isSeq(list) && list.items.length > configLimits.apis) {
    context.reader.report(list, 'apis', `"apis" has ${list.items.length} entries; the limit is ${configLimits.apis} APIs per config file`);
    return [];
  }
  const items = context.reader.seq(list, 'apis') ?? [];
  if (items.length === 0 && list) context.reader.report(list, 'apis', 'list at least one GraphQL API under "apis"');
  const apis = items.map((item, index) => readApi(item, `apis[${index}]`, context, signIn));
  const seen = new Map<string, number>();
  apis.forEach((api, index) => {
    if (!api) return;
    if (seen.has(api.name)) context.reader.report(items[index], `apis[${index}].name`, `duplicate API name "${api.name}" (also apis[${seen.get(api.name)}])`);
    else seen.set(api.name, index);
  });
  return apis.filter((api): api is ApiConfig => api !== undefined);
}

function readApi(node: Node | null, key: string, context: Context, signIn: SignInConfig | undefined): ApiConfig | undefined {
  const { reader } = context;
  const pairs = reader.map(node, key, apiKeys);
  if (!pairs) return undefined;
  // A missing required key is reported; a missing optional key takes its default.
  const field = <T>(name: string, read: (value: Node | null, fieldKey: string) => T | undefined, fallback?: () => T): T | undefined => {
    const pair = pairs.get(name);
    if (pair) return read(pair.value, `${key}.${name}`);
    return fallback ? fallback() : reader.report(node, `${key}.${name}`, `missing key "${name}"`);
  };
  const api = {
    name: field('name', (value, k) => reader.string(value, k, { regex: /^[a-z][a-z0-9_-]*$/, hint: 'must start with a lowercase letter and contain only a-z, 0-9, _ and -' })),
    toolPrefix: field('toolPrefix', (value, k) => reader.string(value, k, { regex: /^[A-Za-z0-9_-]*$/, hint: 'may contain only letters, digits, _ and -' }), () => ''),
    endpoint: field('endpoint', (value, k) => readUrl(value, k, context)),
    schema: field('schema', (value, k) => readSchema(value, k, context)),
    operations: field('operations', (value, k) => readOperations(value, k, context), () => []),
    mutations: field<MutationMode>('mutations', (value, k) => reader.oneOf<MutationMode>(value, k, ['none', 'explicit', 'all']), () => 'none' as const),
    introspection: field('introspection', (value, k) => readIntrospection(value, k, context), () => ({ ...defaultIntrospection })),
    headers: field('headers', (value, k) => readHeaders(value, k, context), () => ({})),
    customScalars: field('customScalars', (value, k) => readCustomScalars(value, k, context), () => ({})),
    timeoutMs: field('timeoutMs', (value, k) => reader.integer(value, k, 100, 600_000), () => defaultTimeoutMs),
    token: field<ApiTokenConfig>('token', (value, k) => readToken(value, k, context, signIn), () => ({ strategy: 'none' as const })),
  };
  const authorization = Object.keys(api.headers ?? {}).find((header) => header.toLowerCase() === 'authorization');
  if (authorization && api.token && api.token.strategy !== 'none') {
    reader.report(pairs.get('headers')!.value, `${key}.headers.${authorization}`, `a static Authorization header conflicts with token.strategy "${api.token.strategy}": the app sets Authorization itself; remove the header`);
    return undefined;
  }
  const ca = pairs.has('ca') ? readCaFile(pairs.get('ca')!.value, `${key}.ca`, context) : null;
  if (ca === undefined) return undefined;
  return Object.values(api).every((value) => value !== undefined) ? ({ ...api, ...(ca ? { ca } : {}) } as ApiConfig) : undefined;
}

/** `ca: ./corp-root.pem`: extra CA certificates for this API's HTTPS; checked now so a bad file names its line. */
function readCaFile(node: Node | null, key: string, context: Context): string | undefined {
  const file = context.reader.string(node, key);
  if (file === undefined) return undefined;
  const resolved = path.resolve(context.dir, file);
  try {
    readPemCertificates(resolved);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ? `cannot read ${resolved} (${(error as NodeJS.ErrnoException).code})` : (error as Error).message;
    return context.reader.report(node, key, `"${key}": ${reason}; give a readable PEM file of CA certificates`);
  }
  return resolved;
}

function readUrl(node: Node | null, key: string, context: Context): string | undefined {
  const text = context.reader.string(node, key);
  if (text === undefined) return undefined;
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return context.reader.report(node, key, `"${key}" must be an absolute http(s) URL (got "${text}")`);
  if (url.username || url.password) return context.reader.report(node, key, `"${key}" must not contain credentials; use headers or token instead`);
  return url.href;
}

function readSchema(node: Node | null, key: string, context: Context): SchemaSource | undefined {
  const pairs = context.reader.map(node, key, ['file', 'introspect']);
  if (!pairs) return undefined;
  if (pairs.has('file') === pairs.has('introspect')) return context.reader.report(node, key, `"${key}" needs exactly one of "file: ./schema.graphql" or "introspect: true"`);
  if (pairs.has('file')) {
    const file = context.reader.string(pairs.get('file')!.value, `${key}.file`);
    return file === undefined ? undefined : { file: path.resolve(context.dir, file) };
  }
  const introspect = context.reader.boolean(pairs.get('introspect')!.value, `${key}.introspect`);
  if (introspect === false) return context.reader.report(pairs.get('introspect')!.value, `${key}.introspect`, `"${key}.introspect" must be true, or use "file:" instead`);
  return introspect ? { introspect: true } : undefined;
}

function readOperations(node: Node | null, key: string, context: Context): OperationSource[] | undefined {
  const items = context.reader.seq(node, key);
  if (!items) return undefined;
  const sources = items.map((raw, index): OperationSource | undefined => {
    const itemKey = `${key}[${index}]`;
    const item = context.reader.resolve(raw, itemKey);
    if (!isMap(item)) {
      const file = context.reader.string(item, itemKey);
      return file === undefined ? undefined : { path: path.resolve(context.dir, file) };
    }
    const pairs = context.reader.map(item, itemKey, ['manifest', 'path']);
    const [kind] = pairs ? [...pairs.keys()] : [];
    if (!pairs || pairs.size !== 1 || !kind) return context.reader.report(item, itemKey, `"${itemKey}" needs exactly one of "manifest:" or "path:"`);
    const file = context.reader.string(pairs.get(kind)!.value, `${itemKey}.${kind}`);
    if (file === undefined) return undefined;
    return kind === 'manifest' ? { manifest: path.resolve(context.dir, file) } : { path: path.resolve(context.dir, file) };
  });
  return sources.every((source) => source !== undefined) ? (sources as OperationSource[]) : undefined;
}

function readIntrospection(node: Node | null, key: string, context: Context): IntrospectionToolsConfig | undefined {
  const pairs = context.reader.map(node, key, introspectionKeys);
  if (!pairs) return undefined;
  const out = { ...defaultIntrospection };
  for (const name of introspectionKeys) {
    if (!pairs.has(name)) continue;
    const value = context.reader.boolean(pairs.get(name)!.value, `${key}.${name}`);
    if (value === undefined) return undefined;
    out[name] = value;
  }
  return out;
}

function readHeaders(node: Node | null, key: string, context: Context): Record<string, string> | undefined {
  const pairs = context.reader.record(node, key, configLimits.headers);
  if (!pairs) return undefined;
  const headers: Record<string, string> = {};
  let ok = true;
  for (const [name, pair] of pairs) {
    const value = readHeaderValue(name, pair.value, joinKey(key, name), context);
    if (value === undefined) ok = false;
    else headers[name] = value;
  }
  return ok ? headers : undefined;
}

function readHeaderValue(name: string, valueNode: Node | null, key: string, context: Context): string | undefined {
  const node = context.reader.resolve(valueNode, key);
  if (!headerName.test(name)) return context.reader.report(node, key, `"${name}" is not a valid HTTP header name`);
  if (['host', 'content-length', 'content-type', 'cookie', 'mcp-session-id'].includes(name.toLowerCase())) {
    return context.reader.report(node, key, `the "${name}" header is set by the app and cannot be configured`);
  }
  const raw = isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean') ? String(node.value) : context.reader.string(node, key);
  if (raw === undefined) return undefined;
  const { value, missing } = expandEnv(raw, context.env);
  if (missing.length > 0) return context.reader.report(node, key, `environment variable ${missing.join(', ')} is not set; set it or write \${env.${missing[0]}:-default}`);
  if (/[\r\n]/.test(value)) return context.reader.report(node, key, `"${key}" must not contain line breaks`);
  // Checked after expansion: an environment variable can carry the bulk.
  const bytes = Buffer.byteLength(value);
  if (bytes > configLimits.headerValueBytes) return context.reader.report(node, key, tooLong(key, bytes, configLimits.headerValueBytes, 'bytes'));
  return value;
}

function readCustomScalars(node: Node | null, key: string, context: Context): Record<string, JsonSchema> | undefined {
  const pairs = context.reader.record(node, key);
  if (!pairs) return undefined;
  const out: Record<string, JsonSchema> = {};
  for (const [name, pair] of pairs) {
    const scalarKey = joinKey(key, name);
    const value = context.reader.resolve(pair.value, scalarKey);
    if (!isMap(value)) return context.reader.report(value, scalarKey, `"${scalarKey}" must be a JSON Schema mapping, e.g. { type: string, format: date-time }`);
    // toJS with the document resolves aliases inside the mapping; toJSON() left them as { source: "anchor" }.
    const schema = context.reader.toJS(value, scalarKey) as JsonSchema | undefined;
    if (!schema) return undefined;
    const bytes = Buffer.byteLength(JSON.stringify(schema));
    if (bytes > configLimits.customScalarBytes) return context.reader.report(value, scalarKey, tooLong(scalarKey, bytes, configLimits.customScalarBytes, 'bytes of JSON Schema'));
    out[name] = schema;
  }
  return out;
}

function readToken(node: Node | null, key: string, context: Context, signIn: SignInConfig | undefined): ApiTokenConfig | undefined {
  const pairs = context.reader.map(node, key, tokenKeys);
  if (!pairs) return undefined;
  const strategy = pairs.has('strategy') ? context.reader.oneOf<TokenStrategy>(pairs.get('strategy')!.value, `${key}.strategy`, ['exchange', 'resource', 'passthrough', 'none']) : context.reader.report(node, `${key}.strategy`, 'missing key "strategy" (exchange | resource | passthrough | none)');
  if (!strategy) return undefined;
  const audience = pairs.has('audience') ? context.reader.string(pairs.get('audience')!.value, `${key}.audience`) : undefined;
  if (strategy !== 'none' && !audience) return context.reader.report(node, `${key}.audience`, `token.strategy "${strategy}" needs "audience": the API's resource URI`);
  if (strategy !== 'none' && !signIn) return context.reader.report(node, `${key}.strategy`, `token.strategy "${strategy}" needs a top-level "signIn:" block`);
  if (signIn?.dpop && (strategy === 'resource' || strategy === 'passthrough')) {
    return context.reader.report(pairs.get('strategy')!.value, `${key}.strategy`, `with "signIn.dpop: true" the sign-in tokens are bound to the app's key and cannot be sent to an API; use strategy "exchange" (or turn dpop off)`);
  }
  const scopes = pairs.has('scopes') ? context.reader.strings(pairs.get('scopes')!.value, `${key}.scopes`) : [];
  if (!scopes) return undefined;
  return { strategy, ...(audience ? { audience } : {}), scopes };
}

function readSignIn(node: Node | null, context: Context): SignInConfig | undefined {
  const pairs = context.reader.map(node, 'signIn', signInKeys);
  if (!pairs) return undefined;
  for (const required of ['issuer', 'clientId']) {
    if (!pairs.has(required)) context.reader.report(node, `signIn.${required}`, `missing key "${required}"`);
  }
  const allowInsecureLoopback = pairs.has('allowInsecureLoopback') ? context.reader.boolean(pairs.get('allowInsecureLoopback')!.value, 'signIn.allowInsecureLoopback') : false;
  const issuer = pairs.has('issuer') ? readIssuer(pairs.get('issuer')!.value, context, allowInsecureLoopback === true) : undefined;
  const clientId = pairs.has('clientId') ? context.reader.string(pairs.get('clientId')!.value, 'signIn.clientId') : undefined;
  const scopes = pairs.has('scopes') ? context.reader.strings(pairs.get('scopes')!.value, 'signIn.scopes') : [];
  const resource = pairs.has('resource') ? context.reader.string(pairs.get('resource')!.value, 'signIn.resource') : undefined;
  const dpop = pairs.has('dpop') ? context.reader.boolean(pairs.get('dpop')!.value, 'signIn.dpop') : false;
  if (!issuer || !clientId || !scopes || allowInsecureLoopback === undefined || dpop === undefined) return undefined;
  return { issuer, clientId, scopes, ...(resource ? { resource } : {}), allowInsecureLoopback, ...(dpop ? { dpop } : {}) };
}

function readIssuer(node: Node | null, context: Context, allowInsecureLoopback: boolean): string | undefined {
  const text = context.reader.string(node, 'signIn.issuer');
  if (text === undefined) return undefined;
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url) return context.reader.report(node, 'signIn.issuer', `"signIn.issuer" must be an absolute URL (got "${text}")`);
  if (url.protocol === 'https:') return text;
  if (url.protocol === 'http:' && allowInsecureLoopback && url.hostname === '127.0.0.1') return text;
  const hint = url.protocol === 'http:' && url.hostname === '127.0.0.1' ? ' (set "allowInsecureLoopback: true" for a local test issuer)' : ' (http: is allowed only on 127.0.0.1 with allowInsecureLoopback)';
  return context.reader.report(node, 'signIn.issuer', `"signIn.issuer" must use https:${hint}`);
}

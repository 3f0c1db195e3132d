import { readFile } from 'node:fs/promises';
import {
  buildClientSchema,
  getIntrospectionQuery,
  validateSchema,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import type { Problem, SchemaSource } from '../config/AppConfig.ts';
import { AppError, toAppError } from '../errors.ts';
import { parseSchemaSdl } from './parseSchemaSdl.ts';

export interface LoadSchemaOptions {
  /** The GraphQL endpoint, for `{ introspect: true }`. */
  endpoint: string;
  /** Headers for the introspection request (static headers and, if any, the API's Authorization). */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Refuses introspection responses larger than this (default 64 MiB; GitHub's is about 10 MiB). */
  maxResponseBytes?: number;
}

export interface LoadedSchema {
  schema: GraphQLSchema;
  problems: Problem[];
}

const defaultTimeoutMs = 15_000;
const defaultMaxResponseBytes = 64 * 1024 * 1024;

/**
 * Loads an API's schema from an SDL file (leniently, see parseSchemaSdl) or by introspecting the live endpoint.
 * Failures are AppErrors: SCHEMA_INVALID, GRAPHQL_HTTP_ERROR, GRAPHQL_NETWORK_ERROR, GRAPHQL_TIMEOUT, ….
 * @see https://spec.graphql.org/October2021/#sec-Introspection
 */
export async function loadSchema(source: SchemaSource, options: LoadSchemaOptions): Promise<LoadedSchema> {
  if ('file' in source) return parseSchemaSdl(await readSchemaFile(source.file), source.file);
  return schemaFromIntrospection(await introspectSchema(options), options.endpoint);
}

async function readSchemaFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new AppError('SCHEMA_INVALID', `${file}: schema ${schemaFileReason((error as NodeJS.ErrnoException).code)}`, { cause: error, details: { file } });
  }
}

/** Why a schema file could not be read, in words that point at the fix (40k APIs once gave 20k bare "could not be read"). */
function schemaFileReason(code: string | undefined): string {
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES' || code === 'EPERM') return 'file is not readable (permission denied)';
  if (code === 'EISDIR') return 'file is a folder; point schema.file at the .graphql file';
  if (code === 'EMFILE' || code === 'ENFILE') return 'file could not be opened: too many open files (configure fewer APIs, or raise the limit: ulimit -n)';
  return `file could not be read (${code ?? 'unknown error'})`;
}

/** Tries the full introspection query first, then the plain one for servers that predate `isOneOf` and friends. */
async function introspectSchema(options: LoadSchemaOptions): Promise<IntrospectionQuery> {
  const full = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, inputValueDeprecation: true, oneOf: true });
  const first = await postIntrospection(full, options);
  const result = first.data ? first : await postIntrospection(getIntrospectionQuery(), options);
  if (result.data) return result.data;
  const reasons = result.errors.map((error) => error.message).join('; ') || 'no data';
  throw new AppError('SCHEMA_INVALID', `Introspection of ${options.endpoint} failed: ${reasons}`, { details: { endpoint: options.endpoint } });
}

/** Pure: introspection data → schema; an invalid schema is reported and still served (marked valid). */
export function schemaFromIntrospection(data: IntrospectionQuery, endpoint: string): LoadedSchema {
  try {
    const schema = buildClientSchema(data);
    const errors = validateSchema(schema);
    if (errors.length === 0) return { schema, problems: [] };
    const problems = errors.map((error): Problem => ({ severity: 'warning', message: `Introspected schema of ${endpoint}: ${error.message}` }));
    return { schema: buildClientSchema(data, { assumeValid: true }), problems };
  } catch (error) {
    throw new AppError('SCHEMA_INVALID', `Introspection of ${endpoint} returned an unusable schema: ${(error as Error).message}`, {
      cause: error,
      details: { endpoint },
    });
  }
}

interface IntrospectionResult {
  data?: IntrospectionQuery;
  errors: { message: string }[];
}

async function postIntrospection(query: string, options: LoadSchemaOptions): Promise<IntrospectionResult> {
  const response = await sendIntrospection(query, options);
  const details = { endpoint: options.endpoint, status: response.status };
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel();
    const redirected = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
    throw new AppError('GRAPHQL_HTTP_ERROR', `Introspection of ${options.endpoint} failed with HTTP ${response.status}${redirected}`, { details });
  }
  return interpretIntrospection(await readCapped(response, options.maxResponseBytes ?? defaultMaxResponseBytes, options.endpoint), options.endpoint);
}

async function sendIntrospection(query: string, options: LoadSchemaOptions): Promise<Response> {
  const doFetch = options.fetch ?? fetch;
  try {
    return await doFetch(options.endpoint, {
      method: 'POST',
      headers: { ...options.headers, 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query, operationName: 'IntrospectionQuery' }),
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? defaultTimeoutMs),
    });
  } catch (error) {
    throw toAppError(error, 'GRAPHQL_NETWORK_ERROR');
  }
}

async function readCapped(response: Response, maxBytes: number, endpoint: string): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > maxBytes) break; // Leaving the loop cancels the stream.
      chunks.push(chunk);
    }
  } catch (error) {
    throw toAppError(error, 'GRAPHQL_NETWORK_ERROR');
  }
  if (size > maxBytes) {
    throw new AppError('GRAPHQL_RESPONSE_TOO_LARGE', `Introspection of ${endpoint} answered more than ${maxBytes} bytes`, { details: { endpoint } });
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Pure: a response body → introspection data or the GraphQL errors explaining why there is none. */
export function interpretIntrospection(body: string, endpoint: string): IntrospectionResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new AppError('GRAPHQL_RESPONSE_INVALID', `Introspection of ${endpoint} did not answer JSON`, { cause: error, details: { endpoint } });
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw new AppError('GRAPHQL_RESPONSE_INVALID', `Introspection of ${endpoint} did not answer a GraphQL response`, { details: { endpoint } });
  }
  const { data, errors } = parsed as { data?: { __schema?: unknown }; errors?: unknown };
  const messages = Array.isArray(errors) ? errors.map((error) => ({ message: String((error as { message?: unknown })?.message ?? error) })) : [];
  return data && typeof data === 'object' && data.__schema ? { data: data as IntrospectionQuery, errors: messages } : { errors: messages };
}

import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ApiAuthorizer } from '../auth/ApiAuthorizer.ts';
import type { ApiConfig } from '../config/AppConfig.ts';
import { AppError, errorMessages } from '../errors.ts';
import type { Logger } from '../log/Logger.ts';
import { buildGraphqlRequest, type GraphqlRequest } from './buildGraphqlRequest.ts';
import { errorResult, toToolResult } from './toToolResult.ts';

/** The parts of an `OperationTool` needed to run it. */
export interface OperationToRun {
  api: string;
  document: string;
  /** Absent for an ad-hoc anonymous operation (the `execute` tool). */
  operationName?: string;
}

/** IO and limits for one API, passed in so tests can use a real loopback server. */
export interface ExecuteOperationDeps {
  api: ApiConfig;
  fetch: typeof fetch;
  authorizer: ApiAuthorizer;
  /** Responses larger than this are cut off and refused; default 2 MiB. */
  maxResponseBytes?: number;
  logger?: Logger;
}

/** Default cap on an upstream response body before it reaches the model. */
export const defaultMaxResponseBytes = 2 * 1024 * 1024;

type Sent = { status: number; body: string; wwwAuthenticate: string | null } | { failure: CallToolResult };

/**
 * Runs one GraphQL operation against its API with a token minted for that API: build → send → interpret.
 * Never throws for expected failures: refusals, HTTP errors, timeouts, oversize bodies and unreachable APIs are
 * `isError` results. After a 401 it asks the authorizer for a fresh token once and retries once.
 *
 * @see https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization#access-token-privilege-restriction
 * @see https://datatracker.ietf.org/doc/html/rfc6750#section-3
 */
export async function executeOperation(
  tool: OperationToRun,
  args: Record<string, unknown>,
  deps: ExecuteOperationDeps,
  signal?: AbortSignal,
): Promise<CallToolResult> {
  const started = performance.now();
  let token = await tokenOrRefusal(deps, false);
  if (typeof token === 'object') return token.failure;
  let sent = await send(tool, args, deps, token, signal);
  if ('status' in sent && sent.status === 401 && token !== undefined) {
    token = await tokenOrRefusal(deps, true);
    if (typeof token === 'object') return token.failure;
    sent = await send(tool, args, deps, token, signal);
  }
  deps.logger?.debug('graphql call', {
    api: deps.api.name,
    operation: tool.operationName,
    status: 'status' in sent ? sent.status : 'failed',
    ms: Math.round(performance.now() - started),
  });
  return 'failure' in sent ? sent.failure : interpret(sent, deps.api, token !== undefined);
}

function interpret(sent: { status: number; body: string; wwwAuthenticate: string | null }, api: ApiConfig, sentToken: boolean): CallToolResult {
  if (sent.status === 401 && sentToken) return signInRequired(api, sent.wwwAuthenticate);
  if (sent.status === 401) {
    return errorResult(`The GraphQL API ${api.name} answered HTTP 401 and no token is configured for it; check its token settings.`);
  }
  if (sent.status >= 300 && sent.status < 400) {
    return errorResult(`The GraphQL API ${api.name} answered HTTP ${sent.status} (a redirect); redirects are not followed.`);
  }
  return toToolResult(sent.status, sent.body);
}

async function tokenOrRefusal(deps: ExecuteOperationDeps, forceRefresh: boolean): Promise<string | undefined | { failure: CallToolResult }> {
  try {
    return await deps.authorizer.tokenFor(deps.api, forceRefresh ? { forceRefresh } : undefined);
  } catch (error) {
    // The AppError message is written to be shown; anything else may carry details we do not vouch for.
    const message = AppError.is(error) ? error.message : errorMessages.AUTH_EXCHANGE_FAILED;
    return { failure: errorResult(`${message} (API ${deps.api.name}).`) };
  }
}

function signInRequired(api: ApiConfig, wwwAuthenticate: string | null): CallToolResult {
  // Only the RFC 6750 error code (a token-free word) is repeated, never the header as a whole.
  const code = /\berror="?([\w.-]{1,64})"?/i.exec(wwwAuthenticate ?? '')?.[1];
  const detail = code ? ` (${code})` : '';
  return errorResult(`${errorMessages.AUTH_SIGN_IN_REQUIRED}: the GraphQL API ${api.name} rejected the token with HTTP 401${detail}. Sign in again in GraphQL MCP Desktop.`);
}

async function send(tool: OperationToRun, args: Record<string, unknown>, deps: ExecuteOperationDeps, token: string | undefined, signal?: AbortSignal): Promise<Sent> {
  const { api } = deps;
  const maxBytes = deps.maxResponseBytes ?? defaultMaxResponseBytes;
  let request: GraphqlRequest;
  try {
    request = buildGraphqlRequest({ endpoint: api.endpoint, headers: api.headers, document: tool.document, operationName: tool.operationName, variables: args, token });
  } catch {
    // JSON.stringify throws on absurdly deep arguments (stack depth); refuse rather than throw.
    return { failure: errorResult('The tool arguments could not be encoded as JSON (nested too deeply).') };
  }
  // One controller for all three reasons to stop (timeout, caller cancel, size cap); `stopped` says which fired.
  const controller = new AbortController();
  let stopped: 'timeout' | 'cancelled' | 'too-large' | undefined;
  const stop = (reason: typeof stopped) => {
    stopped ??= reason;
    controller.abort();
  };
  const timer = setTimeout(() => stop('timeout'), api.timeoutMs);
  const onCancel = () => stop('cancelled');
  if (signal?.aborted) stop('cancelled');
  signal?.addEventListener('abort', onCancel, { once: true });
  try {
    const response = await deps.fetch(request.url, { ...request.init, redirect: 'manual', signal: controller.signal });
    const body = await readCapped(response, maxBytes, () => stop('too-large'));
    if (body === undefined) return { failure: tooLarge(api, maxBytes) };
    return { status: response.status, body, wwwAuthenticate: response.headers.get('www-authenticate') };
  } catch (error) {
    return { failure: sendFailure(error, api, stopped, maxBytes) };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCancel);
  }
}

/** Reads the body as text, or returns undefined (after calling `abort` to drop the download) once it passes `maxBytes`. */
async function readCapped(response: Response, maxBytes: number, abort: () => void): Promise<string | undefined> {
  const declared = response.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) {
    abort();
    return undefined;
  }
  // fetch enforces a declared Content-Length, so a declared size within the cap can be read in one go (faster).
  if (declared !== null && /^\d+$/.test(declared)) return response.text();
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of response.body) {
    received += chunk.byteLength;
    if (received > maxBytes) {
      abort();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(api: ApiConfig, maxBytes: number): CallToolResult {
  return errorResult(`The GraphQL API ${api.name} answered with more than ${maxBytes} bytes; the response was cut off and not used.`);
}

function sendFailure(error: unknown, api: ApiConfig, stopped: 'timeout' | 'cancelled' | 'too-large' | undefined, maxBytes: number): CallToolResult {
  if (stopped === 'timeout') return errorResult(`The GraphQL API ${api.name} did not answer in time: timed out after ${api.timeoutMs} ms.`);
  if (stopped === 'cancelled') return errorResult(`The call to the GraphQL API ${api.name} was cancelled.`);
  // The size cap aborted the stream while it was being read.
  if (stopped === 'too-large') return tooLarge(api, maxBytes);
  const code = networkErrorCode(error);
  const origin = originOf(api.endpoint);
  if (code === 'ECONNREFUSED') return errorResult(`The GraphQL API ${api.name} could not be reached at ${origin}: connection refused.`);
  return errorResult(`The GraphQL API ${api.name} could not be reached at ${origin}${code ? ` (${code})` : ''}.`);
}

// fetch reports network failures as TypeError('fetch failed') with the system error code on `cause`.
function networkErrorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown; errors?: { code?: unknown }[] } } | undefined)?.cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  return typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? code : undefined;
}

function originOf(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return 'its endpoint';
  }
}

import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ApiAuthorizer } from '../auth/ApiAuthorizer.ts';
import type { ApiConfig } from '../config/AppConfig.ts';
import { AppError, errorMessages } from '../errors.ts';
import type { UpstreamClient } from '../http/UpstreamClient.ts';
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
  /** The pooled HTTP client for this API (its proxy and trusted roots); never follows redirects. */
  upstream: UpstreamClient;
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
  if (sent.status === 401 && sentToken) return freshTokenRefused(api, sent.wwwAuthenticate);
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

/**
 * The retry after a 401 already carried a token minted just then, and the sign-in is valid (the IdP minted it): the
 * API refuses what the app is configured to send, so "sign in again" would not help (issue 7, item 6).
 */
function freshTokenRefused(api: ApiConfig, wwwAuthenticate: string | null): CallToolResult {
  // Only the RFC 6750 error code (a token-free word) is repeated, never the header as a whole.
  const code = /\berror="?([\w.-]{1,64})"?/i.exec(wwwAuthenticate ?? '')?.[1];
  const detail = code ? `, ${code}` : '';
  const audience = api.token.audience ? ` audience ${api.token.audience} (token.audience)` : ' the audience in token.audience';
  return errorResult(
    `The GraphQL API ${api.name} refused a freshly minted token (HTTP 401${detail}) although you are signed in, so signing in again will not help. ` +
      `Check that the API accepts tokens from the configured signIn.issuer with${audience} and the scopes it needs (token.scopes), and that the API's clock is right.`,
  );
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
  // One controller for both reasons to stop (timeout, caller cancel); `stopped` says which fired.
  const controller = new AbortController();
  let stopped: Stopped;
  const stop = (reason: typeof stopped) => {
    stopped ??= reason;
    controller.abort();
  };
  const timer = setTimeout(() => stop('timeout'), api.timeoutMs);
  const onCancel = () => stop('cancelled');
  if (signal?.aborted) stop('cancelled');
  signal?.addEventListener('abort', onCancel, { once: true });
  try {
    const response = await deps.upstream.send({ url: request.url, ...request.init }, { signal: controller.signal, maxBytes });
    if (response.body === undefined) return { failure: tooLarge(api, maxBytes) };
    const wwwAuthenticate = response.headers['www-authenticate'];
    return { status: response.status, body: response.body, wwwAuthenticate: Array.isArray(wwwAuthenticate) ? wwwAuthenticate.join(', ') : (wwwAuthenticate ?? null) };
  } catch (error) {
    return { failure: sendFailure(error, api, stopped) };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCancel);
  }
}

function tooLarge(api: ApiConfig, maxBytes: number): CallToolResult {
  return errorResult(`The GraphQL API ${api.name} answered with more than ${maxBytes} bytes; the response was cut off and not used.`);
}

function sendFailure(error: unknown, api: ApiConfig, stopped: Stopped): CallToolResult {
  if (stopped === 'timeout') return errorResult(`The GraphQL API ${api.name} did not answer in time: timed out after ${api.timeoutMs} ms.`);
  if (stopped === 'cancelled') return errorResult(`The call to the GraphQL API ${api.name} was cancelled.`);
  // The client's own refusals (an unsupported Content-Encoding) are written to be shown.
  if (AppError.is(error)) return errorResult(`${error.message} (API ${api.name})`);
  const code = networkErrorCode(error);
  const origin = originOf(api.endpoint);
  if (code === 'ECONNREFUSED') return errorResult(`The GraphQL API ${api.name} could not be reached at ${origin}: connection refused.`);
  if (code && untrustedCertificate.test(code)) {
    return errorResult(`The GraphQL API ${api.name} at ${origin} presented a certificate this app does not trust (${code}). If your company uses its own CA, install it in the system's certificate store or set "ca" for this API.`);
  }
  // It was reached: the connection broke while the answer came, so a mutation may have run (issue 7 fault suite).
  if (code && brokenConnection.test(code)) {
    return errorResult(`The GraphQL API ${api.name} at ${origin} broke off the connection before its answer was complete (${code}); the operation may or may not have run.`);
  }
  return errorResult(`The GraphQL API ${api.name} could not be reached at ${origin}${code ? ` (${code})` : ''}.`);
}

const brokenConnection = /^(ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED)$/;

type Stopped = 'timeout' | 'cancelled' | undefined;

const untrustedCertificate = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;

// Node and undici put the system or TLS error code on the error itself; a dual-stack connect fails with an AggregateError.
function networkErrorCode(error: unknown): string | undefined {
  const failure = error as { code?: unknown; cause?: { code?: unknown }; errors?: { code?: unknown }[] } | undefined;
  const code = failure?.code ?? failure?.errors?.[0]?.code ?? failure?.cause?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,60}$/.test(code) ? code : undefined;
}

function originOf(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return 'its endpoint';
  }
}

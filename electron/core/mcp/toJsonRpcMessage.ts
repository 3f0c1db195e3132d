import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isRequestId = (value: unknown) => typeof value === 'string' || Number.isSafeInteger(value);
const hasOnly = (value: Json, keys: ReadonlySet<string>) => Object.keys(value).every((key) => keys.has(key));

const requestKeys = new Set(['jsonrpc', 'id', 'method', 'params']);
const resultKeys = new Set(['jsonrpc', 'id', 'result']);
const errorKeys = new Set(['jsonrpc', 'id', 'error']);

/**
 * The JSON-RPC 2.0 message shapes MCP allows (request, notification, result, error), checked directly instead of
 * with the SDK's zod union on every POST: the SDK `Server` validates each method's params with its own schema next,
 * so this checks only what routing needs. Keys beyond the shape are refused, as the SDK's strict schemas do.
 *
 * @see https://www.jsonrpc.org/specification#request_object
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic#messages
 */
export function toJsonRpcMessage(value: unknown): JSONRPCMessage | undefined {
  if (!isObject(value) || value.jsonrpc !== '2.0') return undefined;
  if ('method' in value) {
    const validParams = value.params === undefined || isObject(value.params);
    const validId = !('id' in value) || isRequestId(value.id);
    return typeof value.method === 'string' && validParams && validId && hasOnly(value, requestKeys) ? (value as JSONRPCMessage) : undefined;
  }
  if ('result' in value) return isRequestId(value.id) && isObject(value.result) && hasOnly(value, resultKeys) ? (value as JSONRPCMessage) : undefined;
  if (!('error' in value) || !isObject(value.error) || !hasOnly(value, errorKeys)) return undefined;
  const { code, message } = value.error;
  const validId = value.id === undefined || isRequestId(value.id);
  return Number.isInteger(code) && typeof message === 'string' && validId ? (value as JSONRPCMessage) : undefined;
}

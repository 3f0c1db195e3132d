import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

// The tool list only changes on reload, and the catalog then hands out a new array: its JSON is kept per array.
const serializedLists = new WeakMap<object, string>();

/**
 * JSON text of an outgoing message. A `tools/list` answer reuses the JSON of its `tools` array from the previous
 * answer with the same array (500 tools are ~260 KB of JSON), so the list is serialized once per change.
 */
export function serializeMessage(message: JSONRPCMessage): string {
  const result = 'result' in message ? (message.result as Record<string, unknown>) : undefined;
  const tools = result?.tools;
  if (!Array.isArray(tools)) return JSON.stringify(message);
  let list = serializedLists.get(tools);
  if (list === undefined) serializedLists.set(tools, (list = JSON.stringify(tools)));
  const { tools: _tools, ...rest } = result!;
  const others = JSON.stringify(rest).slice(1, -1);
  return `{"result":{${others ? `${others},` : ''}"tools":${list}},"jsonrpc":"2.0","id":${JSON.stringify((message as { id: unknown }).id)}}`;
}

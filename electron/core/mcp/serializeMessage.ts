import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

// The tool list only changes on reload, and the catalog then hands out a new array: its UTF-8 JSON is kept per array.
const serializedLists = new WeakMap<object, Buffer>();

/**
 * The JSON of an outgoing answer: a string, or for `tools/list` UTF-8 chunks to write one after another. A
 * `tools/list` answer reuses the encoded JSON of its `tools` array from the previous answer with the same array (500
 * tools are ~260 KB), so the list is serialized and encoded once per change and never copied; per answer only a few
 * bytes around it are new. Any other answer stays a string, which Node writes in one go with the response head.
 */
export function serializeMessage(message: JSONRPCMessage): string | Buffer[] {
  const result = 'result' in message ? (message.result as Record<string, unknown>) : undefined;
  const tools = result?.tools;
  if (!Array.isArray(tools)) return JSON.stringify(message);
  let list = serializedLists.get(tools);
  if (list === undefined) serializedLists.set(tools, (list = Buffer.from(JSON.stringify(tools))));
  const { tools: _tools, ...rest } = result!;
  const others = JSON.stringify(rest).slice(1, -1);
  const id = JSON.stringify((message as { id: unknown }).id);
  return [Buffer.from(`{"result":{${others ? `${others},` : ''}"tools":`), list, Buffer.from(`},"jsonrpc":"2.0","id":${id}}`)];
}

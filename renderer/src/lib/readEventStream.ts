export interface EventStreamHandlers {
  onopen(): void;
  onevent(event: string, data: unknown): void;
}

/**
 * Reads a server-sent event stream with fetch (EventSource cannot send an Authorization header) until it ends.
 * Resolves `refused` on 401/403 (retrying cannot help), `closed` otherwise.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export async function readEventStream(url: string, headers: Record<string, string>, handlers: EventStreamHandlers): Promise<'refused' | 'closed'> {
  try {
    const response = await fetch(url, { headers: { ...headers, Accept: 'text/event-stream' }, cache: 'no-store' });
    if (response.status === 401 || response.status === 403) return 'refused';
    if (!response.ok || !response.body) return 'closed';
    handlers.onopen();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return 'closed';
      buffer += value.replace(/\r\n?/g, '\n');
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      for (const block of blocks) dispatchBlock(block, handlers);
    }
  } catch {
    return 'closed';
  }
}

/** One event block: `event:` names it, `data:` lines carry JSON; comments (`:`) are heartbeats. */
export function parseEventBlock(block: string): { event: string; data: string } | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length > 0 ? { event, data: data.join('\n') } : undefined;
}

function dispatchBlock(block: string, handlers: EventStreamHandlers): void {
  const parsed = parseEventBlock(block);
  if (!parsed) return;
  let data: unknown;
  try {
    data = JSON.parse(parsed.data);
  } catch {
    return; // A malformed event is dropped; the reload after the next reconnect repairs the view.
  }
  handlers.onevent(parsed.event, data);
}

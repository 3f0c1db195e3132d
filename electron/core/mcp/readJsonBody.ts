import type { IncomingMessage } from 'node:http';

export type JsonBody = { ok: true; value: unknown } | { ok: false; reason: 'too-large' | 'invalid-json' | 'aborted' };

/**
 * Reads a request body up to `maxBytes` and parses it as JSON. Stops reading as soon as the limit is passed
 * (checking Content-Length first), so an oversized body is never buffered; the socket is left open so the caller
 * can still answer 413.
 */
export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  if (Number(req.headers['content-length']) > maxBytes) return Promise.resolve({ ok: false, reason: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (result: JsonBody) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= maxBytes) return void chunks.push(chunk);
      req.pause();
      finish({ ok: false, reason: 'too-large' });
    };
    // A small request body arrives in one chunk: decode it without a copy.
    const onEnd = () => finish(parseJson((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)).toString('utf8')));
    const onError = () => finish({ ok: false, reason: 'aborted' });
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onError);
  });
}

function parseJson(text: string): JsonBody {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: 'invalid-json' };
  }
}

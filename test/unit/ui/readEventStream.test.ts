import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseEventBlock, readEventStream } from '../../../renderer/src/lib/readEventStream.ts';

describe('parseEventBlock', () => {
  it('reads the event name and joins data lines', () => {
    expect(parseEventBlock('event: tools:changed\ndata: [1,\ndata: 2]')).toEqual({ event: 'tools:changed', data: '[1,\n2]' });
  });

  it('ignores comments and blocks without data', () => {
    expect(parseEventBlock(': ping')).toBeUndefined();
    expect(parseEventBlock('event: x')).toBeUndefined();
  });
});

describe('readEventStream', () => {
  it('delivers JSON events split across chunks, drops malformed ones, and resolves closed at the end', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(': connected\r\n\r\nevent: auth:changed\r\ndata: {"state":');
      setTimeout(() => res.end('"signed-out"}\r\n\r\nevent: bad\ndata: {nope\n\nevent: tools:changed\ndata: []\n\n'), 20);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const events: [string, unknown][] = [];
    let opened = false;
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const outcome = await readEventStream(url, {}, { onopen: () => (opened = true), onevent: (event, data) => events.push([event, data]) });
    server.close();
    expect(opened).toBe(true);
    expect(outcome).toBe('closed');
    expect(events).toEqual([['auth:changed', { state: 'signed-out' }], ['tools:changed', []]]);
  });

  it('resolves refused on 401 without opening', async () => {
    const server = createServer((_req, res) => res.writeHead(401).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    let opened = false;
    const outcome = await readEventStream(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {}, { onopen: () => (opened = true), onevent: () => {} });
    server.close();
    expect([outcome, opened]).toEqual(['refused', false]);
  });
});

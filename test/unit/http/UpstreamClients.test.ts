import { describe, expect, it } from 'vitest';
import { UpstreamClients } from '../../../electron/core/http/UpstreamClients.ts';

describe('UpstreamClients', () => {
  it('shares one pooled client among APIs without a ca file and gives an API with one its own', async () => {
    const clients = new UpstreamClients({});
    const plain = clients.for({});
    expect(clients.for({ ca: undefined })).toBe(plain);
    const corporate = clients.for({ ca: '/etc/corp-root.pem' });
    expect(corporate).not.toBe(plain);
    expect(clients.for({ ca: '/etc/corp-root.pem' })).toBe(corporate);
    await clients.close();
    expect(clients.for({})).not.toBe(plain); // closed clients are never handed out again
    await clients.close();
  });
});

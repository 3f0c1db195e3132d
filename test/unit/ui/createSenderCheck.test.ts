import { describe, expect, it } from 'vitest';
import type { WebContents } from 'electron';
import { createSenderCheck, isSameOrigin } from '../../../electron/shell/createSenderCheck.ts';

// Plain objects stand in for webContents: the check compares identity only.
const appContents = {} as WebContents;
const otherContents = {} as WebContents;
const check = createSenderCheck({ webContents: () => appContents, origins: ['app://renderer'] });

describe('createSenderCheck', () => {
  it("accepts the app window's top frame showing the app's page", () => {
    expect(check({ sender: appContents, senderFrame: { url: 'app://renderer/index.html', parent: null } })).toBe(true);
  });

  it('refuses another window, a subframe, a navigated page and a missing frame', () => {
    expect(check({ sender: otherContents, senderFrame: { url: 'app://renderer/index.html', parent: null } })).toBe(false);
    expect(check({ sender: appContents, senderFrame: { url: 'app://renderer/index.html', parent: {} } })).toBe(false);
    expect(check({ sender: appContents, senderFrame: { url: 'https://evil.example/', parent: null } })).toBe(false);
    expect(check({ sender: appContents, senderFrame: { url: 'app://rendererx/index.html', parent: null } })).toBe(false);
    expect(check({ sender: appContents, senderFrame: null })).toBe(false);
  });
});

describe('isSameOrigin', () => {
  it('compares scheme, host and port, also for custom schemes', () => {
    expect(isSameOrigin('app://renderer/a/b.html?x', 'app://renderer')).toBe(true);
    expect(isSameOrigin('http://127.0.0.1:5173/', 'http://127.0.0.1:5173')).toBe(true);
    expect(isSameOrigin('http://127.0.0.1:5174/', 'http://127.0.0.1:5173')).toBe(false);
    expect(isSameOrigin('file:///app/index.html', 'file:///other')).toBe(false);
    expect(isSameOrigin('not a url', 'app://renderer')).toBe(false);
  });
});

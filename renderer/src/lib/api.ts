import type { MainChannel, MainEvent, MainEvents, RendererApi, Result } from '../../../electron/ipc/contract.ts';
import { readEventStream } from './readEventStream.ts';

declare global {
  interface Window {
    /** Set by Electron's preload; absent when the headless bridge serves this page over HTTP. */
    api?: RendererApi;
  }
}

/** The window's link to the app: the contract, plus whether the event stream is currently connected. */
export interface AppConnection {
  api: RendererApi;
  /** Called with false when the event stream drops and true when it is back (events may have been missed). */
  onConnectionChange(listener: (connected: boolean) => void): () => void;
}

const tokenKey = 'graphql-mcp-desktop.launchToken';

/** Electron's `window.api` when the preload provided it, else the headless bridge over HTTP — same contract. */
export function connectApp(win: Window = window): AppConnection {
  if (win.api) return { api: win.api, onConnectionChange: () => () => {} };
  return createHttpConnection(takeLaunchToken(win));
}

/**
 * The launch token from `?token=`, moved into sessionStorage (scoped to this origin and tab, so a reload keeps
 * working) and removed from the address bar so it is not left in history or shown on screen.
 */
export function takeLaunchToken(win: Window): string | undefined {
  const url = new URL(win.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    win.sessionStorage.setItem(tokenKey, fromUrl);
    url.searchParams.delete('token');
    win.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return win.sessionStorage.getItem(tokenKey) ?? undefined;
}

function createHttpConnection(token: string | undefined): AppConnection {
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  const events = createEventHub(headers);
  const invoke = (channel: MainChannel, args: unknown[]) => postChannel(channel, args, headers);
  // One function per channel name, built on demand: the renderer imports the contract as types only.
  const api = new Proxy({} as RendererApi, {
    get(_target, key) {
      if (key === 'on') return events.on;
      if (typeof key !== 'string' || !/^[a-z]+:[A-Za-z]+$/.test(key)) return undefined;
      return (...args: unknown[]) => invoke(key as MainChannel, args);
    },
  });
  return { api, onConnectionChange: events.onConnectionChange };
}

async function postChannel(channel: MainChannel, args: unknown[], headers: Record<string, string>): Promise<Result<unknown>> {
  try {
    const response = await fetch(`/api/${channel}`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(args),
    });
    if (response.status === 401) return refused('This window was not opened with the app’s launch link. Open the address the app printed.');
    return (await response.json()) as Result<unknown>;
  } catch {
    return { ok: false, error: { code: 'UI_REQUEST_FAILED', message: 'The app is not reachable. Is it still running?' } };
  }
}

function refused(message: string): Result<never> {
  return { ok: false, error: { code: 'UI_REQUEST_REFUSED', message } };
}

type AnyListener = (payload: unknown) => void;

/** One server-sent event stream shared by every `on()` listener; reconnects with backoff while anyone listens. */
function createEventHub(headers: Record<string, string>) {
  const listeners = new Map<string, Set<AnyListener>>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let running = false;

  async function run(): Promise<void> {
    let delayMs = 500;
    while (listeners.size > 0) {
      let opened = false;
      const outcome = await readEventStream('/api/events', headers, {
        onopen: () => {
          opened = true;
          delayMs = 500;
          connectionListeners.forEach((listener) => listener(true));
        },
        onevent: (event, data) => listeners.get(event)?.forEach((listener) => listener(data)),
      });
      // Only a stream that was open can be lost; a refused or unreachable start shows up as the load error.
      if (opened) connectionListeners.forEach((listener) => listener(false));
      if (outcome === 'refused') break;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, 10_000);
    }
    running = false;
  }

  function on<E extends MainEvent>(event: E, listener: (payload: MainEvents[E]) => void): () => void {
    const set = listeners.get(event) ?? new Set();
    set.add(listener as AnyListener);
    listeners.set(event, set);
    if (!running) {
      running = true;
      void run();
    }
    return () => {
      set.delete(listener as AnyListener);
      if (set.size === 0) listeners.delete(event);
    };
  }

  function onConnectionChange(listener: (connected: boolean) => void): () => void {
    connectionListeners.add(listener);
    return () => connectionListeners.delete(listener);
  }

  return { on, onConnectionChange };
}

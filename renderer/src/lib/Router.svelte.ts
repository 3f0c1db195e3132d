export const viewIds = ['overview', 'clients', 'connect', 'tools', 'activity', 'audiences', 'settings'] as const;
export type ViewId = (typeof viewIds)[number];

export const viewLabels: Readonly<Record<ViewId, string>> = {
  overview: 'Overview',
  clients: 'Clients',
  connect: 'Connect a client',
  tools: 'Tools',
  activity: 'Activity',
  audiences: 'Audiences',
  settings: 'Settings',
};

/** `#/tools/CreateTask` → view `tools`, detail `CreateTask`; anything unknown is the overview. */
export function parseRoute(hash: string): { view: ViewId; detail?: string } {
  const [view, ...rest] = hash.replace(/^#\/?/, '').split('/');
  const known = viewIds.find((id) => id === view) ?? 'overview';
  const detail = rest.length > 0 ? decodeURIComponent(rest.join('/')) : undefined;
  return detail ? { view: known, detail } : { view: known };
}

export function routeHref(view: ViewId, detail?: string): string {
  return detail ? `#/${view}/${encodeURIComponent(detail)}` : `#/${view}`;
}

/** The current view from the address's hash: works the same at app://renderer/ and at the headless /ui/ page. */
export class Router {
  view = $state<ViewId>('overview');
  detail = $state<string | undefined>();

  readonly #win: Window;

  constructor(win: Window = window) {
    this.#win = win;
    this.#read();
  }

  /** Follows the back/forward buttons and links; returns the function that stops. */
  start(): () => void {
    const listener = () => this.#read();
    this.#win.addEventListener('hashchange', listener);
    return () => this.#win.removeEventListener('hashchange', listener);
  }

  go(view: ViewId, detail?: string): void {
    this.#win.location.hash = routeHref(view, detail);
  }

  #read(): void {
    const route = parseRoute(this.#win.location.hash);
    this.view = route.view;
    this.detail = route.detail;
  }
}

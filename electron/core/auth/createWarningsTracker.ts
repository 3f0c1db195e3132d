import type { ApiConfig } from '../config/AppConfig.ts';
import { analyzeAudience, type AudienceWarning, type IssuerMetadata } from './analyzeAudience.ts';

export interface WarningsTrackerOptions {
  apis: ApiConfig[];
  now(): number;
  /** The IdP metadata once discovered. */
  metadata(): IssuerMetadata | undefined;
}

/** The current audience findings per API, published only when they change. */
export interface WarningsTracker {
  all(): AudienceWarning[];
  /** Findings from the token last minted (or refused) for an API; they replace its config-only findings. */
  set(api: string, warnings: AudienceWarning[]): void;
  clear(): void;
  /** Recomputes and notifies listeners if anything changed (after discovery, sign-in, sign-out). */
  publish(): void;
  onChanged(listener: (warnings: AudienceWarning[]) => void): () => void;
}

export function createWarningsTracker(options: WarningsTrackerOptions): WarningsTracker {
  const fromTokens = new Map<string, AudienceWarning[]>();
  const listeners = new Set<(warnings: AudienceWarning[]) => void>();
  let last = '';
  const all = (): AudienceWarning[] =>
    options.apis.flatMap((api) => fromTokens.get(api.name) ?? analyzeAudience({ api, metadata: options.metadata(), now: options.now() }));
  const publish = (): void => {
    const warnings = all();
    const text = JSON.stringify(warnings);
    if (text === last) return;
    last = text;
    for (const listener of listeners) listener(warnings);
  };
  return {
    all,
    set: (api, warnings) => (fromTokens.set(api, warnings), publish()),
    clear: () => (fromTokens.clear(), publish()),
    publish,
    onChanged: (listener) => (listeners.add(listener), () => void listeners.delete(listener)),
  };
}

/** One line per finding for the CLI: `warning: api orders: <message> (fix: …)`. */
export function formatAudienceWarning(warning: AudienceWarning): string {
  const values = warning.expected || warning.actual ? ` [expected ${warning.expected ?? '-'}, actual ${warning.actual ?? '-'}]` : '';
  return `${warning.severity}: api ${warning.api}: ${warning.message}${values} (fix: ${warning.fix})`;
}

import type { LiveSession } from '../mcp/McpSessions.ts';

/** Something with live sessions to list: the `/mcp` server, or the stdio bridge. */
export interface LiveSessionSource {
  liveSessions(): LiveSession[];
  onSessionsChanged(listener: () => void): () => void;
}

/**
 * One list of live sessions over HTTP and the stdio bridge, so the window shows a bridge client's connections like
 * any other client's. A source that did not start (no bridge socket) is skipped.
 */
export function joinLiveSessions(...sources: (LiveSessionSource | undefined)[]): LiveSessionSource {
  const present = sources.filter((source) => source !== undefined);
  return {
    liveSessions: () => present.flatMap((source) => source.liveSessions()),
    onSessionsChanged: (listener) => {
      const stops = present.map((source) => source.onSessionsChanged(listener));
      return () => stops.forEach((stop) => stop());
    },
  };
}

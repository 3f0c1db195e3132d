import type { ToolView } from '../../../electron/ipc/contract.ts';

export interface ToolGroup {
  api: string;
  tools: ToolView[];
}

/** Tools whose name, title, description or API contains every word of `query` (case-insensitive). */
export function filterTools(tools: readonly ToolView[], query: string): ToolView[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...tools];
  return tools.filter((tool) => {
    const text = `${tool.name} ${tool.title ?? ''} ${tool.description} ${tool.api}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** Groups by API (alphabetical); operations before introspection tools, then by name. */
export function groupToolsByApi(tools: readonly ToolView[]): ToolGroup[] {
  const groups = new Map<string, ToolView[]>();
  for (const tool of tools) groups.set(tool.api, [...(groups.get(tool.api) ?? []), tool]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([api, list]) => ({ api, tools: list.sort(compareTools) }));
}

function compareTools(a: ToolView, b: ToolView): number {
  if (a.kind !== b.kind) return a.kind === 'operation' ? -1 : 1;
  return a.name.localeCompare(b.name);
}

/** The badge a tool gets: what it may do to the API, in the words of MCP's annotations. */
export function toolEffect(tool: ToolView): 'read-only' | 'destructive' | 'mutation' {
  if (tool.readOnly) return 'read-only';
  return tool.destructive ? 'destructive' : 'mutation';
}

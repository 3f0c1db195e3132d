/** The bench's MCP clients introduce themselves by this name; runCore.ts allows stdio bridge clients of this name only. */
export const benchClientName = 'graphql-mcp-desktop-bench';

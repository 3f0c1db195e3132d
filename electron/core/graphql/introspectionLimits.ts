// Bounds of the introspection tools' arguments, in a file of their own: the tool definitions (tools/list) need them,
// and importing them from introspectType/searchSchema would load graphql for a restart that lists cached tools.

/** `introspect`'s default and largest `depth`. */
export const defaultIntrospectDepth = 1;
export const maxIntrospectDepth = 3;

/** `search`'s default and largest `limit`. */
export const defaultSearchLimit = 10;
export const maxSearchLimit = 50;

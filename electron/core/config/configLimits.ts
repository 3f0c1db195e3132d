/**
 * Upper bounds on what a config file may hold. Far above any real setup (dozens of APIs, headers of a few hundred
 * bytes), low enough that a wrong or hostile file is refused in milliseconds before it costs memory or file handles:
 * a 48 MB file reached 3.9 GB RSS and 40k APIs ran out of file descriptors before these existed.
 */
export const configLimits = {
  /** Bytes of the config file; checked before it is read, so a huge file is never parsed. */
  fileBytes: 256 * 1024,
  /**
   * Mappings and lists in the file, counted on the raw text before parsing (an upper bound: braces in strings count
   * too). A real config has a few per API; 80k `{}` in 256 KB would otherwise cost seconds and hundreds of MB to parse.
   */
  collections: 10_000,
  /** Entries under `apis`; each opens a schema, operation folders and watchers. */
  apis: 200,
  /** Any one string value (URLs, names, paths, scopes). */
  stringLength: 8192,
  /** One header value after `${env.…}` expansion; servers commonly refuse 8–16 KB of headers in all. */
  headerValueBytes: 8192,
  /** Headers of one API. */
  headers: 64,
  /** Items of one list (operation sources, scopes) and entries of `customScalars`. */
  listItems: 1000,
  /** One custom scalar's JSON Schema, serialized. */
  customScalarBytes: 16 * 1024,
  /** Alias dereferences in the whole file (YAML anchors may nest, as in the "billion laughs" file). */
  aliases: 1000,
} as const;

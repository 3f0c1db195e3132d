import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import type { ApiConfig, Problem } from '../config/AppConfig.ts';
import { readOperationDocuments } from '../graphql/loadOperations.ts';
import type { OperationTool } from '../graphql/OperationTool.ts';
import { writeFileAtomic } from '../store/writeFileAtomic.ts';

/** An API's tools as its first load computes them, and its schema, built now or on first use. */
export interface CachedTools {
  /** Read back from the cache (inputs unchanged) rather than computed. */
  fromCache: boolean;
  tools: OperationTool[];
  /** Schema warnings, then operation problems, as the uncached load reports them. */
  problems: Problem[];
  /** Parses the schema file on first use (introspection tools): the load keeps no schema in memory. */
  loadSchema(): Promise<GraphQLSchema>;
}

interface CacheFile {
  key: string;
  tools: OperationTool[];
  problems: Problem[];
}

// The code that turns operations into tools: a change to it (an upgrade) must not serve tools built by the old one.
const builderDir = path.join(import.meta.dirname, '..', 'graphql');
// Set by build/bundleCore.ts: bundled, the builder's sources are not on disk, and the bundle's sources' fingerprint
// (electron/**, package-lock.json) covers them. Undeclared when run from source.
declare const CORE_BUNDLE_FINGERPRINT: string | undefined;

/**
 * Tool definitions computed from a schema file and operations, kept in the data folder under the SHA-256 of
 * everything they are computed from: the schema text, every operation file (path and text), the config fields
 * that shape tools, and the builder code. A restart with unchanged inputs reads them back (and parses the schema
 * only when an introspection tool first needs it) instead of parsing GitHub-sized schemas and validating hundreds of
 * operations. Only first loads use it; hot reloads always rebuild.
 */
export class ToolCache {
  readonly #dir: string;
  #builder?: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The API's tools from the cache, or computed (and cached); undefined when the schema file cannot be read. */
  async load(api: ApiConfig): Promise<CachedTools | undefined> {
    if (!('file' in api.schema)) return undefined;
    const schemaFile = api.schema.file;
    const schemaText = await readFile(schemaFile, 'utf8').catch(() => undefined);
    if (schemaText === undefined) return undefined; // the uncached load reports it
    const read = await readOperationDocuments(api.operations, api.name);
    const key = this.#key(api, schemaText, read.documents.map(({ file, key: part, text }) => [file, part ?? '', text]));
    const loadSchema = once(async () => (await importParseSchemaSdl()).parseSchemaSdl(await readFile(schemaFile, 'utf8'), schemaFile).schema);
    const hit = await this.#read(api.name, key);
    if (hit) return { fromCache: true, tools: hit.tools, problems: hit.problems, loadSchema };
    const [{ parseSchemaSdl }, { buildTools }] = await Promise.all([importParseSchemaSdl(), importBuildTools()]);
    const parsed = parseSchemaSdl(schemaText, schemaFile);
    const built = buildTools(read.documents, parsed.schema, api);
    const problems = [...parsed.problems.map((problem) => ({ ...problem, api: api.name })), ...read.problems, ...built.problems];
    // Not awaited: fsync is off the start-up path, and a cache that cannot be written only makes the next start slower.
    void this.#write(api.name, { key, tools: built.tools, problems }).catch(() => {});
    // The schema is not kept: tools and calls do not need it, and GitHub's takes ~20-30 MB; introspection re-parses it.
    return { fromCache: false, tools: built.tools, problems, loadSchema };
  }

  #key(api: ApiConfig, schemaText: string, documents: string[][]): string {
    const { name, toolPrefix, mutations, customScalars, schema, operations } = api;
    const hash = createHash('sha256').update(this.#builderFingerprint()).update('\0').update(JSON.stringify({ name, toolPrefix, mutations, customScalars, schema, operations }));
    hash.update('\0').update(schemaText);
    for (const document of documents) hash.update('\0').update(JSON.stringify(document));
    return hash.digest('base64url');
  }

  /** Names, sizes and times of the builder's source files: cheap, and changes with any edit or upgrade. */
  #builderFingerprint(): string {
    if (typeof CORE_BUNDLE_FINGERPRINT === 'string') return `bundle:${CORE_BUNDLE_FINGERPRINT}`;
    this.#builder ??= readdirSync(builderDir).sort().map((file) => {
      const stats = statSync(path.join(builderDir, file));
      return `${file}:${stats.size}:${stats.mtimeMs}`;
    }).join('|');
    return this.#builder;
  }

  async #read(apiName: string, key: string): Promise<CacheFile | undefined> {
    try {
      const cached = JSON.parse(await readFile(this.#file(apiName), 'utf8')) as CacheFile;
      return cached.key === key && Array.isArray(cached.tools) && Array.isArray(cached.problems) ? cached : undefined;
    } catch {
      return undefined; // missing or unreadable: computed again
    }
  }

  #write(apiName: string, cached: CacheFile): Promise<void> {
    return writeFileAtomic(this.#file(apiName), JSON.stringify(cached));
  }

  #file(apiName: string): string {
    return path.join(this.#dir, `tools-${apiName}.json`);
  }
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

// graphql (~130 modules) is loaded on a cache miss or the first introspection call: a cached restart lists tools without it.
function importParseSchemaSdl(): Promise<typeof import('../graphql/parseSchemaSdl.ts')> {
  return import('../graphql/parseSchemaSdl.ts');
}

/** graphql's validation of the operations, needed on a cache miss only. */
function importBuildTools(): Promise<typeof import('../graphql/buildTools.ts')> {
  return import('../graphql/buildTools.ts');
}

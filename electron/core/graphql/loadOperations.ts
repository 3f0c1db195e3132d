import { readFileSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { GraphQLSchema } from 'graphql';
import type { ApiConfig, OperationSource, Problem } from '../config/AppConfig.ts';
import type { BuildToolsOptions, BuiltTools, OperationDocument } from './buildTools.ts';

const operationExtensions = new Set(['.graphql', '.gql']);

/**
 * Bounds on one operations source, far above real use (GitHub-sized sets are ~500 small files), so that `operations:
 * [~]` or a stray huge file is refused with a message instead of walking the disk or filling memory.
 */
export const operationLimits: OperationLimits = {
  /** Folder entries (files and folders) looked at under one operations path. */
  entries: 20_000,
  /** `.graphql`/`.gql` files under one operations path. */
  files: 5000,
  /** One operation file. */
  fileBytes: 1024 * 1024,
  /** One persisted-query manifest. */
  manifestBytes: 32 * 1024 * 1024,
} as const;

export interface OperationLimits {
  entries: number;
  files: number;
  fileBytes: number;
  manifestBytes: number;
}

export interface LoadOperationsOptions extends BuildToolsOptions {
  /** Defaults to operationLimits. */
  limits?: OperationLimits;
}

class TooManyEntries extends Error {}

/**
 * Reads every operation source of an API (files, folders searched recursively for `.graphql`/`.gql`, Apollo
 * persisted-query manifests) and turns the named operations into tools. Never throws for bad input: unreadable
 * paths and bad operations are problems, and the good operations are still served.
 * @see https://www.apollographql.com/docs/graphos/platform/security/persisted-queries (manifest format)
 */
export async function loadOperations(sources: readonly OperationSource[], schema: GraphQLSchema, api: ApiConfig, options: LoadOperationsOptions = {}): Promise<BuiltTools> {
  const { documents, problems } = await readOperationDocuments(sources, api.name, options.limits);
  const { buildTools } = await importBuildTools();
  const built = buildTools(documents, schema, api, options);
  return { tools: built.tools, problems: [...problems, ...built.problems] };
}

export interface ReadDocuments {
  documents: OperationDocument[];
  problems: Problem[];
}

/** The IO half of loadOperations: files and manifests → documents, in a stable (sorted) order. */
export async function readOperationDocuments(sources: readonly OperationSource[], apiName?: string, limits: OperationLimits = operationLimits): Promise<ReadDocuments> {
  const documents: OperationDocument[] = [];
  const problems: Problem[] = [];
  const report = (problem: Problem) => problems.push({ ...problem, api: apiName });
  for (const source of sources) {
    if ('manifest' in source) documents.push(...(await readManifest(source.manifest, report, limits)));
    else documents.push(...(await readOperationPath(source.path, report, limits)));
  }
  return { documents, problems };
}

async function readOperationPath(path: string, report: (problem: Problem) => void, limits: OperationLimits): Promise<OperationDocument[]> {
  let files: string[];
  try {
    files = (await stat(path)).isDirectory() ? await listOperationFiles(path, { entries: 0, limit: limits.entries }) : [path];
  } catch (error) {
    const message = error instanceof TooManyEntries
      ? `Operations folder has more than ${limits.entries} files and folders; point "operations" at the folder that holds your .graphql files`
      : `Operations path ${describeFsError(error)}`;
    report({ severity: 'error', file: path, message });
    return [];
  }
  if (files.length > limits.files) {
    report({ severity: 'error', file: path, message: `Operations folder holds ${files.length} .graphql/.gql files; the limit is ${limits.files} per operations path. None were loaded; split them over several APIs or paths` });
    return [];
  }
  if (files.length === 0) report({ severity: 'warning', file: path, message: 'No .graphql or .gql files in this folder' });
  const documents: OperationDocument[] = [];
  for (const file of files) {
    try {
      // Synchronous on purpose: for hundreds of small files one read each takes ~7 ms in all, where the promise API's
      // open/stat/read/close round trips through the thread pool take ~250 ms one after another (~60 ms in parallel).
      const size = statSync(file).size;
      if (size > limits.fileBytes) {
        report({ severity: 'error', file, message: `Operation file is ${Math.ceil(size / 1024)} KB; the limit is ${Math.ceil(limits.fileBytes / 1024)} KB per file. It was skipped` });
        continue;
      }
      documents.push({ file, text: readFileSync(file, 'utf8') });
    } catch (error) {
      report({ severity: 'error', file, message: `Operation file ${describeFsError(error)}` });
    }
  }
  return documents;
}

/** Recursive and sorted, so tool order (and golden output) does not depend on the file system. Skips dot-folders. */
async function listOperationFiles(folder: string, seen: { entries: number; limit: number }): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  seen.entries += entries.length;
  if (seen.entries > seen.limit) throw new TooManyEntries();
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => compareNames(a.name, b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await listOperationFiles(path, seen)));
    else if (operationExtensions.has(extname(entry.name).toLowerCase()) && (entry.isFile() || (entry.isSymbolicLink() && (await isFile(path))))) {
      files.push(path);
    }
  }
  return files;
}

/** Symlinked operation files are followed; symlinked folders are not (they could loop). */
async function isFile(path: string): Promise<boolean> {
  return stat(path).then((info) => info.isFile(), () => false);
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'is not readable (permission denied)';
  return `could not be read (${code ?? 'unknown error'})`;
}

async function readManifest(file: string, report: (problem: Problem) => void, limits: OperationLimits): Promise<OperationDocument[]> {
  let text: string;
  try {
    const { size } = await stat(file);
    if (size > limits.manifestBytes) {
      report({ severity: 'error', file, message: `Persisted-query manifest is ${Math.ceil(size / (1024 * 1024))} MB; the limit is ${Math.ceil(limits.manifestBytes / (1024 * 1024))} MB. It was skipped` });
      return [];
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    report({ severity: 'error', file, message: `Persisted-query manifest ${describeFsError(error)}` });
    return [];
  }
  return parseManifest(text, file, report);
}

interface ManifestOperation {
  id?: unknown;
  name?: unknown;
  type?: unknown;
  body?: unknown;
}

/**
 * Pure: an Apollo persisted-query manifest (`{ format: "apollo-persisted-query-manifest", version: 1, operations }`)
 * → one document per operation body, keyed `operations[i]` for problem reports.
 */
export function parseManifest(text: string, file: string, report: (problem: Problem) => void): OperationDocument[] {
  let manifest: { format?: unknown; version?: unknown; operations?: unknown };
  try {
    manifest = JSON.parse(text) as typeof manifest;
  } catch (error) {
    report({ severity: 'error', file, message: `Persisted-query manifest is not JSON: ${(error as Error).message}` });
    return [];
  }
  if (manifest?.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1 || !Array.isArray(manifest.operations)) {
    report({ severity: 'error', file, message: 'Not an Apollo persisted-query manifest (expected format "apollo-persisted-query-manifest", version 1, operations [])' });
    return [];
  }
  return (manifest.operations as ManifestOperation[]).flatMap((operation, index) => {
    const key = `operations[${index}]`;
    if (typeof operation?.body === 'string') return [{ file, text: operation.body, key }];
    report({ severity: 'error', file, key, message: 'Manifest operation has no string body; skipped' });
    return [];
  });
}

/** graphql's validation, loaded on first use: readOperationDocuments serves a cached restart, which needs none of it. */
function importBuildTools(): Promise<typeof import('./buildTools.ts')> {
  return import('./buildTools.ts');
}

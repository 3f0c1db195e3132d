import path from 'node:path';
import type { AppConfig } from '../config/AppConfig.ts';
import { defaultIntrospection, defaultTimeoutMs } from '../config/parseConfig.ts';
import { demoSchemaFiles, startDirectoryApi, startTasksApi } from './demoApis.ts';

/** The example operations shipped with the app (top-level `operations/`). */
export const demoOperationsDir = path.resolve(import.meta.dirname, '../../../operations');

export interface DemoEnvironment {
  config: AppConfig;
  close(): Promise<void>;
}

/**
 * Starts the built-in demo used on first run (no config file): two GraphQL APIs on 127.0.0.1 and a config that
 * serves the example operations. The directory API has a tool prefix so its introspection tools don't collide.
 */
export async function startDemo(): Promise<DemoEnvironment> {
  const [tasks, directory] = await Promise.all([startTasksApi(), startDirectoryApi()]);
  const base = { mutations: 'explicit' as const, introspection: { ...defaultIntrospection }, headers: {}, customScalars: {}, timeoutMs: defaultTimeoutMs, token: { strategy: 'none' as const } };
  const config: AppConfig = {
    server: { port: 0 },
    apis: [
      {
        ...base, name: 'tasks', toolPrefix: '', endpoint: tasks.url, schema: { file: demoSchemaFiles.tasks },
        operations: [{ path: path.join(demoOperationsDir, 'tasks') }], customScalars: { DateTime: { type: 'string', format: 'date-time' } },
      },
      {
        ...base, name: 'directory', toolPrefix: 'directory_', endpoint: directory.url, schema: { file: demoSchemaFiles.directory },
        operations: [{ path: path.join(demoOperationsDir, 'directory') }], mutations: 'none',
      },
    ],
  };
  return { config, close: async () => { await Promise.all([tasks.close(), directory.close()]); } };
}

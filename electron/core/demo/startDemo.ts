import path from 'node:path';
import { appRoot } from '../appRoot.ts';
import type { AppConfig } from '../config/AppConfig.ts';
import { defaultIntrospection, defaultTimeoutMs } from '../config/parseConfig.ts';
import type { Logger } from '../log/Logger.ts';
import { demoSchemaFiles, startDirectoryApi, startTasksApi } from './demoApis.ts';
import { demoAppResource, demoClientId, startDemoIdp } from './demoIdp.ts';
import { verifyBearer } from './verifyBearer.ts';

/** The example operations shipped with the app (top-level `operations/`). */
export const demoOperationsDir = path.join(appRoot, 'operations');

/** The MCP port the demo listens on (the README's client examples use it); a free one if it is taken. */
export const demoPort = 47320;

/** The demo APIs' resource indicators: the `aud` each one demands. */
export const demoResources = { tasks: 'urn:graphql-mcp-desktop:demo:tasks', directory: 'urn:graphql-mcp-desktop:demo:directory' };

export interface DemoEnvironment {
  config: AppConfig;
  close(): Promise<void>;
}

/**
 * Starts the built-in demo used on first run (no config file), all on 127.0.0.1: a real identity provider
 * (oidc-provider) and two GraphQL APIs that each accept only JWTs minted for their own audience. `tasks` gets its token
 * by RFC 8693 exchange and works; `directory` is deliberately set to `passthrough` although the sign-in token's
 * audience is the app, so the app shows the audience warning and refuses its calls instead of sending the wrong token.
 */
export async function startDemo(options: { logger?: Logger } = {}): Promise<DemoEnvironment> {
  const idp = await startDemoIdp({
    appResource: demoAppResource,
    apis: [{ resource: demoResources.tasks, scopes: ['tasks:read', 'tasks:write'] }, { resource: demoResources.directory, scopes: ['directory:read'] }],
    logger: options.logger,
  });
  const guard = (audience: string) => verifyBearer({ issuer: idp.issuer, jwksUri: idp.jwksUri, audience });
  const [tasks, directory] = await Promise.all([startTasksApi({ verify: guard(demoResources.tasks) }), startDirectoryApi({ verify: guard(demoResources.directory) })]);
  const base = { mutations: 'explicit' as const, introspection: { ...defaultIntrospection }, headers: {}, customScalars: {}, timeoutMs: defaultTimeoutMs };
  const config: AppConfig = {
    server: { port: demoPort },
    signIn: { issuer: idp.issuer, clientId: demoClientId, scopes: ['openid', 'offline_access'], resource: demoAppResource, allowInsecureLoopback: true },
    apis: [
      {
        ...base, name: 'tasks', toolPrefix: '', endpoint: tasks.url, schema: { file: demoSchemaFiles.tasks },
        operations: [{ path: path.join(demoOperationsDir, 'tasks') }], customScalars: { DateTime: { type: 'string', format: 'date-time' } },
        token: { strategy: 'exchange', audience: demoResources.tasks, scopes: ['tasks:read', 'tasks:write'] },
      },
      {
        ...base, name: 'directory', toolPrefix: 'directory_', endpoint: directory.url, schema: { file: demoSchemaFiles.directory },
        operations: [{ path: path.join(demoOperationsDir, 'directory') }], mutations: 'none',
        token: { strategy: 'passthrough', audience: demoResources.directory, scopes: ['directory:read'] },
      },
    ],
  };
  return { config, close: async () => { await Promise.all([tasks.close(), directory.close()]); await idp.close(); } };
}

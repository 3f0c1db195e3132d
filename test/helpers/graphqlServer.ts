import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, graphql, type GraphQLSchema } from 'graphql';
import { makeApiConfig } from './makeApiConfig.ts';
import type { ApiConfig } from '../../electron/core/config/AppConfig.ts';

/** One request the test server received, as it arrived on the wire. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers a request instead of the GraphQL schema; return true when it handled it. */
export type Responder = (request: RecordedRequest, res: ServerResponse) => boolean | Promise<boolean>;

export interface TestGraphqlServer {
  /** The GraphQL endpoint, `http://127.0.0.1:<port>/graphql`. */
  url: string;
  requests: RecordedRequest[];
  /** Set by a test to answer with a status, a redirect, a slow or huge body, …; cleared by `reset()`. */
  respond?: Responder;
  reset(): void;
  close(): Promise<void>;
}

export const testSchemaSource = /* GraphQL */ `
  type Query {
    hello(name: String): String
    echo(text: String): String
    user(id: ID!): User
    users: [User!]!
    failing: String
  }
  type User {
    id: ID!
    name: String
  }
`;

const users = [
  { id: '1', name: 'Ada' },
  { id: '2', name: 'Grace' },
];

const rootValue = {
  hello: ({ name }: { name?: string }) => `Hello, ${name ?? 'world'}!`,
  echo: ({ text }: { text?: string }) => text,
  user: ({ id }: { id: string }) => users.find((user) => user.id === id) ?? null,
  users: () => users,
  failing: () => {
    throw new Error('failing resolver');
  },
};

/** A real GraphQL server (graphql() behind node:http) on 127.0.0.1 that records every request. */
export async function startGraphqlServer(schema: GraphQLSchema = buildSchema(testSchemaSource)): Promise<TestGraphqlServer> {
  const requests: RecordedRequest[] = [];
  const state: TestGraphqlServer = {
    url: '',
    requests,
    reset: () => {
      requests.length = 0;
      state.respond = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    void handle(req, res, schema, state).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return state;
}

async function handle(req: IncomingMessage, res: ServerResponse, schema: GraphQLSchema, state: TestGraphqlServer): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
  state.requests.push(recorded);
  if (state.respond && (await state.respond(recorded, res))) return;
  let payload: { query?: string; variables?: Record<string, unknown>; operationName?: string };
  try {
    payload = JSON.parse(recorded.body);
  } catch {
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'Body is not JSON' }] }));
    return;
  }
  const result = await graphql({ schema, source: payload.query ?? '', variableValues: payload.variables, operationName: payload.operationName, rootValue });
  res.writeHead(200, { 'content-type': 'application/graphql-response+json' }).end(JSON.stringify(result));
}

/** An ApiConfig for tests pointing at `endpoint`, with no token (strategy none) unless overridden. */
export function testApiConfig(endpoint: string, overrides: Partial<ApiConfig> = {}): ApiConfig {
  return makeApiConfig({ toolPrefix: 'test_', endpoint, ...overrides });
}

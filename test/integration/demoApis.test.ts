import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSchemaFiles, startDirectoryApi, startTasksApi } from '../../electron/core/demo/demoApis.ts';
import type { GraphqlHttpServer } from '../../electron/core/demo/serveGraphql.ts';

const opsDir = path.join(import.meta.dirname, '../../operations');
const readOps = (api: string) => readdirSync(path.join(opsDir, api)).map((file) => readFileSync(path.join(opsDir, api, file), 'utf8')).join('\n');

async function post(url: string, query: string, variables?: unknown, operationName?: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables, operationName }) });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string }[] }, headers: res.headers };
}

describe('demo APIs', () => {
  let tasks: GraphqlHttpServer;
  let directory: GraphqlHttpServer;
  beforeAll(async () => { [tasks, directory] = await Promise.all([startTasksApi(), startDirectoryApi()]); });
  afterAll(async () => { await Promise.all([tasks.close(), directory.close()]); });

  it('ships example operations that are valid against the demo schemas', () => {
    for (const api of ['tasks', 'directory'] as const) {
      const errors = validate(buildSchema(readFileSync(demoSchemaFiles[api], 'utf8')), parse(readOps(api)));
      expect(errors.map((e) => e.message), api).toEqual([]);
    }
  });

  it('answers the example queries with data on 127.0.0.1', async () => {
    expect(new URL(tasks.url).hostname).toBe('127.0.0.1');
    const doc = readOps('tasks');
    const listed = await post(tasks.url, doc, {}, 'ListProjects');
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data.projects.map((p: { name: string }) => p.name)).toEqual(['Checkout redesign', 'Data platform', 'Office move']);
    const search = await post(tasks.url, doc, { where: { filter: { status: ['TODO'] }, not: { filter: { priority: 'LOW' } } }, first: 5 }, 'SearchTasks');
    expect(search.body.data.tasks.map((t: { id: string }) => t.id)).toEqual(['t3', 't6']);
    const people = await post(directory.url, readOps('directory'), { team: 'data' }, 'ListPeople');
    expect(people.body.data.people).toEqual([{ id: 'e3', name: 'Alan Turing', team: 'data', office: 'Manchester' }]);
  });

  it('enforces @oneOf and DateTime on input', async () => {
    const doc = readOps('tasks');
    const both = await post(tasks.url, doc, { by: { id: 'u1', email: 'ada@acme.example' } }, 'FindUser');
    expect(both.body.errors?.[0]?.message).toMatch(/exactly one key/i);
    const one = await post(tasks.url, doc, { by: { email: 'ada@acme.example' } }, 'FindUser');
    expect(one.body.data.user.name).toBe('Ada Lovelace');
    const badDate = await post(tasks.url, doc, { input: { projectId: 'p1', title: 'x', dueAt: 'tomorrow' } }, 'CreateTask');
    expect(badDate.body.errors?.[0]?.message).toContain('ISO-8601');
  });

  it('runs mutations against its own in-memory data', async () => {
    const doc = readOps('tasks');
    const created = await post(tasks.url, doc, { input: { projectId: 'p3', title: 'Order boxes', dueAt: '2026-12-10T10:00:00Z' } }, 'CreateTask');
    expect(created.body.data.createTask).toMatchObject({ title: 'Order boxes', priority: 'MEDIUM', status: 'TODO', dueAt: '2026-12-10T10:00:00.000Z' });
    const moved = await post(tasks.url, doc, { id: created.body.data.createTask.id, status: 'DONE' }, 'UpdateTaskStatus');
    expect(moved.body.data.updateTaskStatus.status).toBe('DONE');
  });

  it('refuses a request the verifier rejects, with WWW-Authenticate', async () => {
    const guarded = await startTasksApi({ verify: async (auth) => (auth === 'Bearer good' ? { ok: true } : { ok: false, status: 401, wwwAuthenticate: 'Bearer error="invalid_token"' }) });
    try {
      const denied = await post(guarded.url, '{ projects { id } }');
      expect(denied.status).toBe(401);
      expect(denied.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      const allowed = await post(guarded.url, '{ projects { id } }', undefined, undefined, { authorization: 'Bearer good' });
      expect(allowed.body.data.projects).toHaveLength(3);
    } finally {
      await guarded.close();
    }
  });
});

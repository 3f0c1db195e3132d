import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, GraphQLError, GraphQLScalarType, Kind, type GraphQLSchema } from 'graphql';
import { appRoot } from '../appRoot.ts';
import { createDemoData, type DemoTask } from './demoData.ts';
import { serveGraphql, type GraphqlHttpServer, type VerifyRequest } from './serveGraphql.ts';

/** The demo APIs' SDL files, shipped next to this module so the demo config can point at them. */
export const demoSchemaFiles = {
  tasks: path.join(appRoot, 'electron', 'core', 'demo', 'tasks.graphql'),
  directory: path.join(appRoot, 'electron', 'core', 'demo', 'directory.graphql'),
};

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): string {
  if (typeof value !== 'string' || !isoDateTime.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError(`DateTime must be an ISO-8601 date and time with a time zone, e.g. 2026-11-30T09:00:00Z`);
  }
  return new Date(value).toISOString();
}

function loadSchema(file: string): GraphQLSchema {
  const schema = buildSchema(readFileSync(file, 'utf8'));
  const dateTime = schema.getType('DateTime');
  if (dateTime instanceof GraphQLScalarType) {
    dateTime.serialize = (value) => String(value);
    dateTime.parseValue = parseDateTime;
    dateTime.parseLiteral = (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined);
  }
  return schema;
}

interface TaskQuery { filter?: TaskFilter; and?: TaskQuery[]; or?: TaskQuery[]; not?: TaskQuery }
interface TaskFilter { status?: string[]; priority?: string; assigneeId?: string; due?: { from?: string; to?: string }; text?: string }

function matchesFilter(task: DemoTask, filter: TaskFilter): boolean {
  if (filter.status && !filter.status.includes(task.status)) return false;
  if (filter.priority && task.priority !== filter.priority) return false;
  if (filter.assigneeId && task.assigneeId !== filter.assigneeId) return false;
  if (filter.due?.from && (!task.dueAt || task.dueAt < filter.due.from)) return false;
  if (filter.due?.to && (!task.dueAt || task.dueAt > filter.due.to)) return false;
  if (filter.text && !filter.text.toLowerCase().split(/\s+/).every((word) => task.title.toLowerCase().includes(word))) return false;
  return true;
}

function matchesQuery(task: DemoTask, query: TaskQuery): boolean {
  return (!query.filter || matchesFilter(task, query.filter))
    && (query.and ?? []).every((part) => matchesQuery(task, part))
    && (!query.or || query.or.some((part) => matchesQuery(task, part)))
    && (!query.not || !matchesQuery(task, query.not));
}

const priorityRank = { URGENT: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };
const orderings: Record<string, (a: DemoTask, b: DemoTask) => number> = {
  DUE_AT: (a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999'),
  PRIORITY: (a, b) => priorityRank[a.priority] - priorityRank[b.priority],
  CREATED_AT: (a, b) => b.createdAt.localeCompare(a.createdAt),
};

function createTasksRoot() {
  const data = createDemoData();
  let nextId = data.tasks.length + 1;
  const user = (id: string | null) => data.users.find((candidate) => candidate.id === id) ?? null;
  const project = (id: string) => data.projects.find((candidate) => candidate.id === id);
  const toTask = (task: DemoTask): Record<string, unknown> => ({ ...task, assignee: () => user(task.assigneeId), project: () => toProject(project(task.projectId)!) });
  const toProject = (p: NonNullable<ReturnType<typeof project>>) => ({
    ...p,
    tasks: ({ status, first }: { status?: string; first: number }) => data.tasks.filter((t) => t.projectId === p.id && (!status || t.status === status)).slice(0, Math.max(0, first)).map(toTask),
  });
  return {
    projects: () => [...data.projects].sort((a, b) => a.name.localeCompare(b.name)).map(toProject),
    project: ({ id }: { id: string }) => { const found = project(id); return found ? toProject(found) : null; },
    tasks: ({ where, orderBy, first }: { where?: TaskQuery; orderBy: string; first: number }) =>
      data.tasks.filter((task) => !where || matchesQuery(task, where)).sort(orderings[orderBy]).slice(0, Math.max(0, first)).map(toTask),
    user: ({ by }: { by: { id?: string; email?: string } }) => data.users.find((u) => (by.id !== undefined ? u.id === by.id : u.email === by.email)) ?? null,
    createTask: ({ input }: { input: { projectId: string; title: string; priority: DemoTask['priority']; assigneeId?: string; dueAt?: string; tags: string[] } }) => {
      if (!project(input.projectId)) throw new GraphQLError(`No project with id "${input.projectId}"`);
      if (input.assigneeId && !user(input.assigneeId)) throw new GraphQLError(`No user with id "${input.assigneeId}"`);
      const task: DemoTask = { id: `t${nextId++}`, projectId: input.projectId, title: input.title, status: 'TODO', priority: input.priority, assigneeId: input.assigneeId ?? null, dueAt: input.dueAt ?? null, createdAt: new Date().toISOString(), tags: input.tags };
      data.tasks.push(task);
      return toTask(task);
    },
    updateTaskStatus: ({ id, status }: { id: string; status: DemoTask['status'] }) => {
      const task = data.tasks.find((t) => t.id === id);
      if (!task) return null;
      task.status = status;
      return toTask(task);
    },
    deleteTask: ({ id }: { id: string }) => {
      const index = data.tasks.findIndex((t) => t.id === id);
      if (index >= 0) data.tasks.splice(index, 1);
      return index >= 0;
    },
  };
}

function createDirectoryRoot() {
  const { people } = createDemoData();
  return {
    people: ({ team }: { team?: string }) => people.filter((person) => !team || person.team === team),
    person: ({ id }: { id: string }) => people.find((person) => person.id === id) ?? null,
  };
}

export interface StartDemoApiOptions {
  port?: number;
  /** Checks the bearer token (JWT audience against the IdP's JWKS) before any query runs. */
  verify?: VerifyRequest;
}

/** Starts the demo "tasks" API: projects and tasks with mutations, enums, nested/recursive/@oneOf inputs, DateTime. */
export function startTasksApi(options: StartDemoApiOptions = {}): Promise<GraphqlHttpServer> {
  return serveGraphql({ schema: loadSchema(demoSchemaFiles.tasks), rootValue: createTasksRoot(), ...options });
}

/** Starts the demo "directory" API: a small read-only people directory. */
export function startDirectoryApi(options: StartDemoApiOptions = {}): Promise<GraphqlHttpServer> {
  return serveGraphql({ schema: loadSchema(demoSchemaFiles.directory), rootValue: createDirectoryRoot(), ...options });
}

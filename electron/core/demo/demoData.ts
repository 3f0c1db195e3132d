/** The demo's seed data: small, but enough that every example operation returns something worth reading. */
export interface DemoUser { id: string; name: string; email: string }
export interface DemoProject { id: string; name: string; description: string | null }
export interface DemoTask {
  id: string; projectId: string; title: string; status: 'TODO' | 'IN_PROGRESS' | 'DONE';
  priority: 'LOW' | 'MEDIUM' | 'HIGH' | 'URGENT'; assigneeId: string | null; dueAt: string | null; createdAt: string; tags: string[];
}
export interface DemoPerson { id: string; name: string; team: string; office: string | null }

export function createDemoData(): { users: DemoUser[]; projects: DemoProject[]; tasks: DemoTask[]; people: DemoPerson[] } {
  const users: DemoUser[] = [
    { id: 'u1', name: 'Ada Lovelace', email: 'ada@acme.example' },
    { id: 'u2', name: 'Grace Hopper', email: 'grace@acme.example' },
    { id: 'u3', name: 'Alan Turing', email: 'alan@acme.example' },
  ];
  const projects: DemoProject[] = [
    { id: 'p1', name: 'Checkout redesign', description: 'New checkout flow for the web shop.' },
    { id: 'p2', name: 'Data platform', description: 'Move reporting to the new warehouse.' },
    { id: 'p3', name: 'Office move', description: null },
  ];
  const task = (id: string, projectId: string, title: string, status: DemoTask['status'], priority: DemoTask['priority'], assigneeId: string | null, dueAt: string | null, tags: string[]): DemoTask =>
    ({ id, projectId, title, status, priority, assigneeId, dueAt, createdAt: `2026-11-${String(10 + Number(id.slice(1))).padStart(2, '0')}T09:00:00Z`, tags });
  const tasks: DemoTask[] = [
    task('t1', 'p1', 'Design the payment step', 'DONE', 'HIGH', 'u1', '2026-11-20T17:00:00Z', ['design']),
    task('t2', 'p1', 'Fix rounding in order totals', 'IN_PROGRESS', 'URGENT', 'u2', '2026-12-01T12:00:00Z', ['bug', 'payments']),
    task('t3', 'p1', 'Write checkout end-to-end tests', 'TODO', 'MEDIUM', 'u3', '2026-12-08T17:00:00Z', ['testing']),
    task('t4', 'p2', 'Load order history into the warehouse', 'IN_PROGRESS', 'HIGH', 'u3', '2026-12-05T17:00:00Z', ['etl']),
    task('t5', 'p2', 'Retire the old reporting cron jobs', 'TODO', 'LOW', null, null, ['cleanup']),
    task('t6', 'p3', 'Book movers', 'TODO', 'MEDIUM', 'u1', '2026-12-15T10:00:00Z', []),
  ];
  const people: DemoPerson[] = [
    { id: 'e1', name: 'Ada Lovelace', team: 'payments', office: 'London' },
    { id: 'e2', name: 'Grace Hopper', team: 'payments', office: null },
    { id: 'e3', name: 'Alan Turing', team: 'data', office: 'Manchester' },
  ];
  return { users, projects, tasks, people };
}

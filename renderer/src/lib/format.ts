import type { AuthStatusView, ProblemView } from '../../../electron/ipc/contract.ts';

/** `file:line`, or the API name when the problem has no file. */
export function problemLocation(problem: ProblemView): string {
  if (problem.file) return problem.line ? `${problem.file}:${problem.line}` : problem.file;
  return problem.api ? `API ${problem.api}` : '';
}

/** Short, human status line for the header. */
export function describeAuth(auth: AuthStatusView | undefined): string {
  switch (auth?.state) {
    case undefined:
      return 'Checking sign-in…';
    case 'not-configured':
      return 'Sign-in not configured';
    case 'signed-out':
      return 'Signed out';
    case 'signing-in':
      return 'Signing in… finish in your browser';
    case 'signed-in':
      return `Signed in as ${auth.sub}`;
    case 'keychain-unavailable':
      return `Keychain unavailable: ${auth.reason}`;
    case 'error':
      return `Sign-in problem: ${auth.message}`;
  }
}

/** `12:04` today, else a short date and time; the ISO string when it does not parse. */
export function formatTime(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const sameDay = date.toDateString() === now.toDateString();
  return sameDay
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

const severityRank: Readonly<Record<string, number>> = { error: 0, warning: 1, info: 2 };

/** Most severe first, otherwise in the order the app reported them. */
export function bySeverity<T extends { severity: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (severityRank[a.severity] ?? 3) - (severityRank[b.severity] ?? 3));
}

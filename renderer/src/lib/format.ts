import type { AudienceWarningView, AuthStatusView, ProblemView } from '../../../electron/ipc/contract.ts';

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

/** `240 ms`, `1.4 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** Time left until `iso` as `1:05`; `0:00` once passed. */
export function formatCountdown(iso: string, now: number): string {
  const left = Math.max(0, Math.ceil((new Date(iso).getTime() - now) / 1000));
  return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
}

/** `3 min ago`, for "last activity" and session ages. */
export function formatAgo(iso: string, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (Number.isNaN(seconds)) return iso;
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

/**
 * A name as plain text with control, format (bidi, zero-width) and separator characters shown as `⟨U+202E⟩`, so a
 * client cannot make its name read as something else. The app does this too; the window does not rely on it.
 */
export function showInvisible(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (char) => `⟨U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

/** What a warning or problem looks like in the overview's "most severe" slot. */
export interface Attention {
  severity: 'error' | 'warning' | 'info';
  title: string;
  message: string;
  fix?: string;
}

/** The one thing most worth the user's attention: errors before warnings, audience issues before load problems. */
export function mostSevere(warnings: readonly AudienceWarningView[], problems: readonly ProblemView[]): Attention | undefined {
  const items: Attention[] = [
    ...warnings.map((warning) => ({ severity: warning.severity, title: `API ${warning.api}: ${warning.code}`, message: warning.message, fix: warning.fix })),
    ...problems.map((problem) => ({ severity: problem.severity, title: problemLocation(problem) || 'Config', message: problem.message })),
  ];
  return bySeverity(items)[0];
}

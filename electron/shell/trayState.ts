import type { MenuItemConstructorOptions } from 'electron';
import type { AudienceWarningView, AuthStatusView } from '../ipc/contract.ts';

/** What the tray shows at a glance, most urgent first when several apply. */
export type TrayState = 'pending' | 'paused' | 'signed-out' | 'warning' | 'serving';

/** Everything the tray derives its icon, tooltip and menu from (kept current from the core's events). */
export interface TrayInput {
  endpoint: string;
  auth: AuthStatusView;
  warnings: readonly AudienceWarningView[];
  /** Mutation calls waiting for a decision plus clients waiting for approval. */
  pending: number;
  paused: boolean;
  launchAtLogin: boolean;
}

export interface TrayActions {
  open(): void;
  signIn(): void;
  signOut(): void;
  copyEndpoint(): void;
  setPaused(paused: boolean): void;
  setLaunchAtLogin(enabled: boolean): void;
  quit(): void;
}

/** A decision waiting beats everything: an AI client is blocked on the user. Then what stops tools from working. */
export function deriveTrayState(input: TrayInput): TrayState {
  if (input.pending > 0) return 'pending';
  if (input.paused) return 'paused';
  if (input.auth.state === 'signed-out' || input.auth.state === 'keychain-unavailable' || input.auth.state === 'error') return 'signed-out';
  if (input.warnings.some((warning) => warning.severity !== 'info')) return 'warning';
  return 'serving';
}

/** The icon file (in build/tray/, drawn by build/generateIcon.ts) for each state. */
export function trayIconFile(state: TrayState): string {
  return `${state}.png`;
}

/** One line per fact, as operating systems show tooltips. */
export function describeTray(input: TrayInput): string {
  const state = deriveTrayState(input);
  const lines = ['GraphQL MCP Desktop', describeState(state, input), input.paused ? `Paused: ${input.endpoint}` : `Serving ${input.endpoint}`];
  return [...new Set(lines)].join('\n');
}

function describeState(state: TrayState, input: TrayInput): string {
  switch (state) {
    case 'pending': return `${input.pending} waiting for your decision`;
    case 'paused': return 'Paused: clients are refused until you resume';
    case 'signed-out': return input.auth.state === 'keychain-unavailable' ? 'Keychain unavailable: signed out' : 'Signed out';
    case 'warning': return `${input.warnings.filter((warning) => warning.severity !== 'info').length} audience warning(s)`;
    case 'serving': return input.auth.state === 'signed-in' ? `Signed in as ${input.auth.sub}` : 'Serving';
  }
}

/** The tray menu: Open, Sign in / Sign out, Copy MCP URL, Pause / Resume, Launch at login ✓, Quit. */
export function buildTrayMenu(input: TrayInput, actions: TrayActions): MenuItemConstructorOptions[] {
  const pending = input.pending > 0 ? ` (${input.pending} waiting)` : '';
  return [
    { label: `Open GraphQL MCP Desktop${pending}`, click: actions.open },
    signInItem(input.auth, actions),
    { label: 'Copy MCP URL', click: actions.copyEndpoint },
    { type: 'separator' },
    { label: input.paused ? 'Resume server' : 'Pause server', click: () => actions.setPaused(!input.paused) },
    { label: 'Launch at login', type: 'checkbox', checked: input.launchAtLogin, click: () => actions.setLaunchAtLogin(!input.launchAtLogin) },
    { type: 'separator' },
    { label: 'Quit', click: actions.quit },
  ];
}

function signInItem(auth: AuthStatusView, actions: TrayActions): MenuItemConstructorOptions {
  switch (auth.state) {
    case 'signed-in': return { label: `Sign out ${auth.sub}`, click: actions.signOut };
    case 'signing-in': return { label: 'Signing in…', enabled: false };
    case 'not-configured': return { label: 'Sign in (not configured)', enabled: false };
    default: return { label: 'Sign in…', click: actions.signIn };
  }
}

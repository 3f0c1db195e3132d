import { existsSync } from 'node:fs';
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildTrayMenu, describeTray, deriveTrayState, trayIconFile, type TrayActions, type TrayInput } from '../../../electron/shell/trayState.ts';

const serving: TrayInput = { endpoint: 'http://127.0.0.1:47320/mcp', auth: { state: 'signed-in', sub: 'alice' }, warnings: [], pending: 0, paused: false, launchAtLogin: false };
const mismatch = { api: 'directory', severity: 'error', code: 'AUDIENCE_MISMATCH', message: 'm' } as const;

function recordingActions(): TrayActions & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    open: () => calls.push('open'),
    signIn: () => calls.push('signIn'),
    signOut: () => calls.push('signOut'),
    copyEndpoint: () => calls.push('copy'),
    setPaused: (paused) => calls.push(`paused:${paused}`),
    setLaunchAtLogin: (enabled) => calls.push(`login:${enabled}`),
    quit: () => calls.push('quit'),
  };
}

const labels = (menu: MenuItemConstructorOptions[]) => menu.filter((item) => item.type !== 'separator').map((item) => item.label);
const click = (menu: MenuItemConstructorOptions[], label: RegExp) => {
  const item = menu.find((entry) => entry.label !== undefined && label.test(entry.label));
  (item?.click as (() => void) | undefined)?.();
};

describe('deriveTrayState', () => {
  it.each([
    ['serving when signed in without warnings', serving, 'serving'],
    ['signed-out when the sign-in is gone', { ...serving, auth: { state: 'signed-out' } }, 'signed-out'],
    ['signed-out when the keychain is unavailable', { ...serving, auth: { state: 'keychain-unavailable', reason: 'locked' } }, 'signed-out'],
    ['warning for an audience mismatch', { ...serving, warnings: [mismatch] }, 'warning'],
    ['serving when the only warning is informational', { ...serving, warnings: [{ ...mismatch, severity: 'info' }] }, 'serving'],
    ['paused over a warning', { ...serving, paused: true, warnings: [mismatch] }, 'paused'],
    ['pending over everything else: a client waits for the user', { ...serving, pending: 2, paused: true, auth: { state: 'signed-out' } }, 'pending'],
  ] as const)('is %s', (_name, input, expected) => {
    expect(deriveTrayState(input as TrayInput)).toBe(expected);
  });

  it('has a drawn icon for every state', () => {
    for (const state of ['pending', 'paused', 'signed-out', 'warning', 'serving'] as const) {
      expect(existsSync(path.join('build', 'tray', trayIconFile(state))), state).toBe(true);
    }
  });
});

describe('describeTray', () => {
  it('says who is signed in and where the app serves', () => {
    expect(describeTray(serving)).toBe('GraphQL MCP Desktop\nSigned in as alice\nServing http://127.0.0.1:47320/mcp');
  });

  it('counts what waits for a decision', () => {
    expect(describeTray({ ...serving, pending: 3 })).toContain('3 waiting for your decision');
  });

  it('says the server is paused', () => {
    expect(describeTray({ ...serving, paused: true })).toContain('Paused: http://127.0.0.1:47320/mcp');
  });
});

describe('buildTrayMenu', () => {
  it('offers Open, Sign out, Copy MCP URL, Pause, Launch at login and Quit when serving', () => {
    expect(labels(buildTrayMenu(serving, recordingActions()))).toEqual([
      'Open GraphQL MCP Desktop', 'Sign out alice', 'Copy MCP URL', 'Pause server', 'Launch at login', 'Quit',
    ]);
  });

  it('offers Sign in when signed out and Resume when paused, and shows the pending count on Open', () => {
    const menu = buildTrayMenu({ ...serving, auth: { state: 'signed-out' }, paused: true, pending: 1 }, recordingActions());
    expect(labels(menu)).toEqual(['Open GraphQL MCP Desktop (1 waiting)', 'Sign in…', 'Copy MCP URL', 'Resume server', 'Launch at login', 'Quit']);
  });

  it('disables sign-in while signing in and when no sign-in is configured', () => {
    const signing = buildTrayMenu({ ...serving, auth: { state: 'signing-in' } }, recordingActions());
    const none = buildTrayMenu({ ...serving, auth: { state: 'not-configured' } }, recordingActions());
    expect(signing[1]).toMatchObject({ label: 'Signing in…', enabled: false });
    expect(none[1]).toMatchObject({ enabled: false });
  });

  it('checks Launch at login as it is and toggles it and pause through the actions', () => {
    const actions = recordingActions();
    const menu = buildTrayMenu({ ...serving, launchAtLogin: true }, actions);
    expect(menu.find((item) => item.label === 'Launch at login')).toMatchObject({ type: 'checkbox', checked: true });
    click(menu, /^Launch at login/);
    click(menu, /^Pause server/);
    click(menu, /^Copy MCP URL/);
    click(menu, /^Sign out/);
    click(menu, /^Quit/);
    expect(actions.calls).toEqual(['login:false', 'paused:true', 'copy', 'signOut', 'quit']);
  });
});

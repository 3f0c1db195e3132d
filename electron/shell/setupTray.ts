import { clipboard, Notification } from 'electron';
import type { CoreBridge, MainEvents, PendingCallView, PendingClientView } from '../ipc/contract.ts';
import { createTray, type AppTray } from './createTray.ts';
import type { LaunchAtLogin } from './launchAtLogin.ts';
import { newPendingNotices } from './newPendingNotices.ts';
import type { TrayInput } from './trayState.ts';

export interface SetupTrayOptions {
  bridge: CoreBridge;
  iconDir: string;
  launchAtLogin: LaunchAtLogin;
  openWindow(): void;
  quit(): void;
  setPaused(paused: boolean): void;
  onError(message: string): void;
}

/**
 * The tray, kept current from the core's events (sign-in, warnings, pending approvals, pause), with a native
 * notification for every new decision the user must take.
 */
export async function setupTray(options: SetupTrayOptions): Promise<AppTray> {
  const { bridge } = options;
  const pending = { calls: [] as PendingCallView[], clients: [] as PendingClientView[] };
  const tray = createTray({ iconDir: options.iconDir, input: await readTrayInput(options), actions: trayActions(options, () => tray) });
  const onPending = (calls: PendingCallView[], clients: PendingClientView[]) => {
    for (const notice of newPendingNotices(pending, { calls, clients })) notify(notice, options.openWindow);
    Object.assign(pending, { calls, clients });
    tray.update({ pending: calls.length + clients.length });
  };
  const stop = bridge.subscribe((event, payload) => {
    if (event === 'auth:changed') tray.update({ auth: payload as MainEvents['auth:changed'] });
    if (event === 'warnings:changed') tray.update({ warnings: payload as MainEvents['warnings:changed'] });
    if (event === 'approvals:changed') onPending(payload as PendingCallView[], pending.clients);
    if (event === 'clients:pending-changed') onPending(pending.calls, payload as PendingClientView[]);
  });
  return { update: tray.update, destroy: () => (stop(), tray.destroy()) };
}

async function readTrayInput(options: SetupTrayOptions): Promise<TrayInput> {
  const { bridge } = options;
  const [status, auth, warnings, calls, clients] = await Promise.all([
    bridge['app:status'](), bridge['auth:status'](), bridge['warnings:list'](), bridge['approvals:pending'](), bridge['clients:pending'](),
  ]);
  return {
    endpoint: status.ok ? status.value.endpoint : 'not running',
    paused: status.ok && status.value.paused === true,
    auth: auth.ok ? auth.value : { state: 'signed-out' },
    warnings: warnings.ok ? warnings.value : [],
    pending: (calls.ok ? calls.value.length : 0) + (clients.ok ? clients.value.length : 0),
    launchAtLogin: options.launchAtLogin.isEnabled(),
  };
}

function trayActions(options: SetupTrayOptions, tray: () => AppTray) {
  const report = (result: Promise<{ ok: boolean }>) => void result.then((answer) => { if (!answer.ok) options.onError('the tray action failed'); });
  return {
    open: options.openWindow,
    signIn: () => report(options.bridge['auth:signIn']()),
    signOut: () => report(options.bridge['auth:signOut']()),
    copyEndpoint: () => void options.bridge['app:status']().then((status) => {
      if (status.ok) clipboard.writeText(status.value.endpoint);
    }),
    setPaused: (paused: boolean) => {
      options.setPaused(paused);
      tray().update({ paused });
    },
    setLaunchAtLogin: (enabled: boolean) => void options.launchAtLogin.setEnabled(enabled).then(
      () => tray().update({ launchAtLogin: options.launchAtLogin.isEnabled() }),
      () => options.onError('launch at login could not be changed'),
    ),
    quit: options.quit,
  };
}

function notify(notice: { title: string; body: string }, openWindow: () => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title: notice.title, body: notice.body });
  notification.on('click', openWindow);
  notification.show();
}

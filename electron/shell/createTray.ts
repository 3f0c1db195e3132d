import { Menu, nativeImage, Tray } from 'electron';
import path from 'node:path';
import { buildTrayMenu, describeTray, deriveTrayState, trayIconFile, type TrayActions, type TrayInput } from './trayState.ts';

export interface CreateTrayOptions {
  /** build/tray/, one icon per tray state. */
  iconDir: string;
  input: TrayInput;
  actions: TrayActions;
}

export interface AppTray {
  /** Redraws icon, tooltip and menu from the changed facts. */
  update(change: Partial<TrayInput>): void;
  destroy(): void;
}

/** The tray icon the app lives in: its icon and tooltip say what the app is doing, its menu the main actions. */
export function createTray(options: CreateTrayOptions): AppTray {
  let input = options.input;
  const tray = new Tray(iconFor(options.iconDir, input));
  const render = () => {
    tray.setImage(iconFor(options.iconDir, input));
    tray.setToolTip(describeTray(input));
    tray.setContextMenu(Menu.buildFromTemplate(buildTrayMenu(input, options.actions)));
  };
  render();
  tray.on('click', options.actions.open);
  return {
    update(change) {
      input = { ...input, ...change };
      render();
    },
    destroy: () => tray.destroy(),
  };
}

function iconFor(iconDir: string, input: TrayInput): Electron.NativeImage {
  return nativeImage.createFromPath(path.join(iconDir, trayIconFile(deriveTrayState(input)))).resize({ width: 18, height: 18 });
}

import { clipboard, Menu, nativeImage, Tray } from 'electron';

export interface CreateTrayOptions {
  iconPath: string;
  /** The MCP endpoint, shown in the tooltip and copied from the menu. */
  endpoint: string;
  onOpen(): void;
  onQuit(): void;
}

/** The tray icon the app lives in: open the window, copy the endpoint, quit. */
export function createTray(options: CreateTrayOptions): Tray {
  const icon = nativeImage.createFromPath(options.iconPath).resize({ width: 18, height: 18 });
  const tray = new Tray(icon);
  tray.setToolTip(`GraphQL MCP Desktop — ${options.endpoint}`);
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open GraphQL MCP Desktop', click: options.onOpen },
      { label: 'Copy MCP endpoint', click: () => clipboard.writeText(options.endpoint) },
      { type: 'separator' },
      { label: 'Quit', click: options.onQuit },
    ]),
  );
  tray.on('click', options.onOpen);
  return tray;
}

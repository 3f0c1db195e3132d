import { describe, expect, it } from 'vitest';
import { buildWindowOptions } from '../../../electron/shell/buildWindowOptions.ts';

describe('buildWindowOptions', () => {
  const options = buildWindowOptions({ preloadPath: '/app/dist/electron/preload.cjs' });

  it('isolates and sandboxes the page with no Node anywhere in it', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('keeps web security on, insecure content, experimental features, webviews and drag-and-drop navigation off', () => {
    expect(options.webPreferences).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });

  it('starts hidden (shown when ready, or from the tray) and never narrower than the 520 px layout', () => {
    expect(options).toMatchObject({ show: false, minWidth: 520 });
  });
});

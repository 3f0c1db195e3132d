import { readFileSync } from 'node:fs';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The packaging config cannot be exercised here (no Electron binary), so its security settings are checked as data,
// after electron-builder's own loader and schema validation accepted it.
type Config = Awaited<ReturnType<typeof getConfig>>;
let config: Config;

// Loading electron-builder and validating against its JSON schema took 4 s alone at load 7; past the unit project's 10 s hook
// timeout when the other unit files run beside it on a loaded 2-core machine. A deadline, not a wait.
beforeAll(async () => {
  config = await getConfig(process.cwd(), 'electron-builder.yml', null);
  await validateConfiguration(config, new DebugLogger(false));
}, 60_000);

describe('electron-builder.yml', () => {
  it('flips every hardening fuse: no RunAsNode, NODE_OPTIONS or inspect; encrypted cookies; ASAR-only with integrity', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.asar).toBe(true);
  });

  it('builds dmg + zip, NSIS, AppImage + deb', () => {
    expect(config.mac?.target).toEqual(['dmg', 'zip']);
    expect(config.win?.target).toBe('nsis');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
  });

  it('signs macOS with the hardened runtime and JIT-only entitlements, and notarizes from the environment', () => {
    expect(config.mac).toMatchObject({ hardenedRuntime: true, notarize: true, entitlements: 'build/entitlements.mac.plist', entitlementsInherit: 'build/entitlements.mac.plist' });
    const entitlements = readFileSync('build/entitlements.mac.plist', 'utf8');
    const granted = [...entitlements.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((match) => match[1]);
    expect(granted).toEqual(['com.apple.security.cs.allow-jit']);
  });

  it('signs Windows with SHA-256 and a timestamp, keeping the certificate out of the file', () => {
    expect(config.win?.signtoolOptions).toMatchObject({ signingHashAlgorithms: ['sha256'] });
    expect(config.win?.signtoolOptions?.rfc3161TimeStampServer).toMatch(/^http/);
    const text = readFileSync('electron-builder.yml', 'utf8');
    expect(text).not.toMatch(/certificatePassword|cscKeyPassword|certificateFile|password:/i);
  });

  it('publishes to a GitHub release feed that electron-updater reads', () => {
    expect(config.publish).toMatchObject({ provider: 'github', releaseType: 'release' });
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; scripts: Record<string, string> };
    expect(pkg.dependencies['electron-updater']).toBeDefined();
    expect(pkg.scripts.dist).toContain('electron-builder');
  });

  it('ships the tray icons of every state and unpacks the native keychain module', () => {
    expect((parse(readFileSync('electron-builder.yml', 'utf8')) as { files: string[] }).files).toContain('build/tray/*.png');
    expect(config.asarUnpack).toContain('**/*.node');
  });
});

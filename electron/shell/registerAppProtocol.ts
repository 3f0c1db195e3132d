import { protocol } from 'electron';
import { securityHeaders } from '../core/ui/contentSecurityPolicy.ts';
import { readStaticFile } from '../core/ui/serveStatic.ts';

/** The window's page lives at `app://renderer/`: a secure, standard origin of its own instead of `file://`. */
export const appOrigin = 'app://renderer';

/**
 * Must run before `app` is ready: makes `app:` a standard, secure scheme so the page gets a real origin, fetch and
 * module scripts work, and `'self'` in the CSP means the app only.
 * @see https://www.electronjs.org/docs/latest/tutorial/security#18-avoid-usage-of-the-file-protocol-and-prefer-usage-of-custom-protocols
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer from `rendererDir` on `app://renderer/`, with the same CSP as the headless bridge. */
export function serveAppProtocol(rendererDir: string): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'renderer' && request.method === 'GET' ? await readStaticFile(rendererDir, url.pathname) : undefined;
    if (!file) return new Response('Not found', { status: 404, headers: securityHeaders });
    return new Response(new Uint8Array(file.body), { status: 200, headers: { ...securityHeaders, 'Content-Type': file.contentType } });
  });
}

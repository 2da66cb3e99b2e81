import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { app, protocol, type Session, shell, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../host/server.js';
import { StartupError } from './errors.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'asclepia';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Where the window's page comes from: the built files over app://, or in development the Vite
 * dev server. Only the page from here may call procedures.
 */
export type PageSource = { kind: 'bundle'; rendererDir: string } | { kind: 'dev'; url: URL };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The dev server URL from ASCLEPIA_DEV_URL. A packaged app ignores it: otherwise one environment
 * variable could hand the window, and with it the clinic database, to any web page.
 */
export function devServerUrl(): URL | null {
  const raw = process.env.ASCLEPIA_DEV_URL;
  if (app.isPackaged || !raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new StartupError(`ASCLEPIA_DEV_URL is not a URL: "${raw}".`);
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new StartupError(`ASCLEPIA_DEV_URL must be an http address on this computer (localhost), not "${raw}".`);
  }
  return url;
}

/** Node's URL gives custom schemes the origin "null", so app:// is compared by scheme and host. */
export function isAppUrl(raw: string, source: PageSource): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (source.kind === 'dev') return url.origin === source.url.origin;
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
}

/**
 * Must run before 'ready'. standard + secure give app:// a real origin (so 'self' in the CSP,
 * relative URLs and ES module scripts work) and a secure context; corsEnabled and bypassCSP stay
 * off, so nothing else can read from it and the CSP applies.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

const RESPONSE_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

function refuse(status: number): Response {
  return new Response(null, { status, headers: RESPONSE_HEADERS });
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Resolves a request path inside rendererDir, or null when it would leave it (../, encoded or not, or a NUL). */
export function resolveInside(rendererDir: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${path.sep}${decoded}`);
  return file.startsWith(root + path.sep) ? file : null;
}

/** Serves dist/renderer over app://asclepia/ with the same CSP as the browser host. */
export function serveBundle(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return refuse(404);
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    let file = resolveInside(rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file) return refuse(404);
    if (!(await isFile(file))) {
      // Routes inside the page have no file extension and all load the page itself; a missing asset is a 404, not HTML.
      if (path.extname(file) !== '') return refuse(404);
      file = path.join(rendererDir, 'index.html');
    }
    const headers = { ...RESPONSE_HEADERS, 'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream' };
    return new Response(request.method === 'HEAD' ? null : await readFile(file), { status: 200, headers });
  });
}

/**
 * The Vite dev server sends no CSP, so one is added to its responses. Its React refresh preamble
 * is an inline script, which is the only relaxation; HMR's WebSocket is covered by 'self'.
 */
export function applyDevCsp(target: Session, devUrl: URL): void {
  const relaxed = CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");
  target.webRequest.onHeadersReceived({ urls: [`${devUrl.origin}/*`] }, (details, callback) => {
    const headers = Object.fromEntries(Object.entries(details.responseHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'));
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [relaxed] } });
  });
}

/** The page asks for nothing: no camera, notifications, geolocation, USB, HID, serial or clipboard reads. */
export function denyPermissions(target: Session): void {
  target.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  target.setPermissionCheckHandler(() => false);
  target.setDevicePermissionHandler(() => false);
}

function openInSystemBrowser(raw: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return;
  }
  if (url.protocol === 'https:' || url.protocol === 'http:') void shell.openExternal(url.toString());
}

/**
 * Applied to every webContents as it is created, so no window, webview or popup escapes it: the
 * page never navigates away, opens no window of its own, and attaches no webview. Links meant for
 * a new window (target=_blank) open in the system browser when they are http or https.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openInSystemBrowser(url);
    return { action: 'deny' };
  });
  // Fires only for navigations the page starts; loadURL and reload are not affected.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

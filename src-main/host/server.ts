import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { AppError, type Envelope, type ErrorCode } from '../../src-shared/errors.js';
import type { Core } from '../core/app.js';
import { describeError } from '../core/log.js';

const MAX_BODY_BYTES = 32 * 1024 * 1024;

const STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INTERNAL: 500,
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Mantine writes style tags at run time, hence 'unsafe-inline' for styles only. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export interface HostOptions {
  port: number;
  /** The built renderer (dist/renderer). */
  staticDir: string;
}

export interface RunningHost {
  server: Server;
  url: string;
  close(): Promise<void>;
}

function readCookie(request: IncomingMessage, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

function sendJson(response: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string | string[]> = {}): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', ...extraHeaders });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, error: AppError): void {
  const envelope: Envelope<never> = { ok: false, error: error.toBody() };
  sendJson(response, STATUS[error.code], envelope);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new AppError('VALIDATION', 'The request is larger than Asclepia accepts (32 MB).');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The browser host: the same core over HTTP on 127.0.0.1 only. Requests must name this host
 * (no DNS rebinding) and, for calls, come from its own origin; the session rides in an HttpOnly,
 * SameSite=Strict cookie that page scripts never see.
 */
export function startHost(core: Core, options: HostOptions): Promise<RunningHost> {
  const workstation = hostname();
  const streams = new Set<ServerResponse>();
  let port = options.port;
  const cookieName = () => `asclepia_session_${port}`;
  const ownHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const ownOrigins = () => ownHosts().map((host) => `http://${host}`);

  async function handleCall(request: IncomingMessage, response: ServerResponse, name: string): Promise<void> {
    const origin = request.headers.origin;
    if (!origin || !ownOrigins().includes(origin)) {
      return sendError(response, new AppError('FORBIDDEN', 'Requests must come from Asclepia’s own page.'));
    }
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendError(response, new AppError('VALIDATION', 'Send the request body as JSON.'));
    }
    let input: unknown;
    try {
      const text = await readBody(request);
      input = text.length === 0 ? {} : JSON.parse(text);
    } catch (error) {
      return sendError(response, error instanceof AppError ? error : new AppError('VALIDATION', 'The request body is not valid JSON.'));
    }
    const result = await core.call(name, input, { sessionToken: readCookie(request, cookieName()), workstation });
    const headers: Record<string, string> = {};
    if (result.session?.kind === 'started') {
      headers['Set-Cookie'] = `${cookieName()}=${result.session.token}; HttpOnly; SameSite=Strict; Path=/`;
    } else if (result.session?.kind === 'ended') {
      headers['Set-Cookie'] = `${cookieName()}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
    }
    const status = result.envelope.ok ? 200 : STATUS[result.envelope.error.code];
    sendJson(response, status, result.envelope, headers);
  }

  async function handleEvents(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const me = await core.call('auth.me', {}, { sessionToken: readCookie(request, cookieName()), workstation });
    if (!me.envelope.ok) return sendJson(response, STATUS[me.envelope.error.code], me.envelope);
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
    response.write(': connected\n\n');
    streams.add(response);
    const unsubscribe = core.onTablesChanged((tables) => response.write(`event: tables\ndata: ${JSON.stringify(tables)}\n\n`));
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), 25_000);
    request.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(response);
    });
  }

  function handleStatic(request: IncomingMessage, response: ServerResponse, pathname: string): void {
    const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    let file = join(options.staticDir, relative);
    if (!file.startsWith(options.staticDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      // The renderer routes inside the page: any other path is the app itself.
      file = join(options.staticDir, 'index.html');
    }
    const type = MIME[extname(file)] ?? 'application/octet-stream';
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': type,
      ...(file.includes(`${sep}assets${sep}`) ? { 'Cache-Control': 'public, max-age=31536000, immutable' } : {}),
    });
    if (request.method === 'HEAD') return void response.end();
    // The file can vanish between the check and the read (a rebuild empties the folder).
    createReadStream(file)
      .on('error', () => response.destroy())
      .pipe(response);
  }

  const server = createServer((request, response) => {
    if (!ownHosts().includes(request.headers.host ?? '')) {
      return sendError(response, new AppError('FORBIDDEN', 'This server answers only at its own address.'));
    }
    const { pathname } = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const route = async () => {
      if (pathname === '/api/events' && request.method === 'GET') return handleEvents(request, response);
      if (pathname.startsWith('/api/')) {
        if (request.method !== 'POST') return sendError(response, new AppError('NOT_FOUND', 'Procedures are called with POST.'));
        return handleCall(request, response, pathname.slice('/api/'.length));
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') return sendError(response, new AppError('NOT_FOUND', 'Nothing here.'));
      return handleStatic(request, response, pathname);
    };
    route().catch((error: unknown) => {
      console.error('host request failed', describeError(error));
      if (!response.headersSent) sendError(response, new AppError('INTERNAL', 'The server could not answer this request.'));
      else response.end();
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      port = (server.address() as AddressInfo).port;
      resolve({
        server,
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const stream of streams) stream.end();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemoClinic } from '../cli/demo-data.js';
import { type Core, createCore } from '../core/app.js';
import { REPO_MIGRATIONS_DIR } from '../core/paths.js';
import { CONTENT_SECURITY_POLICY, type RunningHost, startHost } from './server.js';

let core: Core;
let host: RunningHost;
let root: string;
let origin: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'asclepia-host-'));
  const staticDir = join(root, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Asclepia</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'outside the renderer');
  core = await createCore({
    dataDir: join(root, 'data'),
    protection: { kind: 'passphrase', passphrase: 'host-test-passphrase' },
    migrationsDir: REPO_MIGRATIONS_DIR,
  });
  await core.store.create(seedDemoClinic(new Date().toISOString(), 'test'));
  host = await startHost(core, { port: 0, staticDir });
  origin = host.url;
});

afterAll(async () => {
  await host.close();
  core.close();
  rmSync(root, { recursive: true, force: true });
});

function post(name: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${origin}/api/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: origin, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function signIn(username = 'admin'): Promise<string> {
  const response = await post('auth.signIn', { username, password: DEMO_PASSWORD });
  expect(response.status).toBe(200);
  const cookie = response.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0] as string;
}

describe('browser host', () => {
  it('listens on the loopback address only', () => {
    expect((host.server.address() as AddressInfo).address).toBe('127.0.0.1');
  });

  it('sets the session in an HttpOnly, SameSite=Strict cookie and answers the envelope', async () => {
    const response = await post('auth.signIn', { username: 'doctor', password: DEMO_PASSWORD });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const body = await response.json();
    expect(body).toMatchObject({ ok: true, value: { username: 'doctor', role: { name: 'doctor' } } });
    const me = await post('auth.me', {}, { Cookie: cookie.split(';')[0] as string });
    expect(await me.json()).toMatchObject({ ok: true, value: { username: 'doctor' } });
  });

  it('answers UNAUTHENTICATED without a session', async () => {
    const response = await post('auth.me', {});
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses calls with no Origin or a foreign Origin', async () => {
    const cookie = await signIn();
    for (const headers of [{ Origin: 'http://evil.example' }, { Origin: 'http://127.0.0.1:1' }]) {
      const response = await post('auth.me', {}, { ...headers, Cookie: cookie });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    const noOrigin = await fetch(`${origin}/api/auth.me`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: '{}' });
    expect(noOrigin.status).toBe(403);
  });

  it('refuses a request that names another host (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const { port } = new URL(origin);
      const req = httpRequest({ host: '127.0.0.1', port, path: '/', headers: { Host: `attacker.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('answers bad JSON and unknown procedures with typed errors', async () => {
    const badJson = await post('auth.signIn', '{not json');
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const unknown = await post('patients.teleport', {});
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const get = await fetch(`${origin}/api/auth.me`);
    expect(get.status).toBe(404);
  });

  it('ends the session on sign-out and clears the cookie', async () => {
    const cookie = await signIn();
    const out = await post('auth.signOut', {}, { Cookie: cookie });
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    const after = await post('auth.me', {}, { Cookie: cookie });
    expect(await after.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Your session has ended. Please sign in again.' } });
  });

  it('streams table changes to a signed-in page after a commit', async () => {
    const cookie = await signIn();
    const refused = await fetch(`${origin}/api/events`);
    expect(refused.status).toBe(401);

    const controller = new AbortController();
    const stream = await fetch(`${origin}/api/events`, { headers: { Cookie: cookie }, signal: controller.signal });
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const settings = await (await post('settings.get', {}, { Cookie: cookie })).json();
    const { version, ...current } = settings.value;
    await post('settings.update', { ...current, clinicName: 'Streamed Clinic', version }, { Cookie: cookie });
    let received = '';
    while (!received.includes('event: tables')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(received).toMatch(/event: tables\ndata: \[[^\]]*"settings"/);
  });

  it('serves the renderer with a strict content security policy and never a file outside it', async () => {
    const index = await fetch(`${origin}/`);
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    expect(await index.text()).toContain('<title>Asclepia</title>');
    const asset = await fetch(`${origin}/assets/app.js`);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt']) {
      const response = await fetch(`${origin}${path}`);
      expect(await response.text()).not.toContain('outside the renderer');
    }
    const route = await fetch(`${origin}/settings/clinic`);
    expect(await route.text()).toContain('<title>Asclepia</title>');
  });
});

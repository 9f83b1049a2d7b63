/** The browser host over real HTTP on loopback: token, origin and host checks, files, events. */
import { mkdtempSync, promises as fs, writeFileSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserHost, startBrowserHost } from '../../electron/browser-host/server';
import { createLogger } from '../../electron/services/log';
import { createStudio } from '../../electron/studio/compose';

let host: BrowserHost;
let staticDir: string;

/** Raw request, so that Host and Origin headers can be set as an attacker would. */
function request(
  pathname: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, path: pathname, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const call = (name: string, input: unknown, headers: Record<string, string> = {}) =>
  request(`/api/call/${name}`, { method: 'POST', headers: { 'x-studio-token': host.token, ...headers }, body: JSON.stringify(input) });

beforeAll(async () => {
  staticDir = mkdtempSync(path.join(os.tmpdir(), 'static-'));
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'host-data-'));
  writeFileSync(path.join(os.tmpdir(), 'outside-secret.txt'), 'secret');
  const log = createLogger('test', () => undefined);
  host = await startBrowserHost({
    staticDir,
    log,
    createStudio: (emit) => createStudio({ host: 'browser', dataDir, version: '0.0.0', emit, log }),
  });
});

afterAll(async () => {
  await host.close();
});

describe('browser host', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('needs the token for pages and calls', async () => {
    expect((await request('/')).status).toBe(401);
    expect((await request('/?token=wrong')).status).toBe(401);
    const page = await request(`/?token=${host.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await request('/', { headers: { cookie: `studio_token=${host.token}` } })).status).toBe(200);
    const noToken = await request('/api/call/drafts/list', { method: 'POST', body: '{}' });
    expect(noToken.status).toBe(401);
    // The cookie alone does not authorise API calls: they need the header a page script sets.
    const cookieOnly = await request('/api/call/drafts/list', { method: 'POST', body: '{}', headers: { cookie: `studio_token=${host.token}` } });
    expect(cookieOnly.status).toBe(401);
    expect(JSON.parse((await call('drafts/list', {})).body)).toEqual({ ok: true, value: { drafts: [], problems: [] } });
  });

  it('refuses other origins, other host names and cross-site fetches', async () => {
    expect((await call('drafts/list', {}, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await call('drafts/list', {}, { host: 'evil.example' })).status).toBe(403);
    expect((await call('drafts/list', {}, { host: `localhost:${host.port}` })).status).toBe(403);
    expect((await call('drafts/list', {}, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await call('drafts/list', {}, { origin: host.origin, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('serves no file outside its folders', async () => {
    const auth = { cookie: `studio_token=${host.token}` };
    for (const attempt of [
      '/../outside-secret.txt',
      '/%2e%2e/outside-secret.txt',
      '/media/..%2F..%2Foutside-secret.txt/x',
      '/media/d_0123456789abcdef/..%2Fdraft.json',
    ]) {
      const response = await request(attempt, { headers: auth });
      expect(response.status, attempt).toBe(404);
      expect(response.body).not.toContain('secret');
    }
  });

  it('serves draft media with byte ranges', async () => {
    const draft = JSON.parse((await call('drafts/create', {})).body).value;
    const file = host.studio.mediaFile(draft.id, 'voice-1.wav');
    mkdirSync(path.dirname(file), { recursive: true });
    await fs.writeFile(file, Buffer.from('0123456789'));
    const auth = { cookie: `studio_token=${host.token}` };
    const whole = await request(`/media/${draft.id}/voice-1.wav`, { headers: auth });
    expect(whole).toMatchObject({ status: 200, body: '0123456789' });
    expect(whole.headers['content-type']).toBe('audio/wav');
    const part = await request(`/media/${draft.id}/voice-1.wav`, { headers: { ...auth, range: 'bytes=2-5' } });
    expect(part).toMatchObject({ status: 206, body: '2345' });
    expect(part.headers['content-range']).toBe('bytes 2-5/10');
    expect((await request(`/media/${draft.id}/voice-1.wav`, { headers: { ...auth, range: 'bytes=50-' } })).status).toBe(416);
    expect((await request(`/media/${draft.id}/voice-1.wav`)).status).toBe(401);
  });

  it('streams contract events to a subscriber', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: host.port, path: '/api/events', headers: { 'x-studio-token': host.token } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('drafts/changed')) {
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on('error', (error) => (error.message.includes('aborted') ? undefined : reject(error)));
      req.end();
      setTimeout(() => void call('drafts/create', {}), 100);
    });
    expect(received).toMatch(/event: studio\ndata: \{"name":"drafts\/changed","payload":\{"ids":\["d_[a-f0-9]+"\]\}\}/);
  });
});

/**
 * Vitest global setup: one radosgw per test run, started only when a test first asks for it. The
 * setup runs a tiny loopback coordinator; `useRadosGw()` asks it for the server (starting it on the
 * first request), so a run of unrelated tests pays nothing and a run of many S3 tests pays ~12 s once.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { type RadosGw, startRadosGw } from './radosgw';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:PORT` of the coordinator; absent when the setup did not run. */
    radosgwCoordinator: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let starting: Promise<RadosGw> | null = null;
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/ensure') {
      res.writeHead(404).end();
      return;
    }
    starting ??= startRadosGw();
    starting.then(
      (gw) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ endpoint: gw.endpoint, region: gw.region, accessKeyId: gw.accessKeyId, secretAccessKey: gw.secretAccessKey }));
      },
      (error: unknown) => {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(error instanceof Error ? error.message : String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  project.provide('radosgwCoordinator', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return async () => {
    server.close();
    if (starting) await (await starting.catch(() => null))?.stop();
  };
}

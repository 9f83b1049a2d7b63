/**
 * A real S3 server on loopback for tests and benchmarks: Debian's radosgw over a one-monitor,
 * one-memstore-OSD Ceph cluster with auth off (pool size 1, beast frontend on 127.0.0.1:PORT). It
 * verifies SigV4 signatures, expiry and signed headers, which is why it is used instead of an S3 mock.
 * Starting one takes ~12 s, so a test run shares one through `useRadosGw()` (see radosgw-global-setup.ts).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { missingPrerequisite } from './prerequisites';

const run = promisify(execFile);

export const radosgwCommands = ['monmaptool', 'ceph-mon', 'ceph-osd', 'radosgw', 'radosgw-admin', 'ceph'];

/** Null when radosgw can be started; else the reason to skip (with CI=true a thrown failure instead). */
export function radosgwMissing(purpose: string): string | null {
  return missingPrerequisite(radosgwCommands, purpose);
}

export type RadosGwInfo = {
  /** `http://127.0.0.1:PORT`: path-style S3 endpoint. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
};

export type RadosGw = RadosGwInfo & {
  dir: string;
  /** The daemons' logs, for a failing test's message. */
  logs(): string;
  stop(): Promise<void>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>, logs: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value !== null) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`radosgw harness: ${what} did not happen within ${timeoutMs / 1000} s (${String(last)})\n${logs()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function config(dir: string, fsid: string, monPort: number, rgwPort: number): string {
  // `$name` is expanded by Ceph itself (mon.a, osd.0, client.rgw).
  return `[global]
fsid = ${fsid}
mon_host = v1:127.0.0.1:${monPort}
public_network = 127.0.0.0/8
ms_bind_ipv6 = false
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
auth_allow_insecure_global_id_reclaim = true
osd_pool_default_size = 1
osd_pool_default_min_size = 1
mon_allow_pool_size_one = true
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
mon_max_pg_per_osd = 1000
osd_crush_chooseleaf_type = 0
# The OSD's own start-up crush commands race its first monmap under load ("wrong fsid", then it never
# comes up): the harness places it in the crush map itself instead.
osd_crush_update_on_start = false
osd_class_update_on_start = false
osd_objectstore = memstore
memstore_device_bytes = 8589934592
mon_data_avail_warn = 2
mon_data_avail_crit = 1
run_dir = ${dir}/run
admin_socket = ${dir}/run/$name.asok
pid_file = ${dir}/run/$name.pid
log_file = ${dir}/log/$name.log
mon_data = ${dir}/mon/$name
osd_data = ${dir}/osd/$name
[client.rgw]
rgw_frontends = beast endpoint=127.0.0.1:${rgwPort}
rgw_data = ${dir}/rgw
rgw_dns_name = 127.0.0.1
`;
}

/** Starts a fresh cluster in a temp folder; `stop()` kills it and removes the folder (memstore: nothing to keep). */
export async function startRadosGw(options: { timeoutMs?: number } = {}): Promise<RadosGw> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'twin-studio-radosgw-'));
  for (const sub of ['run', 'log', 'mon', 'osd/osd.0', 'rgw']) mkdirSync(path.join(dir, sub), { recursive: true });
  const fsid = randomUUID();
  const [monPort, rgwPort] = [await freePort(), await freePort()];
  const conf = path.join(dir, 'ceph.conf');
  writeFileSync(conf, config(dir, fsid, monPort, rgwPort));
  const children: ChildProcess[] = [];
  // A test process that dies (even by SIGKILL) must not leave daemons behind on a shared machine: the
  // watchdog holds our end of a pipe and kills the daemons and removes the folder when it closes.
  const watchdog = spawn('sh', ['-c', 'cat >/dev/null; kill -9 $(cat "$1"/run/daemons) 2>/dev/null; rm -rf "$1"', 'watchdog', dir], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  watchdog.unref();
  const killAll = () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    watchdog.stdin?.end();
  };
  process.once('exit', killAll);

  const logs = () => {
    const read = (name: string) => {
      try {
        return readFileSync(path.join(dir, 'log', name), 'utf8')
          .split('\n')
          .slice(-15)
          .join('\n');
      } catch {
        return '';
      }
    };
    return ['mon.a.out', 'osd.0.out', 'client.rgw.out'].map((name) => `--- ${name}\n${read(name)}`).join('\n');
  };
  const daemon = (name: string, command: string, args: string[]) => {
    const out = openSync(path.join(dir, 'log', `${name}.out`), 'a');
    const child = spawn(command, ['-c', conf, ...args, '-f'], { stdio: ['ignore', out, out] });
    children.push(child);
    writeFileSync(path.join(dir, 'run', 'daemons'), children.map((each) => each.pid).join(' '));
    return child;
  };
  const ceph = async (...args: string[]) =>
    (await run('ceph', ['-c', conf, '--connect-timeout', '5', ...args], { timeout: 15_000, killSignal: 'SIGKILL' })).stdout;

  try {
    await run('monmaptool', ['--create', '--add', 'a', `v1:127.0.0.1:${monPort}`, '--fsid', fsid, path.join(dir, 'monmap')]);
    await run('ceph-mon', ['-c', conf, '--mkfs', '-i', 'a', '--monmap', path.join(dir, 'monmap')]);
    daemon('mon.a', 'ceph-mon', ['-i', 'a']);
    await waitFor('the monitor answering', timeoutMs, async () => ((await ceph('osd', 'create')).trim() === '0' ? true : null), logs);
    await run('ceph-osd', ['-c', conf, '-i', '0', '--mkfs']);
    await ceph('osd', 'crush', 'add', 'osd.0', '1.0', 'root=default');
    daemon('osd.0', 'ceph-osd', ['-i', '0']);
    await waitFor('the OSD coming up', timeoutMs, async () => (/1 up/.test(await ceph('osd', 'stat')) ? true : null), logs);
    daemon('client.rgw', 'radosgw', ['-n', 'client.rgw']);
    const endpoint = `http://127.0.0.1:${rgwPort}`;
    await waitFor('radosgw answering HTTP', timeoutMs, async () => ((await fetch(endpoint)).ok ? true : null), logs);
    const accessKeyId = `AK${randomBytes(9).toString('hex').toUpperCase()}`;
    const secretAccessKey = randomBytes(24).toString('base64url');
    await run(
      'radosgw-admin',
      ['-c', conf, 'user', 'create', '--uid=studio', '--display-name=Twin Studio tests', `--access-key=${accessKeyId}`, `--secret=${secretAccessKey}`],
      {
        timeout: timeoutMs,
      },
    );
    return {
      endpoint,
      region: 'us-east-1',
      accessKeyId,
      secretAccessKey,
      dir,
      logs,
      stop: async () => {
        const exits = children.map((child) =>
          child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve())),
        );
        killAll();
        await Promise.all(exits);
        process.removeListener('exit', killAll);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    killAll();
    process.removeListener('exit', killAll);
    const message = error instanceof Error ? error.message : String(error);
    const detail = message.includes('--- mon.a.out') ? '' : `\n${logs()}`;
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`radosgw could not be started: ${message}${detail}`, { cause: error });
  }
}

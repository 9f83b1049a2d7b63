/** Starts the browser host as its own process (as a user would) on a free port with a temp data folder. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mainV8Flags } from '../../scripts/main-process-flags.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export type RunningHost = {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the host wrote to stderr so far (its log). */
  log(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
};

export type HostOptions = {
  dataDir?: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Wraps the command, e.g. to run it inside a private D-Bus session: (cmd) => ['dbus-run-session', '--', ...cmd]. */
  wrap?: (command: string[]) => string[];
};

export async function startStudioHost(options: HostOptions = {}): Promise<RunningHost> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'twin-studio-data-'));
  // STUDIO_STATIC_DIR: a renderer built elsewhere, for runs beside others that rebuild dist/renderer.
  const staticDir = process.env.STUDIO_STATIC_DIR ? ['--static-dir', process.env.STUDIO_STATIC_DIR] : [];
  const command = [
    process.execPath,
    ...mainV8Flags,
    '--import',
    'tsx',
    'electron/browser-host/cli.ts',
    '--data-dir',
    dataDir,
    ...staticDir,
    ...(options.args ?? []),
  ];
  const [file, ...args] = options.wrap ? options.wrap(command) : command;
  const child = spawn(file!, args, { cwd: repoRoot, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`browser host did not start in 30 s:\n${stderr}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Twin Studio: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser host exited with ${code}:\n${stderr}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token')!,
    dataDir,
    process: child,
    log: () => stderr,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(signal);
      await exited;
    },
  };
}

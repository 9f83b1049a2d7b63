/**
 * A real gnome-keyring in a private D-Bus session, for tests of the OS keychain: never the
 * developer's own keyring, and `secret-tool` to see what really landed in it. The session lives as
 * long as the helper's stdin is open, so a test process that dies takes its keyring with it.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { missingPrerequisite } from './prerequisites';
import { repoRoot } from './studio-host';

const run = promisify(execFile);

export const keyringCommands = ['dbus-run-session', 'gnome-keyring-daemon', 'secret-tool'];

/** Null when the keyring can be started; else the reason to skip (and with CI=true, a thrown failure). */
export function keyringMissing(purpose: string): string | null {
  return missingPrerequisite(keyringCommands, purpose);
}

export type PrivateKeyring = {
  /** `DBUS_SESSION_BUS_ADDRESS` of the private session. */
  address: string;
  /** What a child process needs to use this keyring. */
  env: NodeJS.ProcessEnv;
  /** `secret-tool ARGS` against this keyring; stdout. */
  secretTool(...args: string[]): Promise<string>;
  stop(): Promise<void>;
};

export type KeyringOptions = {
  /** `false`: a bus without any Secret Service at all (no gnome-keyring, nothing activatable). */
  secretService?: boolean;
  /**
   * A keyring that exists but is locked, as after an automatic login: a first session creates the
   * login keyring holding this secret, a second starts the daemon without the password.
   */
  locked?: { service: string; account: string; secret: string };
};

/** A session bus with no service files: asking for org.freedesktop.secrets finds nothing to start. */
function bareBusConfig(dir: string): string {
  const file = path.join(dir, 'bare-session.conf');
  writeFileSync(
    file,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=${dir}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>
`,
  );
  return file;
}

export async function startPrivateKeyring(options: KeyringOptions = {}): Promise<PrivateKeyring> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'twin-studio-keyring-'));
  const homeEnv = { ...process.env, HOME: home, XDG_RUNTIME_DIR: home, XDG_DATA_HOME: path.join(home, '.local', 'share') };
  const withService = options.secretService ?? true;
  if (options.locked) {
    const { service, account, secret } = options.locked;
    await run(
      'dbus-run-session',
      [
        '--',
        'sh',
        '-c',
        'printf %s test-login-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null; printf %s "$SEED_SECRET" | secret-tool store --label=seed service "$SEED_SERVICE" username "$SEED_ACCOUNT"',
      ],
      { env: { ...homeEnv, SEED_SECRET: secret, SEED_SERVICE: service, SEED_ACCOUNT: account }, timeout: 20_000 },
    );
  }
  const daemon = options.locked
    ? 'gnome-keyring-daemon --start --components=secrets >/dev/null'
    : 'printf %s test-login-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null';
  const script = withService ? `${daemon}; echo "$DBUS_SESSION_BUS_ADDRESS"; exec cat >/dev/null` : 'echo "$DBUS_SESSION_BUS_ADDRESS"; exec cat >/dev/null';
  const args = withService ? ['--', 'sh', '-c', script] : [`--config-file=${bareBusConfig(home)}`, '--', 'sh', '-c', script];
  const child: ChildProcess = spawn('dbus-run-session', args, { env: homeEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const address = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`the private keyring did not start in 20 s:\n${stderr}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((item) => item.startsWith('unix:'));
      if (line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dbus-run-session exited with ${code}:\n${stderr}`));
    });
  });
  const env = { DBUS_SESSION_BUS_ADDRESS: address };
  return {
    address,
    env,
    secretTool: async (...toolArgs) => (await run('secret-tool', toolArgs, { env: { ...process.env, ...env } })).stdout,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.stdin!.end();
        await exited;
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * Runs the studio's secret store in a fresh Node process with `env` (the keyring library keeps its
 * first D-Bus connection for the life of a process, so each keychain situation needs its own).
 * `steps` is a list of operations; the answer is one JSON result per step.
 */
export type StoreStep =
  { op: 'availability' } | { op: 'get'; account: string } | { op: 'set'; account: string; secret: string } | { op: 'remove'; account: string };
export type StoreResult = { ok: true; value: unknown } | { ok: false; name: string; code: string; problem: string; message: string };

export async function runSecretStoreInChild(service: string, steps: StoreStep[], env: NodeJS.ProcessEnv): Promise<{ results: StoreResult[]; log: string }> {
  const code = `
    const { createOsSecretStore } = await import(${JSON.stringify(path.join(repoRoot, 'electron/services/keychain/secret-store.ts'))});
    const { createLogger } = await import(${JSON.stringify(path.join(repoRoot, 'electron/services/log.ts'))});
    const store = createOsSecretStore({ service: ${JSON.stringify(service)}, log: createLogger('keychain-test') });
    const steps = JSON.parse(process.env.STORE_STEPS);
    const results = [];
    for (const step of steps) {
      try {
        const value = step.op === 'availability' ? await store.availability()
          : step.op === 'get' ? await store.get(step.account)
          : step.op === 'set' ? await store.set(step.account, step.secret)
          : await store.remove(step.account);
        results.push({ ok: true, value: value ?? null });
      } catch (error) {
        results.push({ ok: false, name: error.name, code: error.code, problem: error.problem, message: error.message });
      }
    }
    process.stdout.write(JSON.stringify(results));
  `;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, STORE_STEPS: JSON.stringify(steps) };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: repoRoot,
    env: childEnv,
    timeout: 60_000,
  });
  return { results: JSON.parse(stdout) as StoreResult[], log: stderr };
}

/**
 * Sandbox mode: the whole flow on this computer, with no account and no network. The Napster emulator
 * runs in-process with a key generated for this launch, beside a loopback presign endpoint and public
 * media host; drafts, settings and twins live in `<data>/sandbox/`, apart from real ones, and secrets
 * stay in memory, never in the OS keychain. Chosen with `--sandbox` or, for the next launch, in Settings.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { startEmulator } from '../../../emulator/server';
import type { SandboxStatus } from '../../../shared/contract/sandbox';
import { writeFileAtomic } from '../files/atomic-write';
import { apiKeyAccount } from '../keychain/api-key';
import { type SecretStore, createMemorySecretStore } from '../keychain/secret-store';
import { type Logger, registerSecret } from '../log';
import type { SandboxStorage } from '../storage/storage-service';
import { startMediaHost } from './media-host';
import { dataFile, dataFolder } from '../files/data-folders';

const modeFileSchema = z.object({ nextLaunch: z.enum(['sandbox', 'service']).default('service') });
const modeFile = (dataDir: string) => dataFile(dataDir, 'studioMode');

/** The mode the Settings switch chose for launches without `--sandbox`. */
export async function readNextLaunch(dataDir: string): Promise<'sandbox' | 'service'> {
  try {
    return modeFileSchema.parse(JSON.parse(await fs.readFile(modeFile(dataDir), 'utf8'))).nextLaunch;
  } catch {
    return 'service';
  }
}

export async function writeNextLaunch(dataDir: string, mode: 'sandbox' | 'service'): Promise<void> {
  await fs.mkdir(dataDir, { recursive: true });
  await writeFileAtomic(modeFile(dataDir), `${JSON.stringify({ nextLaunch: mode }, null, 2)}\n`);
}

export type Sandbox = {
  /** Where this sandbox keeps drafts, settings, twins and uploaded media. */
  dataDir: string;
  apiBaseUrl: string;
  secretStore: SecretStore;
  storage: SandboxStorage;
  mediaHostUrl: string;
  close(): Promise<void>;
};

export type SandboxOptions = {
  /** The studio's own data folder; the sandbox lives in its `sandbox/` subfolder. */
  baseDataDir: string;
  log: Logger;
  /** How long a new twin stays `pending` (default 20 s, so a newcomer sees it move). */
  generationSeconds?: number;
  /** Whether v2 avatars are enabled for the sandbox's organisation (default: on; `TWIN_STUDIO_SANDBOX_V2=off` turns it off, to try the v1 way on). */
  v2?: boolean;
};

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const dataDir = dataFolder(options.baseDataDir, 'sandbox');
  await fs.mkdir(dataDir, { recursive: true });
  const log = options.log;
  const apiKey = `sbx_${randomBytes(24).toString('base64url')}`;
  registerSecret(apiKey);
  const envSeconds = Number(process.env.TWIN_STUDIO_SANDBOX_GENERATION_SECONDS);
  const generationSeconds = options.generationSeconds ?? (Number.isFinite(envSeconds) && envSeconds >= 0 ? envSeconds : 20);
  const emulatorLog = log.child('emulator');
  const emulator = await startEmulator({
    apiKey,
    allowHttpMedia: true,
    generationSeconds,
    // The emulator fetches the media again when generation ends and counts the next states from the
    // creation time: steps of at least 15 s keep readyToUse visible however slow that fetch is.
    stepSeconds: Math.max(generationSeconds, 15),
    v2: options.v2 ?? process.env.TWIN_STUDIO_SANDBOX_V2 !== 'off',
    rateLimit: null,
    dataDir,
    log: (line) => emulatorLog.debug(line),
  });
  let host;
  try {
    host = await startMediaHost({ dir: dataFolder(dataDir, 'hostedMedia'), log: log.child('media-host') });
  } catch (error) {
    await emulator.close();
    throw error;
  }
  registerSecret(host.token);
  const secretStore = createMemorySecretStore();
  await secretStore.set(apiKeyAccount, apiKey);
  log.info('sandbox running', { emulator: emulator.url, mediaHost: host.url, dataDir });
  return {
    dataDir,
    apiBaseUrl: emulator.url,
    secretStore,
    storage: { target: { kind: 'presign', url: host.presignUrl }, token: host.token },
    mediaHostUrl: host.url,
    close: async () => {
      await host.close();
      await emulator.close();
    },
  };
}

export function sandboxStatus(sandbox: Sandbox | null, nextLaunch: 'sandbox' | 'service'): SandboxStatus {
  return {
    active: sandbox !== null,
    nextLaunch,
    emulatorUrl: sandbox?.apiBaseUrl ?? null,
    mediaHostUrl: sandbox?.mediaHostUrl ?? null,
  };
}

/** The sandbox for this launch: when `requested` (the `--sandbox` flag), or when Settings chose it. */
export async function launchSandbox(options: { dataDir: string; requested?: boolean; log: Logger }): Promise<Sandbox | null> {
  const wanted = options.requested ?? (await readNextLaunch(options.dataDir)) === 'sandbox';
  return wanted ? startSandbox({ baseDataDir: options.dataDir, log: options.log }) : null;
}

/**
 * The storage settings and what they build: the target (kept in `storage.json`, its secret in the OS
 * keychain), the uploader, the anonymous public-URL check, and the round trip that tests a target
 * from the Settings screen. In the sandbox the target is the sandbox's own loopback host.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  type PresignTarget,
  type StorageStatus,
  type StorageTarget,
  type StorageTest,
  type StorageTestStep,
  storageTargetSchema,
  storageTestSchema,
} from '../../../shared/contract/storage';
import { checkCredentialUrl } from '../../../shared/credential-url';
import { StudioError, describeIssues } from '../../../shared/errors';
import { writeFileAtomic } from '../files/atomic-write';
import { KeychainError, type SecretStore } from '../keychain/secret-store';
import { type Logger, registerSecret } from '../log';
import { sha256Text } from '../files/hash';
import { checkPublicUrl, publicUrlProblem } from './public-check';
import { PresignEndpointTarget, S3UploadTarget, type S3TargetOptions, type UploadTarget } from './targets';
import { Uploader, type UploaderOptions } from './uploader';
import { dataFile, dataFolder } from '../files/data-folders';

export const storageSecretAccounts = { s3: 'storage-s3-secret-key', presign: 'storage-presign-token' } as const;

const configFileSchema = z.object({
  target: storageTargetSchema.nullable().default(null),
  lastTest: storageTestSchema.nullable().default(null),
});
type ConfigFile = z.infer<typeof configFileSchema>;
/** The file as read, and why its target was set aside when it was (see StorageStatus.savedProblem). */
type ReadConfig = ConfigFile & { problem: string | null };

export type SandboxStorage = { target: PresignTarget; token: string };

export type StorageServiceOptions = {
  dataDir: string;
  secrets: SecretStore;
  log: Logger;
  /** Accept http: on loopback for the public URL and presign endpoint (sandbox and tests only). */
  allowHttpLoopback?: boolean;
  /** Set in sandbox mode: this target is used and cannot be changed. */
  sandbox?: SandboxStorage | null;
  onChange?: (status: StorageStatus) => void;
  uploader?: Partial<UploaderOptions>;
  s3?: S3TargetOptions;
  now?: () => Date;
};

function ending(secret: string | null): string | null {
  return secret && secret.length >= 16 ? secret.slice(-4) : null;
}

export class StorageService {
  readonly uploader: Uploader;
  private readonly file: string;
  private readonly allowHttpLoopback: boolean;
  private readonly now: () => Date;

  constructor(private readonly options: StorageServiceOptions) {
    this.file = dataFile(options.dataDir, 'storage');
    this.allowHttpLoopback = options.allowHttpLoopback ?? Boolean(options.sandbox);
    this.now = options.now ?? (() => new Date());
    this.uploader = new Uploader({ log: options.log.child('upload'), ...options.uploader });
    if (options.sandbox) registerSecret(options.sandbox.token);
  }

  get allowsHttpLoopback(): boolean {
    return this.allowHttpLoopback;
  }

  async status(): Promise<StorageStatus> {
    const config = await this.read();
    if (this.options.sandbox) {
      return {
        target: this.options.sandbox.target,
        secret: { configured: true, endsWith: ending(this.options.sandbox.token) },
        keychain: { available: true, message: null },
        sandbox: true,
        lastTest: config.lastTest,
        savedProblem: null,
      };
    }
    const keychain = { available: true, message: null as string | null };
    let secret: string | null = null;
    if (config.target) {
      try {
        secret = await this.options.secrets.get(storageSecretAccounts[config.target.kind]);
      } catch (error) {
        if (!(error instanceof KeychainError)) throw error;
        keychain.available = false;
        keychain.message = error.message;
      }
    }
    return {
      target: config.target,
      secret: { configured: secret !== null, endsWith: ending(secret) },
      keychain,
      sandbox: false,
      lastTest: config.lastTest,
      savedProblem: config.problem,
    };
  }

  async save(target: StorageTarget, secret: string | undefined): Promise<StorageStatus> {
    this.refuseInSandbox();
    const fields: Record<string, string> = {};
    if (target.kind === 's3') {
      // The schema refused a plain-http endpoint already when it came through the StudioApi; this is
      // for callers in this process, which hand a target over without it.
      const endpoint = target.endpoint === null ? null : checkCredentialUrl(target.endpoint, 'storage');
      if (endpoint && !endpoint.ok) fields['target.endpoint'] = endpoint.reason;
      const problem = publicUrlProblem(target.publicBaseUrl, this.allowHttpLoopback, 'The public base URL');
      if (problem) fields['target.publicBaseUrl'] = problem;
      if (/[?#]/.test(target.publicBaseUrl))
        fields['target.publicBaseUrl'] = 'The public base URL cannot carry a query: a signed or expiring address fails during generation.';
    } else {
      const endpoint = checkCredentialUrl(target.url, 'presign');
      if (!endpoint.ok) fields['target.url'] = endpoint.reason;
    }
    const account = storageSecretAccounts[target.kind];
    if (target.kind === 's3' && secret === undefined && !(await this.options.secrets.get(account))) {
      fields.secret = 'Enter the secret access key: it is kept in the system keychain.';
    }
    const [first] = Object.values(fields);
    if (first) throw new StudioError('BAD_REQUEST', first, { fields });

    if (secret !== undefined) {
      registerSecret(secret);
      await this.options.secrets.set(account, secret);
    }
    // The other kind's secret would only linger: one target at a time.
    const other = target.kind === 's3' ? storageSecretAccounts.presign : storageSecretAccounts.s3;
    await this.options.secrets.remove(other).catch(() => false);
    await this.write({ target, lastTest: null });
    this.options.log.info('storage target saved', { kind: target.kind });
    return this.changed();
  }

  async remove(): Promise<StorageStatus> {
    this.refuseInSandbox();
    for (const account of Object.values(storageSecretAccounts)) await this.options.secrets.remove(account).catch(() => false);
    await this.write({ target: null, lastTest: null });
    return this.changed();
  }

  /** The target uploads go to; a clear message when none is set up. */
  async target(): Promise<UploadTarget> {
    if (this.options.sandbox) {
      return new PresignEndpointTarget(this.options.sandbox.target, this.options.sandbox.token, { allowHttpLoopback: true });
    }
    const { target, problem } = await this.read();
    if (problem) throw new StudioError('NOT_AVAILABLE', `The saved storage settings cannot be used. ${problem} Enter them again under Settings → Storage.`);
    if (!target) throw new StudioError('NOT_AVAILABLE', 'No storage is set up. Choose where media is uploaded under Settings → Storage, and test it there.');
    const secret = await this.options.secrets.get(storageSecretAccounts[target.kind]);
    registerSecret(secret);
    if (target.kind === 's3') {
      if (!secret)
        throw new StudioError('NOT_AVAILABLE', 'The bucket’s secret access key is missing from the keychain. Enter it again under Settings → Storage.');
      return new S3UploadTarget(target, secret, this.options.s3);
    }
    return new PresignEndpointTarget(target, secret, { allowHttpLoopback: this.allowHttpLoopback });
  }

  /** The anonymous check every uploaded file passes before its URL is handed to the service. */
  checkPublic(url: string, expectedBytes: number, expectedType: string, signal?: AbortSignal) {
    return checkPublicUrl(url, { expectedBytes, expectedType, allowHttpLoopback: this.allowHttpLoopback, signal });
  }

  /** Sign, upload a small file, read it back anonymously, remove it: each step reported. */
  async test(): Promise<StorageTest> {
    const steps: StorageTestStep[] = [];
    let publicUrl: string | null = null;
    const finish = async (message: string): Promise<StorageTest> => {
      const result: StorageTest = { ok: steps.every((step) => step.ok), testedAt: this.now().toISOString(), message, steps, publicUrl };
      const config = await this.read();
      // A file whose target was set aside is left as it is, so the reason stays on the screen.
      if (!config.problem) await this.write({ ...config, lastTest: result });
      this.options.onChange?.(await this.status());
      return result;
    };
    const failed = (id: StorageTestStep['id'], label: string, error: unknown): string => {
      const message = error instanceof StudioError ? error.message : `Unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
      steps.push({ id, label, ok: false, message });
      return message;
    };

    let target: UploadTarget;
    const content = `Twin Studio storage check ${this.now().toISOString()} ${randomBytes(8).toString('hex')}\n`;
    const scratch = dataFolder(this.options.dataDir, 'scratch');
    await fs.mkdir(scratch, { recursive: true });
    const file = path.join(scratch, `storage-check-${randomBytes(6).toString('hex')}.txt`);
    await fs.writeFile(file, content);
    const source = { file, size: Buffer.byteLength(content), sha256: sha256Text(content), contentType: 'text/plain', fileName: 'twin-studio-check.txt' };
    try {
      try {
        target = await this.target();
        await target.presignPut(source);
        steps.push({ id: 'sign', label: 'Sign an upload', ok: true, message: `Signed an upload to ${target.where}.` });
      } catch (error) {
        return await finish(failed('sign', 'Sign an upload', error));
      }
      let key: string | null;
      try {
        // Few retries: a person is waiting for the answer.
        const quick = new Uploader({
          log: this.options.log.child('upload-test'),
          ...this.options.uploader,
          retry: { attempts: 2, baseDelayMs: 300, maxDelayMs: 1000 },
        });
        const uploaded = await quick.upload(source, target);
        publicUrl = uploaded.publicUrl;
        key = uploaded.key;
        steps.push({ id: 'upload', label: 'Upload a test file', ok: true, message: `Uploaded ${source.size} bytes.` });
      } catch (error) {
        return await finish(failed('upload', 'Upload a test file', error));
      }
      try {
        await this.checkPublic(publicUrl, source.size, source.contentType);
        steps.push({ id: 'public', label: 'Read it back anonymously', ok: true, message: `${publicUrl} is public: HTTP 200, same length and type.` });
      } catch (error) {
        const message = failed('public', 'Read it back anonymously', error);
        await this.cleanup(target, key, steps);
        return await finish(message);
      }
      await this.cleanup(target, key, steps);
      return await finish('Storage works: files upload and the service will be able to fetch them.');
    } finally {
      await fs.rm(file, { force: true });
    }
  }

  private async cleanup(target: UploadTarget, key: string | null, steps: StorageTestStep[]): Promise<void> {
    if (!target.remove || !key) {
      steps.push({
        id: 'cleanup',
        label: 'Remove the test file',
        ok: true,
        message: 'The test file stays where the endpoint put it (a presign endpoint cannot remove files); it is a few bytes of text.',
      });
      return;
    }
    try {
      await target.remove(key);
      steps.push({ id: 'cleanup', label: 'Remove the test file', ok: true, message: 'Removed the test file.' });
    } catch (error) {
      // Not a failure of the target for uploads: say so, but keep the test green.
      steps.push({
        id: 'cleanup',
        label: 'Remove the test file',
        ok: true,
        message: `Could not remove the test file (${error instanceof StudioError ? error.message : String(error)}); uploads work.`,
      });
    }
  }

  private refuseInSandbox(): void {
    if (this.options.sandbox) {
      throw new StudioError('CONFLICT', 'This is the sandbox: media goes to its built-in host on this computer. Leave the sandbox to set up your own storage.');
    }
  }

  private async read(): Promise<ReadConfig> {
    let stored: unknown;
    try {
      stored = JSON.parse(await fs.readFile(this.file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.options.log.warn('storage.json unreadable, treating storage as not set up');
      return { target: null, lastTest: null, problem: null };
    }
    const parsed = configFileSchema.safeParse(stored);
    if (parsed.success) return { ...parsed.data, problem: null };
    // Saved by an older version or edited by hand (a plain-http endpoint, say): never used, and the
    // person is told why rather than finding the settings silently gone.
    const targetIssues = parsed.error.issues.filter((issue) => issue.path[0] === 'target');
    if (targetIssues.length === 0) {
      this.options.log.warn('storage.json unreadable, treating storage as not set up');
      return { target: null, lastTest: null, problem: null };
    }
    const [problem = 'They are incomplete.'] = Object.values(describeIssues(targetIssues).fields);
    this.options.log.warn('saved storage target refused, not used', { problem });
    return { target: null, lastTest: null, problem };
  }

  private async write(config: ConfigFile): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    // Named fields only: what read() adds about the file (its problem) is not part of it.
    const file: ConfigFile = { target: config.target, lastTest: config.lastTest };
    await writeFileAtomic(this.file, `${JSON.stringify(file, null, 2)}\n`);
  }

  private async changed(): Promise<StorageStatus> {
    const status = await this.status();
    this.options.onChange?.(status);
    return status;
  }
}

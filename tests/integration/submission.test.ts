/**
 * The submission pipeline end to end against real servers: radosgw (S3 that checks signatures) and
 * the emulator (which fetches and checks the media anonymously). A draft goes to a ready twin and an
 * agent; a crash after the create request but before its answer is stored, a crash between upload and
 * create, a create whose answer never comes, a 5xx, missing consent and a twin the service fails: each
 * ends with exactly one twin and a clear message, and nothing is uploaded or created twice.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import type { S3Target } from '../../shared/contract/storage';
import { draftTagKey } from '../../shared/contract/submission';
import { mediaCommands, pictureJpeg, toneWav } from './emulator-fixtures';
import { missingPrerequisite } from '../support/prerequisites';
import { type RadosGwInfo, radosgwMissing } from '../support/radosgw';
import { makeBucket, useRadosGw } from '../support/radosgw-shared';
import { repoRoot } from '../support/studio-host';
import { type Stack, type StackOptions, approvedDraft, submissionStack } from '../support/submission-stack';

const missing = radosgwMissing('submission tests against radosgw') ?? missingPrerequisite(mediaCommands, 'submission test media');
const apiKey = 'emulator-key-for-submission-tests';

let gw: RadosGwInfo;
let emulator: RunningEmulator;
let media: { voiceWav: string; photoJpeg: string };
const dirs: string[] = [];
const stacks: Stack[] = [];

async function s3(): Promise<{ target: S3Target; secret: string }> {
  const bucket = await makeBucket(gw, { publicRead: true });
  return {
    target: { kind: 's3', endpoint: gw.endpoint, region: gw.region, bucket, keyPrefix: 'twins/', pathStyle: true, accessKeyId: gw.accessKeyId, publicBaseUrl: `${gw.endpoint}/${bucket}` },
    secret: gw.secretAccessKey,
  };
}

async function options(overrides: Partial<StackOptions> = {}): Promise<StackOptions> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'twin-studio-submission-'));
  dirs.push(dataDir);
  return { dataDir, emulatorUrl: emulator.url, apiKey, s3: await s3(), ...overrides };
}

async function stack(stackOptions: StackOptions): Promise<Stack> {
  const built = await submissionStack(stackOptions);
  stacks.push(built);
  return built;
}

function twinsOf(draftId: string) {
  return emulator.twins().filter((twin) => twin.tags[draftTagKey] === draftId);
}

function createRequests(): number {
  return emulator.requests().filter((request) => request.method === 'POST' && request.path === '/public/digital-twins').length;
}

/** Runs the crash child to its checkpoint and waits for it to die by SIGKILL. */
async function crashChild(stackOptions: StackOptions, draftId: string, crashAt: 'uploaded' | 'create-answered'): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/submission-crash-child.ts', JSON.stringify({ ...stackOptions, draftId, crashAt })], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, killedBy) => resolve(killedBy)));
  expect(signal, output).toBe('SIGKILL');
  expect(output).toContain(`crashing at ${crashAt}`);
  return output;
}

describe.skipIf(missing)('submission pipeline (radosgw + emulator)', () => {
  beforeAll(async () => {
    gw = await useRadosGw();
    emulator = await startEmulator({ apiKey, allowHttpMedia: true, generationSeconds: 1, stepSeconds: 0.5, rateLimit: null });
    media = { voiceWav: toneWav(70), photoJpeg: pictureJpeg() };
  });
  afterAll(async () => {
    for (const built of stacks) await built.close();
    await emulator?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('takes an approved draft to a ready twin, then an agent', async () => {
    const s = await stack(await options());
    await s.queue.init();
    const draft = await approvedDraft(s.drafts, media);
    const queued = await s.queue.start(draft.id);
    expect(queued.state).toBe('queued');
    // Starting twice queues once.
    expect((await s.queue.start(draft.id)).draftId).toBe(draft.id);

    const done = await s.waitFor(draft.id, (submission) => submission.state === 'done' || submission.state === 'failed');
    expect(done.error).toBeNull();
    expect(done.state).toBe('done');
    expect(['readyToUse', 'completed']).toContain(done.twin?.status);
    expect(done.files.every((file) => file.verifiedAt && file.publicUrl?.startsWith(`${gw.endpoint}/`))).toBe(true);
    expect(done.history.map((entry) => entry.step)).toEqual(expect.arrayContaining(['validate', 'prepare', 'upload', 'create', 'follow', 'done']));

    const [twin, ...others] = twinsOf(draft.id);
    expect(others).toHaveLength(0);
    expect(twin).toMatchObject({ id: done.twin?.id, version: 'v1', externalClientId: 'emp-0042', firstCheck: { state: 'passed' } });
    expect(twin!.voiceUrl).toBe(done.files.find((file) => file.role === 'voice')?.publicUrl);

    const page = await s.twins.list({ pageIndex: 0, pageSize: 10, search: 'Lovelace' });
    expect(page.items.find((item) => item.id === twin!.id)).toMatchObject({ draftId: draft.id, status: expect.stringMatching(/readyToUse|completed/) });
    const agent = await s.twins.createAgent({ companionId: twin!.id, name: 'Ada at the help desk', temperature: 0.4, instructions: 'Answer briefly.' });
    expect(agent.id).toMatch(/\S/);
    expect(emulator.agents().find((record) => record.id === agent.id)).toMatchObject({ companionId: twin!.id, name: 'Ada at the help desk' });
    expect((await s.twins.get(twin!.id)).agents.map((item) => item.id)).toEqual([agent.id]);
    // A finished draft is not submitted again.
    await expect(s.queue.start(draft.id)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('does not create a second twin after a crash between the create request and storing its answer', async () => {
    const stackOptions = await options();
    const first = await submissionStack(stackOptions);
    const draft = await approvedDraft(first.drafts, media, { externalClientId: 'crash-1' });
    await first.close();
    const postsBefore = createRequests();

    await crashChild(stackOptions, draft.id, 'create-answered');
    // The service made the twin; the studio died before writing down its id.
    expect(twinsOf(draft.id)).toHaveLength(1);
    expect(createRequests()).toBe(postsBefore + 1);
    const onDisk = JSON.parse(readFileSync(path.join(stackOptions.dataDir, 'drafts', draft.id, 'submission.json'), 'utf8')) as { create: { state: string }; twin: unknown };
    expect(onDisk.create.state).toBe('sending');
    expect(onDisk.twin).toBeNull();

    // The next launch: it looks for the twin by its draft tag and adopts it instead of asking again.
    const restarted = await stack(stackOptions);
    await restarted.queue.init();
    const done = await restarted.waitFor(draft.id, (submission) => submission.state === 'done' || submission.state === 'failed');
    expect(done.state).toBe('done');
    expect(done.twin?.id).toBe(twinsOf(draft.id)[0]!.id);
    expect(twinsOf(draft.id)).toHaveLength(1);
    expect(createRequests()).toBe(postsBefore + 1);
    expect(done.history.some((entry) => /earlier request created/.test(entry.message))).toBe(true);
  });

  it('continues after a crash between upload and create without uploading again', async () => {
    const stackOptions = await options();
    const first = await submissionStack(stackOptions);
    const draft = await approvedDraft(first.drafts, media, { externalClientId: 'crash-2' });
    await first.close();
    const postsBefore = createRequests();
    await crashChild(stackOptions, draft.id, 'uploaded');
    expect(twinsOf(draft.id)).toHaveLength(0);
    expect(createRequests()).toBe(postsBefore);

    const restarted = await stack(stackOptions);
    await restarted.queue.init();
    const done = await restarted.waitFor(draft.id, (submission) => submission.state === 'done' || submission.state === 'failed');
    expect(done.state).toBe('done');
    expect(twinsOf(draft.id)).toHaveLength(1);
    expect(createRequests()).toBe(postsBefore + 1);
    // Verified files were not sent again: no upload entries after the restart.
    const restartAt = done.history.findIndex((entry) => /stopped during this step/.test(entry.message));
    expect(restartAt).toBeGreaterThan(0);
    expect(done.history.slice(restartAt).some((entry) => entry.step === 'upload')).toBe(false);
  });

  it('looks for the twin before asking again when the answer to a create never comes', async () => {
    // The service takes 1.5 s, the studio waits 0.5 s: the twin is made after the studio gave up on the answer.
    const s = await stack(await options({ clientTimeoutMs: 500, reconcileDelaysMs: [600, 900, 1500] }));
    await s.queue.init();
    const draft = await approvedDraft(s.drafts, media, { externalClientId: 'slow-1' });
    const postsBefore = createRequests();
    emulator.fault({ method: 'POST', path: '/public/digital-twins', delayMs: 1500 });
    await s.queue.start(draft.id);
    const done = await s.waitFor(draft.id, (submission) => submission.state === 'done' || submission.state === 'failed');
    expect(done.state).toBe('done');
    expect(twinsOf(draft.id)).toHaveLength(1);
    expect(createRequests()).toBe(postsBefore + 1);
    expect(done.history.some((entry) => /looking for the twin/.test(entry.message))).toBe(true);
  });

  it('asks again after a 5xx only once it has looked and found nothing', async () => {
    const s = await stack(await options());
    await s.queue.init();
    const draft = await approvedDraft(s.drafts, media, { externalClientId: 'err-500' });
    emulator.fault({ method: 'POST', path: '/public/digital-twins', status: 503 });
    await s.queue.start(draft.id);
    const done = await s.waitFor(draft.id, (submission) => submission.state === 'done' || submission.state === 'failed');
    expect(done.state).toBe('done');
    expect(twinsOf(draft.id)).toHaveLength(1);
    expect(done.create.attempts).toBe(2);
    expect(done.history.some((entry) => /No twin from the earlier request exists/.test(entry.message))).toBe(true);
  });

  it('explains missing consent, keeps everything, and continues once consent is given', async () => {
    const s = await stack(await options());
    await s.queue.init();
    const draft = await approvedDraft(s.drafts, media, { externalClientId: 'consent-1' });
    emulator.setConsent(false);
    try {
      await s.queue.start(draft.id);
      const failed = await s.waitFor(draft.id, (submission) => submission.state === 'failed');
      expect(failed.error).toMatchObject({ code: 'CONSENT_REQUIRED', step: 'create', message: expect.stringMatching(/admin must enable digital twins/) });
      expect(failed.create.state).toBe('not-sent');
      expect(failed.files.every((file) => file.verifiedAt)).toBe(true);
    } finally {
      emulator.setConsent(true);
    }
    await s.queue.retry(draft.id);
    const done = await s.waitFor(draft.id, (submission) => submission.state === 'done' || submission.state === 'failed');
    expect(done.state).toBe('done');
    expect(twinsOf(draft.id)).toHaveLength(1);
  });

  it('says so when the service fails a twin, and a retry requests a new one', async () => {
    // Its own emulator with slow generation: the twin is caught while still pending.
    const slow = await startEmulator({ apiKey, allowHttpMedia: true, generationSeconds: 60, rateLimit: null });
    try {
      const s = await stack(await options({ emulatorUrl: slow.url }));
      await s.queue.init();
      const draft = await approvedDraft(s.drafts, media, { externalClientId: 'fails-1' });
      await s.queue.start(draft.id);
      const following = await s.waitFor(draft.id, (submission) => submission.state === 'following');
      expect(following.twin?.status).toBe('pending');
      slow.forceStatus(following.twin!.id, 'failed');
      const failed = await s.waitFor(draft.id, (submission) => submission.state !== 'following');
      expect(failed.state).toBe('failed');
      expect(failed.error).toMatchObject({ step: 'follow', message: expect.stringMatching(/could not make the twin/) });

      await s.queue.retry(draft.id);
      const again = await s.waitFor(draft.id, (submission) => submission.state === 'following' && submission.twin?.id !== following.twin!.id);
      expect(again.previousTwinIds).toEqual([following.twin!.id]);
      expect(slow.twins().filter((twin) => twin.tags[draftTagKey] === draft.id)).toHaveLength(2);
      // The retry did not upload again: same content, same keys, already verified.
      expect(again.files.map((file) => file.publicUrl)).toEqual(following.files.map((file) => file.publicUrl));
    } finally {
      await slow.close();
    }
  });

  it('names the field the service refused, says when the key is wrong, and waits out a rate limit', async () => {
    const s = await stack(await options());
    await s.queue.init();
    const draft = await approvedDraft(s.drafts, media, { externalClientId: 'bad-400', ethnicity: 'Martian' });
    await s.queue.start(draft.id);
    const refused = await s.waitFor(draft.id, (submission) => submission.state === 'failed');
    expect(refused.error).toMatchObject({ code: 'BAD_REQUEST', step: 'create', fields: { ethnicity: expect.stringMatching(/ethnicity/) } });
    expect(refused.create.state).toBe('not-sent');
    expect(twinsOf(draft.id)).toHaveLength(0);

    const wrongKey = await stack(await options({ apiKey: 'not-the-emulator-key' }));
    await wrongKey.queue.init();
    const other = await approvedDraft(wrongKey.drafts, media, { externalClientId: 'bad-401' });
    await wrongKey.queue.start(other.id);
    const unauthorised = await wrongKey.waitFor(other.id, (submission) => submission.state === 'failed');
    expect(unauthorised.error).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/did not accept the API key/) });

    // 429 with a Retry-After longer than the client waits: the submission stops, then resumes by itself.
    const limited = await stack(await options());
    await limited.queue.init();
    const third = await approvedDraft(limited.drafts, media, { externalClientId: 'rate-429' });
    emulator.fault({ method: 'POST', path: '/public/digital-twins', status: 429, retryAfterSeconds: 31 });
    // The client waits out short Retry-After values itself; 31 s is past its limit, so the queue schedules it.
    await limited.queue.start(third.id);
    const waiting = await limited.waitFor(third.id, (submission) => submission.state === 'failed');
    expect(waiting.error).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 31 });
    expect(waiting.history.at(-1)?.message).toMatch(/tries again by itself/);
    expect(waiting.create.state).toBe('not-sent');
  });

  it('refuses a draft that is not approved, or whose approved files changed', async () => {
    const s = await stack(await options());
    await s.queue.init();
    const unapproved = await s.drafts.create({ firstName: 'No', lastName: 'Approval' });
    await expect(s.queue.start(unapproved.id)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/not approved/) });

    const draft = await approvedDraft(s.drafts, media, { externalClientId: 'changed-1' });
    const { appendFileSync } = await import('node:fs');
    appendFileSync(s.drafts.mediaFile(draft.id, 'prepared-voice.wav'), Buffer.from([0, 0]));
    await s.queue.start(draft.id);
    const failed = await s.waitFor(draft.id, (submission) => submission.state === 'failed');
    expect(failed.error).toMatchObject({ step: 'prepare', message: expect.stringMatching(/changed after the draft was approved/) });
    expect(twinsOf(draft.id)).toHaveLength(0);
  });
});

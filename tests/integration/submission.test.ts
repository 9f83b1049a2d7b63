/**
 * The submission pipeline end to end against real servers: radosgw (S3 that checks signatures) and
 * the emulator (which fetches and checks the media anonymously). A draft goes to a ready twin and an
 * agent; a crash after the create request but before its answer is stored, a crash between upload and
 * create (both also against a service that lists twins without tags), a create whose answer never
 * comes, a 5xx, missing consent and a twin the service fails: each ends with exactly one twin and a
 * clear message, and nothing is uploaded or created twice. v2 not enabled for the organisation stops
 * with its message, keeps everything, and the draft goes on as v1 from a still of its video; a v2
 * made from a photo sends the picture. Where the service shows no tags, a lost create answer adopts
 * only a twin proven this draft's (client id, names, made after the request), else the person chooses.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraService } from '../../electron/services/camera/camera-service';
import { createLogger } from '../../electron/services/log';
import { type MediaEngine, createMediaEngine } from '../../electron/services/media/engine';
import type { NapsterClient } from '../../electron/services/napster/client';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { approvalState } from '../../shared/approval';
import type { S3Target } from '../../shared/contract/storage';
import { draftTagKey } from '../../shared/contract/submission';
import { type MediaServer, mediaCommands, pictureJpeg, startMediaServer, toneWav, v1Request, videoMp4 } from './emulator-fixtures';
import { missingPrerequisite } from '../support/prerequisites';
import { type RadosGwInfo, radosgwMissing } from '../support/radosgw';
import { makeBucket, useRadosGw } from '../support/radosgw-shared';
import { repoRoot } from '../support/studio-host';
import { type Stack, type StackOptions, approve, approvedDraft, submissionStack } from '../support/submission-stack';

const missing = radosgwMissing('submission tests against radosgw') ?? missingPrerequisite(mediaCommands, 'submission test media');
const apiKey = 'emulator-key-for-submission-tests';

let gw: RadosGwInfo;
let emulator: RunningEmulator;
/** A service that lists and fetches twins without their tags (and ignores the tags filter); its clock can be set ahead or back. */
let untagged: RunningEmulator;
let skewMs = 0;
/** Public media for twins made directly on the emulator (other people's, as far as the studio knows). */
let decoyMedia: MediaServer;
let engine: MediaEngine;
let media: { voiceWav: string; photoJpeg: string };
const dirs: string[] = [];
const stacks: Stack[] = [];

async function s3(): Promise<{ target: S3Target; secret: string }> {
  const bucket = await makeBucket(gw, { publicRead: true });
  return {
    target: {
      kind: 's3',
      endpoint: gw.endpoint,
      region: gw.region,
      bucket,
      keyPrefix: 'twins/',
      pathStyle: true,
      accessKeyId: gw.accessKeyId,
      publicBaseUrl: `${gw.endpoint}/${bucket}`,
    },
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

function twinsOf(draftId: string, on = emulator) {
  return on.twins().filter((twin) => twin.tags[draftTagKey] === draftId);
}

function createRequests(on = emulator): number {
  return on.requests().filter((request) => request.method === 'POST' && request.path === '/public/digital-twins').length;
}

/**
 * A twin made straight on the emulator, as another draft (or another app) would have made it:
 * `atMs` from now by the service's clock (negative: before).
 */
async function otherTwin(on: RunningEmulator, person: { firstName?: string; lastName?: string; externalClientId: string }, atMs: number): Promise<string> {
  skewMs = atMs;
  try {
    const response = await fetch(`${on.url}/public/digital-twins`, {
      method: 'POST',
      headers: { 'X-Api-Key': apiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify(
        v1Request(decoyMedia.url('voice.wav'), decoyMedia.url('picture.jpg'), {
          firstName: 'Ada',
          lastName: 'Lovelace',
          ethnicity: 'Caucasian',
          ...person,
          tags: { [draftTagKey]: 'd_someoneelsesdraft01' },
        }),
      ),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  } finally {
    skewMs = 0;
  }
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
    untagged = await startEmulator({
      apiKey,
      allowHttpMedia: true,
      generationSeconds: 1,
      stepSeconds: 0.5,
      rateLimit: null,
      showTags: false,
      now: () => Date.now() + skewMs,
    });
    media = { voiceWav: toneWav(70), photoJpeg: pictureJpeg() };
    decoyMedia = await startMediaServer({ 'voice.wav': toneWav(70), 'picture.jpg': pictureJpeg() });
    engine = createMediaEngine({ log: createLogger('test', () => undefined) });
  });
  afterAll(async () => {
    for (const built of stacks) await built.close();
    await emulator?.close();
    await untagged?.close();
    await decoyMedia?.close();
    await engine?.close();
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

  // The crash tests run against a service that shows tags and one that lists twins without them.
  for (const [label, suffix, service] of [
    ['tags listed', 't', () => emulator],
    ['tags not listed', 'u', () => untagged],
  ] as const) {
    it(`does not create a second twin after a crash between the create request and storing its answer (${label})`, async () => {
      const on = service();
      const stackOptions = await options({ emulatorUrl: on.url });
      const first = await submissionStack(stackOptions);
      const draft = await approvedDraft(first.drafts, media, { externalClientId: `crash-1-${suffix}` });
      await first.close();
      // Other people's twins of the same name: one with another client id (made later, by the service's clock), one with this client id made before.
      const decoys = [
        await otherTwin(on, { externalClientId: 'emp-somebody' }, 60_000),
        await otherTwin(on, { externalClientId: `crash-1-${suffix}` }, -60_000),
      ];
      const postsBefore = createRequests(on);

      await crashChild(stackOptions, draft.id, 'create-answered');
      // The service made the twin; the studio died before writing down its id.
      expect(twinsOf(draft.id, on)).toHaveLength(1);
      expect(createRequests(on)).toBe(postsBefore + 1);
      const onDisk = JSON.parse(readFileSync(path.join(stackOptions.dataDir, 'drafts', draft.id, 'submission.json'), 'utf8')) as {
        create: { state: string };
        twin: unknown;
      };
      expect(onDisk.create.state).toBe('sending');
      expect(onDisk.twin).toBeNull();

      // The next launch: it looks for the twin (by its draft tag, or without tags by client id, names and time) and adopts it instead of asking again.
      const restarted = await stack(stackOptions);
      await restarted.queue.init();
      const done = await restarted.waitFor(draft.id, (submission) => submission.state === 'done' || submission.state === 'failed');
      expect(done.state).toBe('done');
      expect(done.twin?.id).toBe(twinsOf(draft.id, on)[0]!.id);
      expect(twinsOf(draft.id, on)).toHaveLength(1);
      expect(createRequests(on)).toBe(postsBefore + 1);
      expect(decoys).not.toContain(done.twin?.id);
      const proof =
        on === untagged
          ? /earlier request created \(same client id and name, made after the request was sent\)/
          : /earlier request created \(by its draft tag\)/;
      expect(done.history.some((entry) => proof.test(entry.message))).toBe(true);
    });

    it(`continues after a crash between upload and create without uploading again (${label})`, async () => {
      const on = service();
      const stackOptions = await options({ emulatorUrl: on.url });
      const first = await submissionStack(stackOptions);
      const draft = await approvedDraft(first.drafts, media, { externalClientId: `crash-2-${suffix}` });
      await first.close();
      const postsBefore = createRequests(on);
      await crashChild(stackOptions, draft.id, 'uploaded');
      expect(twinsOf(draft.id, on)).toHaveLength(0);
      expect(createRequests(on)).toBe(postsBefore);

      const restarted = await stack(stackOptions);
      await restarted.queue.init();
      const done = await restarted.waitFor(draft.id, (submission) => submission.state === 'done' || submission.state === 'failed');
      expect(done.state).toBe('done');
      expect(twinsOf(draft.id, on)).toHaveLength(1);
      expect(createRequests(on)).toBe(postsBefore + 1);
      // Verified files were not sent again: no upload entries after the restart.
      const restartAt = done.history.findIndex((entry) => /stopped during this step/.test(entry.message));
      expect(restartAt).toBeGreaterThan(0);
      expect(done.history.slice(restartAt).some((entry) => entry.step === 'upload')).toBe(false);
    });
  }

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
  it('v2 not enabled: says so, keeps everything, and goes on as v1 from a still of the chosen video', async () => {
    const s = await stack(await options());
    await s.queue.init();
    const draft = await approvedDraft(s.drafts, { ...media, videoMp4: videoMp4(61, true, '1280x720') }, { externalClientId: 'v2-off-1', avatarVersion: 'v2' });
    emulator.setV2(false);
    try {
      await s.queue.start(draft.id);
      const refused = await s.waitFor(draft.id, (submission) => submission.state === 'failed');
      expect(refused.error).toMatchObject({
        code: 'FORBIDDEN',
        step: 'create',
        serviceCode: 'CompanionV2NotEnabled',
        message: expect.stringMatching(/^Avatar v2 is not enabled for your organisation.*submit this twin as v1.*Everything recorded and uploaded is kept\.$/),
      });
      // Plain words: no raw object, no stack.
      expect(refused.error!.message).not.toMatch(/[{}]|\bat \S+:\d+|Error:/);
      expect(refused.create.state).toBe('not-sent');
      expect(refused.files.map((file) => file.role).sort()).toEqual(['video', 'voice']);
      expect(refused.files.every((file) => file.verifiedAt)).toBe(true);
      expect(twinsOf(draft.id)).toHaveLength(0);
      // Everything kept: the draft is still the approved v2 it was.
      const kept = await s.drafts.get(draft.id);
      expect(kept.person.avatarVersion).toBe('v2');
      expect(approvalState(kept)).toBe('approved');
      expect(kept.camera.photos).toEqual([]);

      // The draft has no photo: a still from the middle of the chosen video, offered, not chosen.
      const camera = new CameraService({ drafts: s.drafts, engine, log: createLogger('test', () => undefined) });
      const still = await camera.photoFromVideo(draft.id);
      expect(still).toMatchObject({ source: 'camera', width: 1280, height: 720, originalName: 'Still at 30.5 s of the video take' });
      expect(still.checks.filter((check) => check.id === 'resolution' || check.id === 'shape').map((check) => check.verdict)).toEqual(['pass', 'pass']);
      expect((await s.drafts.get(draft.id)).camera.chosenPhotoId).toBeNull();
      expect(readFileSync(s.drafts.mediaFile(draft.id, still.fileName)).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));

      // The person switches to v1 with it: the approval no longer matches, so a retry is refused until approved again.
      const switched = await s.queue.switchToV1(draft.id, still.id);
      expect(switched.person.avatarVersion).toBe('v1');
      expect(switched.camera.chosenPhotoId).toBe(still.id);
      expect(switched.camera.videoTakes).toHaveLength(1);
      expect(approvalState(switched)).toBe('stale');
      await expect(s.queue.retry(draft.id)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/approve it again/) });
      await expect(s.queue.switchToV1(draft.id, still.id)).rejects.toMatchObject({ code: 'BAD_REQUEST' });

      // The review prepares the photo from the still and approves again; v1 works while v2 is still off.
      copyFileSync(s.drafts.mediaFile(draft.id, still.fileName), s.drafts.mediaFile(draft.id, 'prepared-photo.jpg'));
      await approve(s.drafts, draft.id);
      await s.queue.retry(draft.id);
      const done = await s.waitFor(draft.id, (submission) => submission.state === 'done' || submission.state === 'failed');
      expect(done.error).toBeNull();
      expect(done.state).toBe('done');
      const [twin, ...others] = twinsOf(draft.id);
      expect(others).toHaveLength(0);
      const url = (role: string) => done.files.find((file) => file.role === role)?.publicUrl;
      expect(done.files.map((file) => file.role).sort()).toEqual(['photo', 'voice']);
      expect(twin).toMatchObject({ version: 'v1', pictureUrl: url('photo'), videoUrl: null, voiceUrl: url('voice'), firstCheck: { state: 'passed' } });
      // The voice uploaded for the v2 request was kept, not sent again.
      const voiceBefore = refused.files.find((file) => file.role === 'voice')!;
      expect(done.files.find((file) => file.role === 'voice')).toMatchObject({ publicUrl: voiceBefore.publicUrl, verifiedAt: voiceBefore.verifiedAt });
    } finally {
      emulator.setV2(true);
    }
  });

  it('a v2 draft made from a photo sends pictureUrl with version v2 and no videoUrl', async () => {
    const s = await stack(await options());
    await s.queue.init();
    const draft = await approvedDraft(s.drafts, media, { externalClientId: 'v2-photo-1', avatarVersion: 'v2' }, { v2AppearanceFrom: 'photo' });
    await s.queue.start(draft.id);
    const done = await s.waitFor(draft.id, (submission) => submission.state === 'done' || submission.state === 'failed');
    expect(done.error).toBeNull();
    expect(done.files.map((file) => file.role).sort()).toEqual(['photo', 'voice']);
    const [twin, ...others] = twinsOf(draft.id);
    expect(others).toHaveLength(0);
    const url = (role: string) => done.files.find((file) => file.role === role)?.publicUrl;
    expect(twin).toMatchObject({ version: 'v2', pictureUrl: url('photo'), videoUrl: null, voiceUrl: url('voice'), firstCheck: { state: 'passed' } });
  });

  describe('a lost create answer where the service lists twins without tags', () => {
    it('adopts only its own twin: same client id and names, made after the request', async () => {
      const s = await stack(await options({ emulatorUrl: untagged.url, clientTimeoutMs: 500, reconcileDelaysMs: [600, 900, 1500] }));
      await s.queue.init();
      const draft = await approvedDraft(s.drafts, media, { externalClientId: 'lost-1' });
      // Another draft's twin of the same name (made after the request, by the service's clock) and one of this client id made before.
      const decoys = [
        await otherTwin(untagged, { externalClientId: 'lost-someone' }, 60_000),
        await otherTwin(untagged, { externalClientId: 'lost-1' }, -60_000),
      ];
      const postsBefore = createRequests(untagged);
      untagged.fault({ method: 'POST', path: '/public/digital-twins', delayMs: 1500 });
      await s.queue.start(draft.id);
      const done = await s.waitFor(
        draft.id,
        (submission) => submission.state === 'done' || submission.state === 'failed' || submission.state === 'needs-choice',
      );
      expect(done.state).toBe('done');
      const own = twinsOf(draft.id, untagged);
      expect(own).toHaveLength(1);
      expect(done.twin?.id).toBe(own[0]!.id);
      expect(decoys).not.toContain(done.twin?.id);
      expect(createRequests(untagged)).toBe(postsBefore + 1);
      expect(done.history.some((entry) => /same client id and name, made after the request was sent/.test(entry.message))).toBe(true);
    });

    it('when the request never arrived, stops with the same-named twins as candidates; "none of these" asks for a new twin', async () => {
      const stackOptions = await options({ emulatorUrl: untagged.url, reconcileDelaysMs: [200, 300] });
      const first = await submissionStack(stackOptions);
      await first.queue.init();
      const draft = await approvedDraft(first.drafts, media, { externalClientId: 'lost-2' });
      const otherClient = await otherTwin(untagged, { externalClientId: 'lost-someone-else' }, 60_000);
      const madeBefore = await otherTwin(untagged, { externalClientId: 'lost-2' }, -60_000);
      const otherName = await otherTwin(untagged, { firstName: 'Grace', lastName: 'Hopper', externalClientId: 'lost-2' }, 60_000);
      const postsBefore = createRequests(untagged);
      untagged.fault({ method: 'POST', path: '/public/digital-twins', drop: true });
      await first.queue.start(draft.id);
      const waiting = await first.waitFor(draft.id, (submission) => submission.state !== 'queued' && submission.state !== 'running');
      expect(waiting.state).toBe('needs-choice');
      expect(waiting.twin).toBeNull();
      expect(twinsOf(draft.id, untagged)).toHaveLength(0);
      // Nothing was asked twice, and nothing adopted.
      expect(createRequests(untagged)).toBe(postsBefore + 1);
      const ids = waiting.candidates.map((candidate) => candidate.id);
      expect(ids).toEqual(expect.arrayContaining([otherClient, madeBefore]));
      expect(ids).not.toContain(otherName);
      expect(waiting.candidates.find((candidate) => candidate.id === otherClient)).toMatchObject({
        firstName: 'Ada',
        lastName: 'Lovelace',
        externalClientId: 'lost-someone-else',
        reasons: expect.arrayContaining(['Its client id is lost-someone-else, not lost-2.']),
      });
      expect(waiting.candidates.find((candidate) => candidate.id === madeBefore)!.reasons).toEqual([
        'It was made before this draft’s request was sent.',
        'It was already listed before this draft’s request was sent.',
      ]);
      expect(waiting.history.at(-1)?.message).toMatch(/cannot prove which twin/);
      await first.close();

      // It keeps waiting for the person across a restart: nothing is sent or adopted by itself.
      const s = await stack(stackOptions);
      await s.queue.init();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await s.queue.get(draft.id))?.state).toBe('needs-choice');
      expect(createRequests(untagged)).toBe(postsBefore + 1);
      await expect(s.queue.choose(draft.id, otherName)).rejects.toMatchObject({ code: 'BAD_REQUEST' });

      // "None of these": a new twin is requested, and the candidates are never adopted for this draft.
      await s.queue.choose(draft.id, null);
      const done = await s.waitFor(
        draft.id,
        (submission) => submission.state === 'done' || submission.state === 'failed' || submission.state === 'needs-choice',
      );
      expect(done.state).toBe('done');
      expect(twinsOf(draft.id, untagged)).toHaveLength(1);
      expect(done.twin?.id).toBe(twinsOf(draft.id, untagged)[0]!.id);
      expect(done.previousTwinIds).toEqual(expect.arrayContaining(ids));
      expect(done.candidates).toEqual([]);
      expect(createRequests(untagged)).toBe(postsBefore + 2);
      await expect(s.queue.choose(draft.id, null)).rejects.toMatchObject({ code: 'CONFLICT' });
    });

    it('where the service does not say when twins were made: one listed before is ruled out, two that match are not guessed between', async () => {
      // The same service, with the creation time taken out of its answers.
      const withoutTimes = (client: NapsterClient) => ({
        createTwin: client.createTwin.bind(client),
        listTwins: client.listTwins.bind(client),
        getCompanion: async (...args: Parameters<NapsterClient['getCompanion']>) => ({ ...(await client.getCompanion(...args)), createdAt: undefined }),
      });
      const s = await stack(await options({ emulatorUrl: untagged.url, clientTimeoutMs: 500, reconcileDelaysMs: [600, 900, 1500], wrapClient: withoutTimes }));
      await s.queue.init();
      const draft = await approvedDraft(s.drafts, media, { externalClientId: 'lost-3' });
      // Already there before the request: the listing taken just before it left rules it out.
      const listedBefore = await otherTwin(untagged, { externalClientId: 'lost-3' }, 0);
      untagged.fault({ method: 'POST', path: '/public/digital-twins', delayMs: 1500 });
      await s.queue.start(draft.id);
      // While the request is on its way, someone else makes a twin with the same client id and name.
      await s.waitFor(draft.id, (submission) => submission.create.state === 'sending', 30_000);
      const meanwhile = await otherTwin(untagged, { externalClientId: 'lost-3' }, 0);
      const waiting = await s.waitFor(draft.id, (submission) => submission.state !== 'queued' && submission.state !== 'running');
      expect(waiting.state).toBe('needs-choice');
      const own = twinsOf(draft.id, untagged)[0]!;
      const byId = new Map(waiting.candidates.map((candidate) => [candidate.id, candidate]));
      // (Other tests' twins of this name, with other client ids, are listed too, each with its reason.)
      expect(
        waiting.candidates
          .filter((candidate) => candidate.externalClientId === 'lost-3')
          .map((candidate) => candidate.id)
          .sort(),
      ).toEqual([own.id, meanwhile, listedBefore].sort());
      expect(waiting.candidates.every((candidate) => candidate.reasons.length > 0)).toBe(true);
      for (const id of [own.id, meanwhile]) {
        expect(byId.get(id)).toMatchObject({ externalClientId: 'lost-3', createdAt: null, reasons: [expect.stringMatching(/so do another twin’s/)] });
      }
      expect(byId.get(listedBefore)!.reasons).toEqual(['It was already listed before this draft’s request was sent.']);
      // The person knows which is theirs: it is followed from then on.
      await s.queue.choose(draft.id, own.id);
      const done = await s.waitFor(draft.id, (submission) => submission.state === 'done' || submission.state === 'failed');
      expect(done.state).toBe('done');
      expect(done.twin?.id).toBe(own.id);
      expect(done.history.some((entry) => entry.message === `You chose twin ${own.id} as this draft’s twin.`)).toBe(true);
    });
  });
});

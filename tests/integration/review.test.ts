/**
 * The consent record and the approval through the real StudioApi dispatcher and media engine: a
 * draft without consent cannot be approved; a consent take streamed like a recording is checked;
 * the approval needs every warning acknowledged and writes a receipt whose hashes are the files';
 * a change withdraws the approval; an approved draft travels in an archive with its receipt.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, promises as fs, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../electron/services/keychain/secret-store';
import { createLogger } from '../../electron/services/log';
import { type Studio, createStudio } from '../../electron/studio/compose';
import type { CallName, CallOutput } from '../../shared/contract';
import { spokenCode } from '../../shared/consent';
import type { WireResult } from '../../shared/errors';
import { speechWav } from '../support/media-fixtures';
import { missingPrerequisite } from '../support/prerequisites';

const missing = missingPrerequisite(['ffmpeg', 'espeak-ng', 'sox'], 'The consent integration tests');
const quiet = createLogger('consent-test', () => undefined);

let scratch: string;
let studio: Studio;
let other: Studio;
let draftId: string;

async function call<K extends CallName>(name: K, input: unknown): Promise<CallOutput<K>> {
  const result = (await studio.dispatch(name, input)) as WireResult<CallOutput<K>>;
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
  return result.value;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** What Chromium's MediaRecorder makes: Opus in a live WebM without duration. */
function recorderWebm(wav: string): Buffer {
  const out = path.join(scratch, `${path.basename(wav)}.webm`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', wav, '-c:a', 'libopus', '-b:a', '96k', '-f', 'webm', '-live', '1', out]);
  return readFileSync(out);
}

/** A take through the takes calls, as the recorders stream it; the consent take is one like any other. */
async function recordTake(kind: 'voice' | 'consent', wav: string) {
  const bytes = recorderWebm(wav);
  const { id: takeId } = await call('takes/begin', { draftId, kind, source: 'recorded', mimeType: 'audio/webm;codecs=opus' });
  let seq = 0;
  for (let offset = 0; offset < bytes.length; offset += 16_000) {
    await call('takes/append', { draftId, takeId, seq: seq++, bytes: new Uint8Array(bytes.subarray(offset, offset + 16_000)) });
  }
  return call('takes/finish', { draftId, takeId });
}

const recordConsent = (wav: string) => recordTake('consent', wav);

describe.skipIf(missing !== null)('consent and approval', () => {
  beforeAll(async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'consent-scratch-'));
    studio = await createStudio({
      host: 'browser',
      dataDir: path.join(scratch, 'a'),
      version: '0.0.0-test',
      emit: () => undefined,
      log: quiet,
      secretStore: createMemorySecretStore(),
    });
    other = await createStudio({
      host: 'browser',
      dataDir: path.join(scratch, 'b'),
      version: '0.0.0-test',
      emit: () => undefined,
      log: quiet,
      secretStore: createMemorySecretStore(),
    });

    // A complete v1 draft: the person, a recorded voice take, a 16:9 photo.
    const draft = await call('drafts/create', {
      person: {
        firstName: 'Ada',
        lastName: 'Lovelace',
        description: 'Mathematician who explains engines patiently and precisely.',
        gender: 'female',
        ethnicity: 'white',
        externalClientId: 'emp-1815',
        avatarVersion: 'v1',
      },
    });
    draftId = draft.id;
    const voice = await recordTake('voice', speechWav(70));
    const voiceId = voice.id;
    await call('takes/choose', { draftId, takeId: voiceId });
    const photo = path.join(scratch, 'photo.jpg');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080', '-frames:v', '1', photo]);
    await fs.copyFile(photo, studio.drafts.mediaFile(draftId, 'photo-1.jpg'));
    await studio.drafts.update(draftId, (current) => ({
      ...current,
      camera: {
        ...current.camera,
        photos: [
          { id: 't_photo0000001', source: 'camera', fileName: 'photo-1.jpg', createdAt: new Date().toISOString(), width: 1920, height: 1080, checks: [] },
        ],
        chosenPhotoId: 't_photo0000001',
      },
    }));
  }, 120_000);

  afterAll(async () => {
    await studio?.close();
    await other?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('gives the draft a consent code and a statement with the person’s full name and that code', async () => {
    const state = await call('review/state', { draftId });
    expect(state.code).toMatch(/^[A-Z0-9]{3}-[A-Z0-9]{3}$/);
    expect(state.statement).toContain('My name is Ada Lovelace.');
    expect(state.statement).toContain(spokenCode(state.code!));
    // The code is made once: asking again gives the same.
    expect((await call('review/state', { draftId })).code).toBe(state.code);
  });

  it('refuses to approve a draft without consent, even once its files are prepared', async () => {
    const prepared = await call('review/prepare', { draftId });
    expect(prepared.files.map((file) => [file.role, file.state, file.intact])).toEqual([
      ['voice', 'prepared', true],
      ['photo', 'prepared', true],
    ]);
    expect(prepared.files[0]!.record!.info.container).toBe('mp3');
    expect(prepared.blockers.map((blocker) => blocker.id)).toEqual(['consent:take', 'consent:attestation']);
    expect(prepared.canApprove).toBe(false);
    await expect(call('review/approve', { draftId, approvedBy: 'Reviewer', acknowledgedWarnings: [] })).rejects.toMatchObject({
      code: 'CONSENT_REQUIRED',
      message: expect.stringContaining('Record the person reading the consent statement.'),
    });
    expect((await studio.drafts.get(draftId)).approval).toBeNull();
  }, 60_000);

  it('refuses a silent or too short consent take, and attestation before any take', async () => {
    await expect(call('review/attest', { draftId, operatorName: 'Grace Hopper', date: '2025-03-01' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const silent = path.join(scratch, 'silent.wav');
    execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', silent, 'trim', '0', '12']);
    const take = await recordConsent(silent);
    expect(take.kind).toBe('consent');
    expect(take.checks.map((check) => `${check.id}:${check.verdict}`)).toEqual(['duration:pass', 'speech:fail']);
    const short = await recordConsent(speechWav(5));
    expect(short.checks.map((check) => `${check.id}:${check.verdict}`)).toEqual(['duration:fail', 'speech:pass']);
    // Each new take replaces the last, file and all.
    const files = await fs.readdir(studio.drafts.folder(draftId));
    expect(files.filter((name) => name.startsWith('consent-'))).toEqual([short.fileName]);
  }, 60_000);

  it('approves only with the consent complete and every warning acknowledged, and writes a receipt with the files’ hashes', async () => {
    const take = await recordConsent(speechWav(30));
    expect(take.checks.every((check) => check.verdict === 'pass')).toBe(true);
    await call('review/attest', { draftId, operatorName: 'Grace Hopper', date: '2025-03-01' });
    // A warning on the consent take (as a real check might give) must be acknowledged by its key.
    await studio.drafts.update(draftId, (current) => ({
      ...current,
      consent: {
        ...current.consent,
        take: {
          ...current.consent.take!,
          checks: [...current.consent.take!.checks, { id: 'noise', label: 'Noise', verdict: 'warn', reason: 'a fan in the room', value: -45 }],
        },
      },
    }));
    const state = await call('review/state', { draftId });
    expect(state.blockers).toEqual([]);
    const keys = state.warnings.map((warning) => warning.key);
    expect(keys).toContain(`consent:${take.id}:noise`);
    await expect(call('review/approve', { draftId, approvedBy: 'Reviewer', acknowledgedWarnings: keys.slice(1) })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('Acknowledge every warning'),
    });

    const { receipt, state: approved } = await call('review/approve', { draftId, approvedBy: 'Rita Reviewer', acknowledgedWarnings: keys });
    expect(approved.approval).toBe('approved');
    expect(receipt).toMatchObject({
      code: state.code,
      statement: state.statement,
      person: { fullName: 'Ada Lovelace', externalClientId: 'emp-1815' },
      operator: { name: 'Grace Hopper', date: '2025-03-01' },
      approvedBy: 'Rita Reviewer',
      hashAlgorithm: 'SHA-256',
    });
    expect(receipt.consentTake.sha256).toBe(sha256(studio.drafts.mediaFile(draftId, take.fileName)));
    expect(receipt.files.map((file) => file.role)).toEqual(['voice', 'photo']);
    for (const file of receipt.files) expect(file.sha256).toBe(sha256(studio.drafts.mediaFile(draftId, file.fileName)));
    expect(receipt.acknowledgedWarnings.map((warning) => warning.key)).toEqual(keys);

    const saved = await call('review/receipt', { draftId });
    expect(JSON.parse(saved.text)).toEqual(receipt);
    const kept = await fs.readdir(path.join(scratch, 'a', 'receipts'));
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(new RegExp(`^ada-lovelace-${state.code}-.*\\.json$`));
  }, 60_000);

  it('carries an approved draft and its receipt to another data folder, and refuses a forged receipt', async () => {
    const exported = await call('library/export', { ids: [draftId] });
    const archive = path.join(scratch, 'a', 'exports', exported.archiveName);
    const imported = await other.handlers['library/importFinish'](await streamInto(other, archive));
    expect(imported.imported.map((item) => item.id)).toEqual([draftId]);
    const there = await other.handlers['review/state']({ draftId });
    expect(there.approval).toBe('approved');
    expect(there.files.every((file) => file.intact)).toBe(true);

    // A careful forger edits the receipt and fixes every hash in the manifest: the receipt no longer matches the approval.
    const forged = path.join(scratch, 'forged.zip');
    await forgeReceipt(archive, forged, draftId);
    await other.handlers['library/delete']({ ids: [draftId] });
    await expect(other.handlers['library/importFinish'](await streamInto(other, forged))).rejects.toMatchObject({
      code: 'CORRUPT',
      message: expect.stringContaining('the consent receipt of Ada Lovelace does not match its approval'),
    });
  }, 60_000);

  it('withdraws the approval when the draft changes afterwards', async () => {
    expect((await studio.drafts.get(draftId)).approval).not.toBeNull();
    await call('drafts/updatePerson', { id: draftId, person: { description: 'Mathematician and poet of science, precise and warm.' } });
    await expect.poll(async () => (await studio.drafts.get(draftId)).approval, { timeout: 5000 }).toBeNull();
    const state = await call('review/state', { draftId });
    expect(state.approval).toBe('none');
    expect(state.canApprove).toBe(true);
    // The name is in the statement: changing it needs the consent recorded again.
    await call('drafts/updatePerson', { id: draftId, person: { firstName: 'Augusta Ada' } });
    const renamed = await call('review/state', { draftId });
    expect(renamed.blockers.map((blocker) => blocker.id)).toEqual(['consent:statement']);
  });
});

async function streamInto(target: Studio, archive: string): Promise<{ importId: string }> {
  const bytes = readFileSync(archive);
  const { importId } = await target.handlers['library/importBegin']({ fileName: path.basename(archive), bytes: bytes.length });
  let seq = 0;
  for (let offset = 0; offset < bytes.length; offset += 1024 * 1024) {
    await target.handlers['library/importAppend']({ importId, seq: seq++, bytes: new Uint8Array(bytes.subarray(offset, offset + 1024 * 1024)) });
  }
  return { importId };
}

/** Rewrites the receipt's approver and makes the manifest and its comment consistent again. */
async function forgeReceipt(source: string, target: string, id: string) {
  const zip = await yauzl.openPromise(source, { lazyEntries: true, autoClose: false });
  const entries: { name: string; bytes: Buffer }[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      void zip.openReadStreamPromise(entry).then(async (readStream) => {
        const chunks: Buffer[] = [];
        for await (const chunk of readStream) chunks.push(chunk as Buffer);
        entries.push({ name: entry.fileName, bytes: Buffer.concat(chunks) });
        zip.readEntry();
      }, reject);
    });
    zip.once('end', () => resolve());
    zip.readEntry();
  });
  const comment = zip.comment;
  zip.close();
  const hash = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  const receipt = entries.find((entry) => entry.name === `drafts/${id}/consent-receipt.json`)!;
  receipt.bytes = Buffer.from(receipt.bytes.toString().replace('Rita Reviewer', 'Someone Else'));
  const manifestEntry = entries.find((entry) => entry.name === 'manifest.json')!;
  const manifest = JSON.parse(manifestEntry.bytes.toString()) as { drafts: { files: { name: string; bytes: number; sha256: string }[] }[] };
  const file = manifest.drafts[0]!.files.find((item) => item.name === 'consent-receipt.json')!;
  file.bytes = receipt.bytes.length;
  file.sha256 = hash(receipt.bytes);
  manifestEntry.bytes = Buffer.from(JSON.stringify(manifest));
  const out = new yazl.ZipFile();
  for (const entry of entries) out.addBuffer(entry.bytes, entry.name);
  out.end({ comment: comment.replace(/[0-9a-f]{64}$/, hash(manifestEntry.bytes)), forceZip64Format: false });
  const chunks: Buffer[] = [];
  for await (const chunk of out.outputStream) chunks.push(chunk as Buffer);
  await fs.writeFile(target, Buffer.concat(chunks));
}

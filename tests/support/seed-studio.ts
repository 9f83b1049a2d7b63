/**
 * A studio in this test process for seeding a data folder through the real StudioApi handlers
 * before a browser host opens it: calls that throw on refusal, and takes streamed in the pieces a
 * MediaRecorder sends (voice, video and consent alike), as the page would.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMemorySecretStore } from '../../electron/services/keychain/secret-store';
import { createLogger } from '../../electron/services/log';
import { type Studio, createStudio } from '../../electron/studio/compose';
import type { CallName, CallOutput } from '../../shared/contract';
import type { TakeKind } from '../../shared/contract/takes';
import type { Take } from '../../shared/drafts';
import type { WireResult } from '../../shared/errors';
import { speechWav } from './media-fixtures';

export type SeedStudio = {
  studio: Studio;
  /** A folder for made-up media, removed by close(). */
  scratch: string;
  call<K extends CallName>(name: K, input: unknown): Promise<CallOutput<K>>;
  /** Streams `bytes` as a recorded take of `kind` and finishes it; the take as saved and checked. */
  recordTake(draftId: string, kind: TakeKind, bytes: Uint8Array, mimeType: string): Promise<Take>;
  /** What Chromium's MediaRecorder makes of this WAV: Opus in a live WebM without duration. */
  recorderWebm(wav: string): Buffer;
  /** A consent take read from `seconds` of speech, the attestation, and the approval of every warning. */
  consentAndApprove(draftId: string, seconds?: number): Promise<void>;
  close(): Promise<void>;
};

export async function openSeedStudio(dataDir: string): Promise<SeedStudio> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'studio-seed-'));
  const studio = await createStudio({
    host: 'browser',
    dataDir,
    version: '0.0.0-seed',
    emit: () => undefined,
    log: createLogger('seed', () => undefined),
    secretStore: createMemorySecretStore(),
  });
  const call = async <K extends CallName>(name: K, input: unknown): Promise<CallOutput<K>> => {
    const result = (await studio.dispatch(name, input)) as WireResult<CallOutput<K>>;
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value;
  };
  const recordTake = async (draftId: string, kind: TakeKind, bytes: Uint8Array, mimeType: string): Promise<Take> => {
    const take = await call('takes/begin', { draftId, kind, source: 'recorded', mimeType });
    let seq = 0;
    for (let offset = 0; offset < bytes.length; offset += 64_000) {
      await call('takes/append', { draftId, takeId: take.id, seq: seq++, bytes: new Uint8Array(bytes.subarray(offset, offset + 64_000)) });
    }
    return call('takes/finish', { draftId, takeId: take.id });
  };
  const recorderWebm = (wav: string): Buffer => {
    const out = path.join(scratch, `${path.basename(wav)}.webm`);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', wav, '-c:a', 'libopus', '-b:a', '96k', '-f', 'webm', '-live', '1', out]);
    return readFileSync(out);
  };
  return {
    studio,
    scratch,
    call,
    recordTake,
    recorderWebm,
    consentAndApprove: async (draftId, seconds = 12) => {
      // As the Review step does: opening the review gives the draft its consent code, which the statement carries.
      await call('review/state', { draftId });
      await call('review/prepare', { draftId });
      await recordTake(draftId, 'consent', recorderWebm(speechWav(seconds)), 'audio/webm;codecs=opus');
      await call('review/attest', { draftId, operatorName: 'Olive Operator', date: new Date().toISOString().slice(0, 10) });
      const state = await call('review/state', { draftId });
      if (state.blockers.length) throw new Error(`not approvable: ${state.blockers.map((blocker) => blocker.message).join(' ')}`);
      await call('review/approve', { draftId, approvedBy: 'Rhea Reviewer', acknowledgedWarnings: state.warnings.map((warning) => warning.key) });
    },
    close: async () => {
      await studio.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

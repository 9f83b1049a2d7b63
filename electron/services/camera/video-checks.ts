/**
 * What a video take is judged on: its length (1–5 minutes), its picture, its sound (the speech
 * checks of the voice, less the voice file's size and edges) and the light and faces it was recorded
 * with, which were measured live on its frames and is carried over from the take's previous checks.
 */
import { clippingCheck, levelCheck, noiseCheck, silenceCheck, analyseAudio } from '../../../shared/audio-analysis';
import { videoDurationCheck, videoPictureCheck } from '../../../shared/camera';
import type { CheckResult } from '../../../shared/drafts';
import { StudioError } from '../../../shared/errors';
import { exposureCheckIds } from '../../../shared/exposure';
import { faceCheckIds } from '../../../shared/faces';
import type { MediaEngine } from '../media/engine';
import type { TakeChecker } from '../takes/take-checker';

// Measured live while recording, so carried over when the file is checked again.
const liveIds: readonly string[] = [...exposureCheckIds, ...faceCheckIds];

function soundFailure(reason: string): CheckResult {
  return { id: 'sound', label: 'Sound', verdict: 'fail', reason, value: null };
}

export function createVideoTakeChecker(engine: Pick<MediaEngine, 'probe'>): TakeChecker {
  return async ({ file, durationMs, trim, previous, decode }) => {
    const info = await engine.probe(file);
    const startMs = trim?.startMs ?? 0;
    const endMs = trim ? Math.min(trim.endMs, durationMs) : durationMs;
    const checks: CheckResult[] = [videoDurationCheck(endMs - startMs), videoPictureCheck(info.video)];
    if (!info.audio) {
      checks.push(soundFailure('The take has no sound: the microphone delivered nothing. The v2 avatar needs the person speaking.'));
    } else {
      try {
        const { samples, sampleRate } = await decode();
        const from = Math.min(samples.length, Math.round((startMs / 1000) * sampleRate));
        const to = Math.min(samples.length, Math.round((endMs / 1000) * sampleRate));
        const analysis = analyseAudio(samples.subarray(from, to), sampleRate);
        checks.push(levelCheck(analysis), clippingCheck(analysis), noiseCheck(analysis), silenceCheck(analysis));
      } catch (error) {
        checks.push(soundFailure(`The sound could not be read: ${error instanceof StudioError ? error.message : String(error)}`));
      }
    }
    checks.push(...previous.filter((item) => liveIds.includes(item.id)));
    return checks;
  };
}

/** Peaks of a take's sound for its review waveform: the loudest sample of each slice, 0–255. */
export function peaksOf(samples: Float32Array, sampleRate: number, perSecond: number): Uint8Array<ArrayBuffer> {
  const slice = Math.max(1, Math.round(sampleRate / perSecond));
  const peaks = new Uint8Array(Math.ceil(samples.length / slice));
  for (let index = 0; index < peaks.length; index++) {
    let peak = 0;
    const end = Math.min(samples.length, (index + 1) * slice);
    for (let sample = index * slice; sample < end; sample++) {
      const value = Math.abs(samples[sample]!);
      if (value > peak) peak = value;
    }
    peaks[index] = Math.min(255, Math.round(peak * 255));
  }
  return peaks;
}

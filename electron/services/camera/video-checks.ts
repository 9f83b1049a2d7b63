/**
 * What a video take is judged on: its length (1–5 minutes), its picture, its sound (the speech
 * checks of the voice, less the voice file's size and edges) and its light. A recorded take's light
 * was measured live on its frames and is carried over from the take's previous checks; an imported
 * take's is measured once from its frames, sampled by the media engine, with the same functions.
 */
import { clippingCheck, levelCheck, noiseCheck, silenceCheck } from '../../../shared/audio-analysis';
import { videoDurationCheck, videoPictureCheck } from '../../../shared/camera';
import type { CheckResult } from '../../../shared/drafts';
import { StudioError } from '../../../shared/errors';
import { type ExposureAnalysis, analyseExposure, exposureCheckIds, exposureChecks, lumaFromPixels, summariseExposure } from '../../../shared/exposure';
import { exposureQuality } from '../../../shared/requirements';
import type { MediaEngine } from '../media/engine';
import { firstTrack } from '../media/voice-source';
import type { TakeChecker } from '../takes/take-checker';

const exposureIds: readonly string[] = exposureCheckIds;

function soundFailure(reason: string): CheckResult {
  return { id: 'sound', label: 'Sound', verdict: 'fail', reason, value: null };
}

const plain = (error: unknown) => (error instanceof StudioError ? error.message : 'an unexpected error');

/**
 * The light of a video file: its frames sampled as the live check samples the camera (at
 * exposureQuality.sampleWidth pixels across, every exposureQuality.liveIntervalMs), each measured
 * and the take summarised by their median. Null when no frame could be measured.
 */
export async function measureVideoLight(engine: Pick<MediaEngine, 'sampleFrames'>, file: string, signal?: AbortSignal): Promise<ExposureAnalysis | null> {
  const analyses: ExposureAnalysis[] = [];
  const frames = engine.sampleFrames(file, { width: exposureQuality.sampleWidth, framesPerSecond: 1000 / exposureQuality.liveIntervalMs, signal });
  for await (const frame of frames) analyses.push(analyseExposure(lumaFromPixels(frame.data, frame.width, frame.height, frame.channels)));
  return summariseExposure(analyses);
}

export function createVideoTakeChecker(engine: Pick<MediaEngine, 'probe' | 'sampleFrames'>): TakeChecker {
  return async ({ file, durationMs, trim, previous, analyseVoice }) => {
    const info = await engine.probe(file);
    const startMs = trim?.startMs ?? 0;
    const endMs = trim ? Math.min(trim.endMs, durationMs) : durationMs;
    const checks: CheckResult[] = [videoDurationCheck(endMs - startMs), videoPictureCheck(info.video)];
    if (!info.audio) {
      checks.push(soundFailure('The take has no sound: the microphone delivered nothing. The v2 avatar needs the person speaking.'));
    } else {
      try {
        // Streamed like a voice take's sound: memory stays flat at any length. The first track is the one preparation keeps.
        const { analysis } = await analyseVoice(trim ? { startMs, endMs, source: firstTrack } : { source: firstTrack });
        checks.push(levelCheck(analysis), clippingCheck(analysis), noiseCheck(analysis), silenceCheck(analysis));
      } catch (error) {
        checks.push(soundFailure(`The sound could not be read: ${plain(error)}`));
      }
    }
    const carried = previous.filter((item) => exposureIds.includes(item.id));
    if (carried.length > 0) checks.push(...carried);
    else if (info.video) {
      try {
        const light = await measureVideoLight(engine, file);
        if (light) checks.push(...exposureChecks(light));
      } catch (error) {
        // Kept as the light check, so the next trim does not try again.
        checks.push({ id: 'brightness', label: 'Brightness', verdict: 'warn', reason: `The light could not be measured: ${plain(error)}`, value: null });
      }
    }
    return checks;
  };
}

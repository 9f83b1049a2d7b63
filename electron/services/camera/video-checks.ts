/**
 * What a video take is judged on: its length (1–5 minutes), its picture, its sound (the speech
 * checks of the voice, less the voice file's size and edges), its light and its faces. A recorded
 * take's light and faces were measured live on its frames and are carried over from the take's
 * previous checks; an imported take's are measured once from its frames, sampled by the media
 * engine, with the same functions (the faces by the main process's face model).
 */
import { clippingCheck, levelCheck, noiseCheck, silenceCheck } from '../../../shared/audio-analysis';
import { soundOffsetCheck, videoDurationCheck, videoPictureCheck } from '../../../shared/camera';
import type { CheckResult } from '../../../shared/drafts';
import { StudioError } from '../../../shared/errors';
import { type ExposureAnalysis, analyseExposure, exposureCheckIds, exposureChecks, lumaFromPixels, summariseExposure } from '../../../shared/exposure';
import { type FaceRecord, faceCheckIds, faceTakeChecks } from '../../../shared/faces';
import { exposureQuality, faceQuality } from '../../../shared/requirements';
import type { FaceService } from '../faces/face-service';
import type { MediaEngine } from '../media/engine';
import { firstTrack } from '../media/voice-source';
import { type TakeChecker, headerNote } from '../takes/take-checker';

// Measured live while recording (or once, from an import's frames), so carried over when the file is checked again.
const exposureIds: readonly string[] = exposureCheckIds;
const faceIds: readonly string[] = faceCheckIds;

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

/**
 * The faces of a video file, second by second, from its frames sampled upright at the live check's
 * analysis width, `faceQuality.importFramesPerSecond` a second: the record a recording carries.
 */
export function measureVideoFaces(
  engine: Pick<MediaEngine, 'sampleFrames'>,
  faces: Pick<FaceService, 'videoFaces'>,
  file: string,
  signal?: AbortSignal,
): Promise<FaceRecord | null> {
  return faces.videoFaces(engine.sampleFrames(file, { width: faceQuality.analysisWidth, framesPerSecond: faceQuality.importFramesPerSecond, signal }));
}

/**
 * `faces`: the main process's face check; a video whose faces were not seen while it was recorded
 * (an import) has them found in its frames, and the take keeps them as a recording would.
 */
export function createVideoTakeChecker(engine: Pick<MediaEngine, 'probe' | 'sampleFrames'>, faces?: Pick<FaceService, 'videoFaces'>): TakeChecker {
  return async ({ file, durationMs, trim, previous, headerDurationMs, analyseVoice, signal }) => {
    const info = await engine.probe(file, { signal });
    const startMs = trim?.startMs ?? 0;
    const endMs = trim ? Math.min(trim.endMs, durationMs) : durationMs;
    const checks: CheckResult[] = [videoDurationCheck(endMs - startMs), videoPictureCheck(info.video)];
    const header = headerNote(headerDurationMs ?? info.headerDurationMs ?? null, durationMs, 'video');
    if (header) checks.push({ id: 'header', label: 'File header', verdict: 'pass', reason: header, value: durationMs });
    const offset = soundOffsetCheck(info.soundOffsetMs);
    if (offset) checks.push(offset);
    if (!info.audio) {
      // Said of what the file holds: a recording whose microphone gave nothing and an imported file without sound alike.
      checks.push(
        soundFailure('The take has no sound track: no microphone sound was recorded, or the file holds none. The v2 avatar needs the person speaking.'),
      );
    } else {
      try {
        // Streamed like a voice take's sound: memory stays flat at any length. The first track is the one preparation keeps.
        const { analysis } = await analyseVoice(trim ? { startMs, endMs, source: firstTrack } : { source: firstTrack });
        checks.push(levelCheck(analysis), clippingCheck(analysis), noiseCheck(analysis), silenceCheck(analysis));
      } catch (error) {
        signal?.throwIfAborted();
        checks.push(soundFailure(`The sound could not be read: ${plain(error)}`));
      }
    }
    const carried = previous.filter((item) => exposureIds.includes(item.id));
    if (carried.length > 0) checks.push(...carried);
    else if (info.video) {
      try {
        const light = await measureVideoLight(engine, file, signal);
        if (light) checks.push(...exposureChecks(light));
      } catch (error) {
        signal?.throwIfAborted();
        // Kept as the light check, so the next trim does not try again.
        checks.push({ id: 'brightness', label: 'Brightness', verdict: 'warn', reason: `The light could not be measured: ${plain(error)}`, value: null });
      }
    }
    const carriedFaces = previous.filter((item) => faceIds.includes(item.id));
    let found: FaceRecord | null = null;
    if (carriedFaces.length > 0) checks.push(...carriedFaces);
    else if (info.video && faces) {
      try {
        found = await measureVideoFaces(engine, faces, file, signal);
        if (found) checks.push(...faceTakeChecks(found));
      } catch (error) {
        signal?.throwIfAborted();
        // Kept as the face check, so the next trim does not try again.
        checks.push({ id: 'face-one', label: 'One face', verdict: 'warn', reason: `The faces could not be checked: ${plain(error)}`, value: null });
      }
    }
    return found ? { checks, faces: found } : checks;
  };
}

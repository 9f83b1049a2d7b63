/**
 * What a consent take is judged on: long enough to hold the whole statement, and the statement
 * audible. The takes service runs it like any kind's checker after a save or repair.
 */
import { consentDurationCheck } from '../../../shared/approval';
import type { CheckResult } from '../../../shared/drafts';
import { StudioError } from '../../../shared/errors';
import { audioQuality } from '../../../shared/requirements';
import type { MediaEngine } from '../media/engine';
import { firstTrack } from '../media/voice-source';
import type { TakeCheckInput, TakeChecker } from '../takes/take-checker';

export function createConsentTakeChecker(engine: Pick<MediaEngine, 'probe'>): TakeChecker {
  return async ({ file, durationMs, analyseVoice }) => [consentDurationCheck(durationMs), await speechCheck(engine, file, analyseVoice)];
}

async function speechCheck(engine: Pick<MediaEngine, 'probe'>, file: string, analyseVoice: TakeCheckInput['analyseVoice']): Promise<CheckResult> {
  const fail = (reason: string, value: number | null = null): CheckResult => ({ id: 'speech', label: 'Speech', verdict: 'fail', reason, value });
  const info = await engine.probe(file);
  if (!info.audio) return fail('The take has no sound: the statement must be heard.');
  try {
    const { analysis } = await analyseVoice({ source: firstTrack });
    if (analysis.speechRmsDbfs < audioQuality.silentRmsDbfs) return fail('Nothing audible was recorded.', analysis.speechRmsDbfs);
    return { id: 'speech', label: 'Speech', verdict: 'pass', reason: 'Speech is audible.', value: analysis.speechRmsDbfs };
  } catch (error) {
    return fail(`The sound could not be read (${error instanceof StudioError ? error.message : String(error)}).`);
  }
}

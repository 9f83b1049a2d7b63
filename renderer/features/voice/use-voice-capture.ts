/**
 * The voice recorder: the microphone (use-microphone.ts) and the one recording hook
 * (capture/use-take-recorder.ts) taking voice takes from it, seen by the recorder panel as one phase.
 */
import type { Take } from '../../../shared/drafts';
import { voiceRules } from '../../../shared/requirements';
import { type FreshTake, type TakeControl, type TakePhase, useTakeRecorder } from '../../capture/use-take-recorder';
import { type Microphone, useMicrophone } from './use-microphone';

export type CapturePhase = 'off' | 'opening' | 'monitoring' | Exclude<TakePhase, 'idle'>;

export type VoiceCapture = {
  phase: CapturePhase;
  microphone: Microphone;
  take: TakeControl;
  error: string | null;
  notice: string | null;
};

export function useVoiceCapture(draftId: string, events: { onSaved?(take: Take): void; onStopped?(fresh: FreshTake): void } = {}): VoiceCapture {
  const microphone = useMicrophone();
  const take = useTakeRecorder({ draftId, kind: 'voice', maxSeconds: voiceRules.maxSeconds, prepare: microphone.takeInput, ...events });
  const phase: CapturePhase = take.phase !== 'idle' ? take.phase : microphone.phase === 'live' ? 'monitoring' : microphone.phase;
  return {
    phase,
    microphone,
    take,
    error: take.error ?? microphone.error,
    notice: take.notice ?? microphone.notice,
  };
}

/**
 * The voice the twin will speak with: record (with live meters and a teleprompter) or import takes,
 * review and trim them offline with their checks, and choose the one to send.
 */
import { formatDuration } from '../../../shared/audio-analysis';
import { chosenVideoTake } from '../../../shared/approval';
import { voiceFromVideo } from '../../../shared/camera';
import { draftStatus } from '../../../shared/draft-status';
import type { Draft } from '../../../shared/drafts';
import { voiceRules } from '../../../shared/requirements';
import { durationLimits } from '../../capture/DurationMeter';
import { ImportTake } from '../../capture/ImportTake';
import { RecoveredTakes } from '../../capture/RecoveredTakes';
import { TakeList, takesSummary } from '../../capture/TakeList';
import { OpenTakeReview } from '../../capture/TakeReview';
import { useTakeChoice } from '../../capture/use-take-choice';
import { routeHref } from '../../navigation/router';
import { Notice } from '../../ui/Notice';
import { Screen } from '../../ui/Screen';
import { RecorderPanel } from './RecorderPanel';
import { Teleprompter } from './Teleprompter';
import { useVoiceCapture } from './use-voice-capture';

export function VoiceScreen({ draft }: { draft: Draft }) {
  const takes = draft.voice.takes;
  const chosenId = draft.voice.chosenTakeId;
  const choice = useTakeChoice(draft.id, takes, chosenId);
  const capture = useVoiceCapture(draft.id, { onSaved: choice.onSaved, onStopped: choice.onStopped });
  const recording = capture.phase === 'recording';
  const fromVideo = voiceFromVideo(draft);
  const activeTakeId = capture.take.takeId;

  return (
    <Screen
      title="Voice"
      intro={`One to five minutes of natural speech, recorded as it is. The twin’s voice is cloned from it: longer and more natural is better (${voiceRules.minSeconds}–${voiceRules.maxSeconds} s, at most ${voiceRules.maxBytes / 1024 / 1024} MB after preparation).`}
    >
      <div className="voice-layout">
        {fromVideo && <VoiceFromVideo draft={draft} />}
        <RecoveredTakes
          kind="voice"
          takes={takes}
          onReview={choice.review}
          onKeep={(takeId) => void choice.keep(takeId)}
          onDiscard={(takeId) => void choice.discard(takeId)}
        />
        {choice.error && <Notice tone="error">{choice.error}</Notice>}

        <div className="voice-capture">
          <RecorderPanel capture={capture} />
          <Teleprompter recording={recording} />
        </div>

        <OpenTakeReview draftId={draft.id} kind="voice" choice={choice} fresh={capture.take.fresh} chosenId={chosenId} limits={durationLimits(voiceRules)} />

        <section className="panel" aria-labelledby="takes-title">
          <header className="panel-header">
            <h3 id="takes-title">Takes</h3>
            <span className="muted small">{takesSummary(takes, chosenId)}</span>
          </header>
          {fromVideo && takes.length === 0 ? (
            <p className="muted takes-empty">No voice takes, and none is needed while the voice is the video’s sound.</p>
          ) : (
            <TakeList
              kind="voice"
              takes={takes}
              chosenId={chosenId}
              reviewId={choice.reviewId}
              recording={activeTakeId ? { takeId: activeTakeId, meters: capture.take.meters } : null}
              onReview={choice.review}
              label="Takes"
              empty="No takes yet. Record one above, or import an existing recording."
            />
          )}
          <ImportTake draftId={draft.id} kind="voice" onImported={choice.onSaved} wholePage />
        </section>
      </div>
    </Screen>
  );
}

/**
 * Said first when the Camera step's "use this video's audio as the voice" is on: the voice step is
 * then done by the video (the step bar says so too, from the same status), and a take here is not sent.
 */
function VoiceFromVideo({ draft }: { draft: Draft }) {
  const voice = draftStatus(draft).steps.find((step) => step.step === 'voice');
  const video = chosenVideoTake(draft);
  const camera = <a href={routeHref({ screen: 'draft', draftId: draft.id, step: 'camera' })}>Camera step</a>;
  return (
    <div data-testid="voice-from-video">
      <Notice tone="info" title="The voice comes from the video’s sound">
        {voice?.done && video ? (
          <>
            The twin’s voice is cloned from the sound of the chosen video take (
            {video.durationMs !== null ? formatDuration(video.durationMs) : 'length unknown'}), so no voice take is needed or sent.
          </>
        ) : (
          <>The twin’s voice will be cloned from the sound of the video you choose on the {camera}; no voice take is needed or sent.</>
        )}{' '}
        To send a separate voice recording instead (usually cleaner), turn off “Use this video’s audio as the voice” on the {camera}.
      </Notice>
    </div>
  );
}

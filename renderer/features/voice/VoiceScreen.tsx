/**
 * The voice the twin will speak with: record (with live meters and a teleprompter) or import takes,
 * review and trim them offline with their checks, and choose the one to send.
 */
import { useCallback, useEffect, useState } from 'react';
import { formatDuration, overallVerdict } from '../../../shared/audio-analysis';
import { chosenVideoTake } from '../../../shared/approval';
import { voiceFromVideo } from '../../../shared/camera';
import { draftStatus } from '../../../shared/draft-status';
import type { Draft, Take } from '../../../shared/drafts';
import { voiceRules } from '../../../shared/requirements';
import { asStudioError, useStudio } from '../../api/studio-context';
import { routeHref } from '../../app/router';
import { Notice } from '../../ui/Notice';
import { Screen } from '../../ui/Screen';
import { ImportRecording } from './ImportRecording';
import { RecorderPanel } from './RecorderPanel';
import { TakeList } from './TakeList';
import { TakeReview } from './TakeReview';
import { Teleprompter } from './Teleprompter';
import { useVoiceCapture } from './use-voice-capture';

export function VoiceScreen({ draft }: { draft: Draft }) {
  const studio = useStudio();
  const takes = draft.voice.takes;
  const chosenId = draft.voice.chosenTakeId;
  const [reviewId, setReviewId] = useState<string | null>(() => chosenId ?? takes.at(-1)?.id ?? null);
  const [error, setError] = useState<string | null>(null);

  const onSaved = useCallback(
    (take: Take) => {
      setReviewId(take.id);
      // The first usable take becomes the chosen one; later takes are chosen deliberately.
      if (!chosenId && overallVerdict(take.checks) !== 'fail') {
        void studio.call('takes/choose', { draftId: draft.id, takeId: take.id }).catch(() => undefined);
      }
    },
    [studio, draft.id, chosenId],
  );
  const capture = useVoiceCapture(draft.id, onSaved);

  // Takes whose recorder went away (a closed or crashed window) are repaired and offered back.
  useEffect(() => {
    void studio.call('takes/recover', { draftId: draft.id }).catch(() => undefined);
  }, [studio, draft.id]);

  useEffect(() => {
    if (capture.fresh) setReviewId(capture.fresh.takeId);
  }, [capture.fresh]);

  const reviewTake = takes.find((take) => take.id === reviewId) ?? null;
  const freshForReview = capture.fresh && capture.fresh.takeId === reviewId ? capture.fresh : null;
  const recovered = takes.filter((take) => take.state === 'recovered');
  const recording = capture.phase === 'recording';
  const fromVideo = voiceFromVideo(draft);

  async function act(work: () => Promise<unknown>) {
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(asStudioError(failure).message);
    }
  }

  const choose = (takeId: string) => act(() => studio.call('takes/choose', { draftId: draft.id, takeId }));
  const keep = (takeId: string) => act(() => studio.call('takes/keep', { draftId: draft.id, takeId }));
  const discard = (takeId: string) =>
    act(async () => {
      await studio.call('takes/discard', { draftId: draft.id, takeId });
      if (reviewId === takeId) setReviewId(null);
    });

  return (
    <Screen
      title="Voice"
      intro={`One to five minutes of natural speech, recorded as it is. The twin’s voice is cloned from it: longer and more natural is better (${voiceRules.minSeconds}–${voiceRules.maxSeconds} s, at most ${voiceRules.maxBytes / 1024 / 1024} MB after preparation).`}
    >
      <div className="voice-layout">
        {fromVideo && <VoiceFromVideo draft={draft} />}
        {recovered.length > 0 && (
          <Notice tone="warn" title={recovered.length === 1 ? 'A take was recovered' : `${recovered.length} takes were recovered`}>
            <p className="notice-text">
              {recovered.length === 1 ? 'This take was' : 'These takes were'} not finished normally: the studio or its window stopped mid-take.
              What reached the disk has been kept and repaired where possible. Listen, then keep or discard.
            </p>
            <ul className="recovered-list">
              {recovered.map((take) => (
                <li key={take.id} data-take={take.id}>
                  <span>
                    Recovered take · {take.durationMs !== null ? formatDuration(take.durationMs) : 'unreadable'} · {new Date(take.createdAt).toLocaleString()}
                  </span>
                  <button type="button" className="button" onClick={() => setReviewId(take.id)}>
                    Review
                  </button>
                  <button type="button" className="button button-primary" onClick={() => void keep(take.id)} disabled={take.durationMs === null}>
                    Keep
                  </button>
                  <button type="button" className="button button-quiet" onClick={() => void discard(take.id)}>
                    Discard
                  </button>
                </li>
              ))}
            </ul>
          </Notice>
        )}
        {error && <Notice tone="error">{error}</Notice>}

        <div className="voice-capture">
          <RecorderPanel capture={capture} />
          <Teleprompter recording={recording} />
        </div>

        {(reviewTake || freshForReview) && (
          <TakeReview
            key={reviewTake?.id ?? freshForReview?.takeId}
            draftId={draft.id}
            take={reviewTake}
            index={reviewTake ? takes.indexOf(reviewTake) : takes.length}
            fresh={freshForReview}
            chosen={reviewTake !== null && reviewTake.id === chosenId}
            onChoose={() => reviewTake && void choose(reviewTake.id)}
            onDiscard={() => reviewTake && void discard(reviewTake.id)}
            onKeep={() => reviewTake && void keep(reviewTake.id)}
          />
        )}

        <section className="panel" aria-labelledby="takes-title">
          <header className="panel-header">
            <h3 id="takes-title">Takes</h3>
            <span className="muted small">
              {takes.length === 0 ? 'none yet' : `${takes.length} in this draft${chosenId ? ' · one chosen' : ' · none chosen yet'}`}
            </span>
          </header>
          {fromVideo && takes.length === 0 ? (
            <p className="muted takes-empty">No voice takes, and none is needed while the voice is the video’s sound.</p>
          ) : (
            <TakeList takes={takes} chosenId={chosenId} reviewId={reviewId} recordingId={capture.activeTakeId} onReview={setReviewId} />
          )}
          <ImportRecording draftId={draft.id} onImported={(take) => setReviewId(take.id)} />
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
            The twin’s voice is cloned from the sound of the chosen video take ({video.durationMs !== null ? formatDuration(video.durationMs) : 'length unknown'}), so no voice
            take is needed or sent.
          </>
        ) : (
          <>The twin’s voice will be cloned from the sound of the video you choose on the {camera}; no voice take is needed or sent.</>
        )}{' '}
        To send a separate voice recording instead (usually cleaner), turn off “Use this video’s audio as the voice” on the {camera}.
      </Notice>
    </div>
  );
}

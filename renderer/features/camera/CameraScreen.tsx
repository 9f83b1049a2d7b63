/**
 * The avatar's source, by the draft's model: v2 records speaking video takes (with the option to
 * take the twin's voice from the chosen one) or, when the person chooses, is made from a photo; v1
 * takes or imports a 16:9 reference photo. Both share one camera session with guides, a live
 * exposure check and the live face check.
 */
import { useCallback, useState } from 'react';
import { overallVerdict } from '../../../shared/audio-analysis';
import { appearanceOf } from '../../../shared/camera';
import type { Draft, Photo, V2Appearance } from '../../../shared/drafts';
import { photoRules, videoRules } from '../../../shared/requirements';
import { useAct, useStudio } from '../../api/studio-context';
import { durationLimits } from '../../capture/DurationMeter';
import { ImportTake } from '../../capture/ImportTake';
import { RecoveredTakes } from '../../capture/RecoveredTakes';
import { TakeList, takesSummary } from '../../capture/TakeList';
import { OpenTakeReview } from '../../capture/TakeReview';
import { useFaceCheck } from '../../capture/use-face-check';
import { useTakeChoice } from '../../capture/use-take-choice';
import { routeHref } from '../../navigation/router';
import { Notice } from '../../ui/Notice';
import { Screen } from '../../ui/Screen';
import { PhotoGallery } from './PhotoGallery';
import { PhotoPanel } from './PhotoPanel';
import { VideoRecorderPanel } from './VideoRecorderPanel';
import { useCamera } from './use-camera';
import { usePhoto } from './use-photo';
import { useVideoTake } from './use-video-take';

export function CameraScreen({ draft }: { draft: Draft }) {
  const v2 = draft.person.avatarVersion === 'v2';
  const fromVideo = appearanceOf(draft) === 'video';
  const personLink = <a href={routeHref({ screen: 'draft', draftId: draft.id, step: 'person' })}>Person step</a>;
  return (
    <Screen
      title="Camera"
      intro={
        v2 && !fromVideo ? (
          <>
            This v2 avatar is made from a photo (a video gives the best result): 16:9, at least {photoRules.minWidth}×{photoRules.minHeight}, looking into the
            camera, well lit. The voice comes from the voice take. (The model is chosen on the {personLink}.)
          </>
        ) : v2 ? (
          <>
            Avatar v2 is made from a video: {videoRules.minSeconds / 60}–{videoRules.maxSeconds / 60} minutes of the person speaking naturally, head and
            shoulders, evenly lit, with clear sound. (The model is chosen on the {personLink}.)
          </>
        ) : (
          <>
            Avatar v1 is made from a photo: 16:9, at least {photoRules.minWidth}×{photoRules.minHeight}, looking into the camera, framed from about the waist
            up, well lit. (The model is chosen on the {personLink}.)
          </>
        )
      }
    >
      {v2 && <V2AppearanceChoice draft={draft} />}
      <div className="camera-screen">{fromVideo ? <VideoCapture draft={draft} /> : <PhotoCapture draft={draft} />}</div>
    </Screen>
  );
}

/** v2 only: the avatar from a speaking video (best) or, when there is none, from a photo. */
function V2AppearanceChoice({ draft }: { draft: Draft }) {
  const studio = useStudio();
  const { error, act } = useAct();
  // Shown at once; the draft's own value wins when it arrives (or stays, if the call was refused).
  const [from, setFrom] = useShownAtOnce(draft.camera.v2AppearanceFrom);
  const choose = (next: V2Appearance) => {
    setFrom(next);
    void act(async () => {
      try {
        await studio.call('camera/v2AppearanceFrom', { draftId: draft.id, from: next });
      } catch (failure) {
        setFrom(draft.camera.v2AppearanceFrom);
        throw failure;
      }
    });
  };
  return (
    <fieldset className="panel v2-appearance" data-testid="v2-appearance">
      <legend>Make the v2 avatar from</legend>
      <label className="choice">
        <input type="radio" name="v2-appearance" checked={from === 'video'} onChange={() => choose('video')} /> a speaking video (best: lip sync and
        expressions)
      </label>
      <label className="choice">
        <input type="radio" name="v2-appearance" checked={from === 'photo'} onChange={() => choose('photo')} /> a photo, when there is no video
      </label>
      {error && <Notice tone="error">{error}</Notice>}
    </fieldset>
  );
}

/** A choice shown the moment it is made, until the draft's own value changes (it then wins). */
function useShownAtOnce<T>(saved: T): [T, (next: T) => void] {
  const [choice, setChoice] = useState({ saved, shown: saved });
  if (choice.saved !== saved) setChoice({ saved, shown: saved });
  const shown = choice.saved === saved ? choice.shown : saved;
  return [shown, (next) => setChoice({ saved, shown: next })];
}

function VideoCapture({ draft }: { draft: Draft }) {
  const studio = useStudio();
  const takes = draft.camera.videoTakes;
  const chosenId = draft.camera.chosenVideoTakeId;
  const choice = useTakeChoice(draft.id, takes, chosenId);
  const { error, act } = useAct();
  const session = useCamera('v2');
  // Descriptors too: the take keeps the face's, to compare with the consent take's.
  const faces = useFaceCheck({ video: session.video, active: session.phase === 'live', version: 'v2', descriptors: true });
  const take = useVideoTake(draft.id, session, faces, { onSaved: choice.onSaved, onStopped: choice.onStopped });
  const [voiceFromVideo, setVoiceFromVideo] = useShownAtOnce(draft.camera.useVideoAudioAsVoice);

  return (
    <>
      <RecoveredTakes
        kind="video"
        takes={takes}
        onReview={choice.review}
        onKeep={(takeId) => void choice.keep(takeId)}
        onDiscard={(takeId) => void choice.discard(takeId)}
      />
      {(choice.error ?? error) && <Notice tone="error">{choice.error ?? error}</Notice>}
      <VideoRecorderPanel session={session} take={take} faces={faces} />

      <section className="panel voice-from-video" aria-labelledby="voice-from-video-title">
        <h3 id="voice-from-video-title" className="visually-hidden">
          The twin’s voice
        </h3>
        <label className="choice">
          <input
            type="checkbox"
            checked={voiceFromVideo}
            onChange={(event) => {
              const enabled = event.target.checked;
              // Shown at once; put back if the studio refuses.
              setVoiceFromVideo(enabled);
              void act(() =>
                studio.call('camera/useVideoAudioAsVoice', { draftId: draft.id, enabled }).catch((failure: unknown) => {
                  setVoiceFromVideo(!enabled);
                  throw failure;
                }),
              );
            }}
          />
          <span>
            <strong>Use this video’s audio as the voice</strong>
            <span className="hint">
              {voiceFromVideo
                ? ' On: no separate voice take is needed; the twin’s voice is cloned from the chosen video take, so its sound checks matter as much as the picture.'
                : ' Off: the voice comes from the Voice step, recorded on its own (usually cleaner). Turn on to let the service clone the voice from the chosen video instead.'}
            </span>
          </span>
        </label>
      </section>

      <OpenTakeReview draftId={draft.id} kind="video" choice={choice} fresh={take.fresh} chosenId={chosenId} limits={durationLimits(videoRules)} />

      <section className="panel" aria-labelledby="video-takes-title">
        <header className="panel-header">
          <h3 id="video-takes-title">Video takes</h3>
          <span className="muted small">{takesSummary(takes, chosenId)}</span>
        </header>
        <TakeList
          kind="video"
          takes={takes}
          chosenId={chosenId}
          reviewId={choice.reviewId}
          recording={take.takeId ? { takeId: take.takeId, meters: take.meters } : null}
          onReview={choice.review}
          label="Video takes"
          empty="No video takes yet. Turn the camera on and record one above, or import a video."
        />
        <ImportTake draftId={draft.id} kind="video" onImported={choice.onSaved} />
      </section>
    </>
  );
}

function PhotoCapture({ draft }: { draft: Draft }) {
  const studio = useStudio();
  const photos = draft.camera.photos;
  const chosenId = draft.camera.chosenPhotoId;
  const [selectedId, setSelectedId] = useState<string | null>(() => chosenId ?? photos.at(-1)?.id ?? null);
  const { error, act } = useAct();
  const session = useCamera('v1');
  const faces = useFaceCheck({ video: session.video, active: session.phase === 'live', version: 'v1' });

  const onSaved = useCallback(
    (photo: Photo) => {
      setSelectedId(photo.id);
      if (!chosenId && overallVerdict(photo.checks) !== 'fail') {
        void studio.call('camera/photoChoose', { draftId: draft.id, photoId: photo.id }).catch(() => undefined);
      }
    },
    [studio, draft.id, chosenId],
  );
  const control = usePhoto(draft.id, session, onSaved);

  return (
    <>
      {error && <Notice tone="error">{error}</Notice>}
      <PhotoPanel session={session} photo={control} faces={faces} />
      <PhotoGallery
        draftId={draft.id}
        photos={photos}
        chosenId={chosenId}
        selectedId={selectedId}
        control={control}
        onSelect={setSelectedId}
        onChoose={(photoId) => void act(() => studio.call('camera/photoChoose', { draftId: draft.id, photoId }))}
        onDiscard={(photoId) =>
          void act(async () => {
            await studio.call('camera/photoDiscard', { draftId: draft.id, photoId });
            if (selectedId === photoId) setSelectedId(null);
          })
        }
      />
    </>
  );
}

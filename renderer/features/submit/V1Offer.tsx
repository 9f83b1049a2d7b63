/**
 * The way on when the service answers `CompanionV2NotEnabled`: submit the twin as v1, made from a
 * photo the person picks (one of the draft's, or a still taken from the chosen video). Nothing is
 * changed until they press the button; the switch keeps every recording and upload, and the draft
 * is approved again before it is sent.
 */
import { useState } from 'react';
import { approvalState, chosenVideoTake } from '../../../shared/approval';
import { overallVerdict } from '../../../shared/audio-analysis';
import { voiceFromVideo } from '../../../shared/camera';
import type { Submission } from '../../../shared/contract/submission';
import type { Draft } from '../../../shared/drafts';
import { serviceErrorCodes } from '../../../shared/napster';
import { mediaPath } from '../../../shared/transport';
import { asStudioError, useStudio } from '../../api/studio-context';
import { routeHref } from '../../navigation/router';
import { Notice } from '../../ui/Notice';
import { ChecksList, verdictSummary } from '../../capture/ChecksList';

/** Whether the submission stopped because v2 is not enabled for the organisation. */
export function v2WasRefused(submission: Submission): boolean {
  return submission.state === 'failed' && submission.error?.serviceCode === serviceErrorCodes.v2NotEnabled;
}

export function V1Offer({ draft, submission, onSwitched }: { draft: Draft; submission: Submission; onSwitched?: () => void }) {
  const studio = useStudio();
  const photos = draft.camera.photos;
  const video = chosenVideoTake(draft);
  const [selectedId, setSelectedId] = useState<string | null>(() => draft.camera.chosenPhotoId ?? photos.at(-1)?.id ?? null);
  const [busy, setBusy] = useState<'still' | 'switch' | null>(null);
  const [error, setError] = useState<string | null>(null);

  if (!v2WasRefused(submission)) return null;
  const review = routeHref({ screen: 'draft', draftId: draft.id, step: 'review' });

  if (draft.person.avatarVersion === 'v1') {
    // Switched: what is left is the approval of the new material, then "Try again".
    return approvalState(draft) === 'approved' ? (
      <Notice tone="info" title="Now a v1 twin">
        Approved as v1. Press “Try again” to submit it.
      </Notice>
    ) : (
      <Notice tone="info" title="Now a v1 twin">
        The draft now makes a v1 twin from the chosen photo; everything else is as it was.{' '}
        <a href={review}>Prepare the files and approve again on the Review step</a>, then come back and press “Try again”.
      </Notice>
    );
  }

  const selected = photos.find((photo) => photo.id === selectedId) ?? null;

  async function takeStill() {
    setBusy('still');
    setError(null);
    try {
      const photo = await studio.call('camera/photoFromVideo', { draftId: draft.id });
      setSelectedId(photo.id);
    } catch (caught) {
      setError(asStudioError(caught).message);
    } finally {
      setBusy(null);
    }
  }

  async function switchToV1() {
    if (!selected) return;
    setBusy('switch');
    setError(null);
    try {
      await studio.call('submission/switchToV1', { draftId: draft.id, photoId: selected.id });
      onSwitched?.();
    } catch (caught) {
      setError(asStudioError(caught).message);
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="panel v1-offer" aria-labelledby="v1-offer-title" data-testid="v1-offer">
      <div className="panel-header">
        <h3 id="v1-offer-title">Submit as v1 instead</h3>
      </div>
      <p>
        A v1 twin is made from a 16:9 photo and the voice, and is ready sooner (at a lower quality than v2). The recordings, photos and uploaded files all stay;
        only the model changes, so the draft is approved again on the Review step before it is sent.
      </p>
      {voiceFromVideo(draft) && (
        <Notice tone="warn">
          This draft takes its voice from the video, which a v1 twin cannot do: it also needs a voice take.{' '}
          <a href={routeHref({ screen: 'draft', draftId: draft.id, step: 'voice' })}>Record or import one on the Voice step.</a>
        </Notice>
      )}
      {photos.length === 0 ? (
        <p className="muted">
          This draft has no photo yet.{video ? ' Take a still from the chosen video, or ' : ' '}
          <a href={routeHref({ screen: 'draft', draftId: draft.id, step: 'camera' })}>take or import a photo on the Camera step</a>.
        </p>
      ) : (
        <fieldset className="v1-offer-photos">
          <legend>The photo to make the twin from</legend>
          {photos.map((photo, index) => (
            <label key={photo.id} className="choice" data-photo={photo.id}>
              <input type="radio" name="v1-photo" checked={photo.id === selectedId} onChange={() => setSelectedId(photo.id)} />
              <img className="v1-offer-thumb" src={mediaPath(draft.id, photo.fileName)} alt="" />
              <span>
                {photo.originalName ?? `Photo ${index + 1}`} · {photo.width}×{photo.height} ·{' '}
                <span className={`take-verdict verdict-${overallVerdict(photo.checks) ?? 'none'}`}>{verdictSummary(photo.checks)}</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {selected && selected.checks.length > 0 && <ChecksList checks={selected.checks} />}
      {selected && overallVerdict(selected.checks) === 'fail' && (
        <p className="hint">This photo fails a check, so the draft could not be approved with it: choose another, or take a new photo on the Camera step.</p>
      )}
      {error && <Notice tone="error">{error}</Notice>}
      <div className="button-row">
        {video && (
          <button type="button" className="button" onClick={() => void takeStill()} disabled={busy !== null}>
            {busy === 'still' ? 'Taking a still…' : 'Take a still from the video'}
          </button>
        )}
        <button type="button" className="button button-primary" onClick={() => void switchToV1()} disabled={busy !== null || !selected}>
          {busy === 'switch' ? 'Switching…' : 'Switch to v1 with this photo'}
        </button>
      </div>
      {video && <p className="hint small">The still is taken from the middle of the chosen video take (its trimmed part), cropped to 16:9 like a photo.</p>}
    </section>
  );
}

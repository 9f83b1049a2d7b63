/** The material as it will be submitted: the form fields, the chosen voice take, the chosen video or photo, each with its checks. */
import { chosenPhoto, chosenVideoTake, chosenVoiceTake } from '../../../shared/approval';
import { formatDuration } from '../../../shared/audio-analysis';
import { appearanceOf } from '../../../shared/camera';
import type { Draft } from '../../../shared/drafts';
import { mediaPath } from '../../../shared/transport';
import { routeHref } from '../../navigation/router';
import { FactList } from '../../ui/Screen';
import { ChecksList, verdictSummary } from '../../capture/ChecksList';
import { WaveformPlayer } from './WaveformPlayer';

const genderWords = { male: 'Male', female: 'Female', nonBinary: 'Non-binary' } as const;

function missing(text: string) {
  return <span className="value-missing">{text}</span>;
}

export function PersonMaterial({ draft }: { draft: Draft }) {
  const person = draft.person;
  const tags = Object.entries(person.tags);
  return (
    <section className="panel" aria-labelledby="review-person-title">
      <div className="panel-header">
        <h3 id="review-person-title">Person</h3>
        <a className="small" href={routeHref({ screen: 'draft', draftId: draft.id, step: 'person' })}>
          Edit
        </a>
      </div>
      <FactList
        items={[
          ['First name', person.firstName || missing('missing')],
          ['Last name', person.lastName || missing('missing')],
          ['Gender', person.gender ? genderWords[person.gender] : missing('missing')],
          ['Ethnicity', person.ethnicity || missing('missing')],
          ['Client id', person.externalClientId ? <span className="path">{person.externalClientId}</span> : missing('missing')],
          ['Twin', `${person.avatarVersion} · from a ${appearanceOf(draft)}`],
        ]}
      />
      <dl className="fact fact-wide">
        <dt>Description (becomes the agent’s instructions)</dt>
        <dd className="description-text">{person.description || missing('missing')}</dd>
      </dl>
      {tags.length > 0 && (
        <p className="small">
          <span className="muted">Tags: </span>
          {tags.map(([key, value]) => (
            <span key={key} className="badge">
              {key}: {value}
            </span>
          ))}
        </p>
      )}
    </section>
  );
}

export function VoiceMaterial({ draft }: { draft: Draft }) {
  const take = chosenVoiceTake(draft);
  return (
    <section className="panel" aria-labelledby="review-voice-title">
      <div className="panel-header">
        <h3 id="review-voice-title">Voice</h3>
        {take && <span className="muted small">{verdictSummary(take.checks)}</span>}
      </div>
      {take ? (
        <>
          <WaveformPlayer draftId={draft.id} take={take} label="the chosen voice take" />
          <ChecksList checks={take.checks} />
        </>
      ) : (
        <p className="muted">
          No voice take chosen yet. <a href={routeHref({ screen: 'draft', draftId: draft.id, step: 'voice' })}>Record or choose one</a>.
        </p>
      )}
    </section>
  );
}

export function CameraMaterial({ draft }: { draft: Draft }) {
  if (appearanceOf(draft) === 'photo') {
    const photo = chosenPhoto(draft);
    return (
      <section className="panel" aria-labelledby="review-camera-title">
        <div className="panel-header">
          <h3 id="review-camera-title">Photo</h3>
          {photo && <span className="muted small">{photo.checks.length ? verdictSummary(photo.checks) : `${photo.width}×${photo.height}`}</span>}
        </div>
        {photo ? (
          <>
            <img className="review-photo" src={mediaPath(draft.id, photo.fileName)} alt={`Reference photo, ${photo.width}×${photo.height}`} />
            {photo.checks.length > 0 && <ChecksList checks={photo.checks} />}
          </>
        ) : (
          <p className="muted">
            No photo chosen yet. <a href={routeHref({ screen: 'draft', draftId: draft.id, step: 'camera' })}>Take or choose one</a>.
          </p>
        )}
      </section>
    );
  }
  const video = chosenVideoTake(draft);
  return (
    <section className="panel" aria-labelledby="review-camera-title">
      <div className="panel-header">
        <h3 id="review-camera-title">Video</h3>
        {video && (
          <span className="muted small">
            {formatDuration(video.durationMs ?? 0)}
            {video.checks.length > 0 && ` · ${verdictSummary(video.checks)}`}
          </span>
        )}
      </div>
      {draft.camera.useVideoAudioAsVoice && <p className="hint">The twin’s voice comes from this video’s sound; no separate voice file is submitted.</p>}
      {video ? (
        <>
          <video className="review-video" controls preload="metadata" src={mediaPath(draft.id, video.fileName)} aria-label="The chosen video take" />
          {video.checks.length > 0 && <ChecksList checks={video.checks} />}
        </>
      ) : (
        <p className="muted">
          No video chosen yet. <a href={routeHref({ screen: 'draft', draftId: draft.id, step: 'camera' })}>Record or choose one</a>.
        </p>
      )}
    </section>
  );
}

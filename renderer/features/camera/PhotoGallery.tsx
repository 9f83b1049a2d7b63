/**
 * The draft's photos: a gallery to compare shots, the selected one large with its checks, the
 * chosen one marked; and importing a picture instead, by drop or file picker.
 */
import { useState } from 'react';
import { overallVerdict } from '../../../shared/audio-analysis';
import type { Photo } from '../../../shared/drafts';
import { photoRules } from '../../../shared/requirements';
import { mediaPath } from '../../../shared/transport';
import { ChecksList, verdictSummary } from '../../capture/ChecksList';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { FileDrop } from '../../ui/FileDrop';
import type { PhotoControl } from './use-photo';
import { PhotoFrame, PhotoView } from './PhotoView';

function photoName(photo: Photo, number: number): string {
  return photo.source === 'imported' ? (photo.originalName ?? `Imported picture ${number}`) : `Photo ${number}`;
}

export function PhotoGallery({
  draftId,
  photos,
  chosenId,
  selectedId,
  control,
  onSelect,
  onChoose,
  onDiscard,
}: {
  draftId: string;
  photos: readonly Photo[];
  chosenId: string | null;
  selectedId: string | null;
  control: PhotoControl;
  onSelect: (photoId: string) => void;
  onChoose: (photoId: string) => void;
  onDiscard: (photoId: string) => void;
}) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const selected = photos.find((photo) => photo.id === selectedId) ?? null;
  const selectedNumber = selected ? photos.indexOf(selected) + 1 : 0;
  const importing = control.phase === 'importing';
  const shot = control.shot;

  return (
    <section className="panel photo-gallery" aria-labelledby="photos-title">
      <header className="panel-header">
        <h3 id="photos-title">Photos</h3>
        <span className="muted small">
          {photos.length === 0
            ? shot
              ? 'the first one being checked'
              : 'none yet'
            : `${photos.length} in this draft${shot ? ', one more being checked' : ''}${chosenId ? ' · one chosen' : ' · none chosen yet'}`}
        </span>
      </header>

      {photos.length === 0 && !shot ? (
        <p className="muted takes-empty">No photos yet. Take one above, or import a picture.</p>
      ) : (
        <ul className="photo-grid" aria-label="Photos">
          {photos.map((photo, index) => {
            const verdict = overallVerdict(photo.checks);
            return (
              <li key={photo.id} data-photo={photo.id}>
                <button
                  type="button"
                  className={photo.id === selectedId && !shot ? 'photo-thumb open' : 'photo-thumb'}
                  onClick={() => onSelect(photo.id)}
                  aria-current={photo.id === selectedId && !shot ? 'true' : undefined}
                >
                  <img src={mediaPath(draftId, photo.fileName)} alt="" loading="lazy" />
                  <span className="photo-thumb-name">
                    {photoName(photo, index + 1)}
                    {photo.id === chosenId && <span className="badge badge-chosen">Chosen</span>}
                  </span>
                  <span className={`take-verdict verdict-${verdict ?? 'none'}`}>{verdictSummary(photo.checks)}</span>
                </button>
              </li>
            );
          })}
          {shot && (
            <li data-photo="pending">
              <div className="photo-thumb open" aria-current="true">
                <img src={shot.src} alt="" />
                <span className="photo-thumb-name">Photo {photos.length + 1}</span>
                <span className="take-verdict verdict-none">Checking…</span>
              </div>
            </li>
          )}
        </ul>
      )}

      {shot ? (
        <div className="photo-detail" data-photo="pending" data-testid="photo-pending">
          <PhotoFrame width={shot.width} height={shot.height} src={shot.src} alt={`Photo ${photos.length + 1}, ${shot.width}×${shot.height}, being checked`} />
          <div className="photo-detail-side">
            <div className="review-title">
              <strong>Photo {photos.length + 1}</strong>
              <span className="muted small">
                {shot.width}×{shot.height} · from the camera · just now
              </span>
            </div>
            <div className="review-badges photo-badges">
              <span className="badge badge-none" role="status">
                Storing and checking…
              </span>
            </div>
            <p className="muted small">Its checks (size, light, one face and where it sits) appear here in a moment.</p>
          </div>
        </div>
      ) : (
        selected && (
          <div className="photo-detail" data-photo={selected.id}>
            <PhotoView
              photo={selected}
              src={mediaPath(draftId, selected.fileName)}
              alt={`${photoName(selected, selectedNumber)}, ${selected.width}×${selected.height}`}
            />
            <div className="photo-detail-side">
              <div className="review-title">
                <strong>{photoName(selected, selectedNumber)}</strong>
                <span className="muted small">
                  {selected.width}×{selected.height} · {selected.source === 'camera' ? 'from the camera' : 'imported'} ·{' '}
                  {new Date(selected.createdAt).toLocaleString()}
                </span>
              </div>
              <div className="review-badges photo-badges">
                {selected.id === chosenId && <span className="badge badge-chosen">Chosen photo</span>}
                <span className={`badge badge-${overallVerdict(selected.checks) ?? 'pass'}`} data-testid="photo-verdict">
                  {verdictSummary(selected.checks)}
                </span>
              </div>
              <ChecksList checks={selected.checks} />
              <div className="review-actions">
                <button type="button" className="button" onClick={() => onChoose(selected.id)} disabled={selected.id === chosenId}>
                  {selected.id === chosenId ? 'This is the chosen photo' : 'Use this photo'}
                </button>
                <button type="button" className="button button-quiet" onClick={() => setConfirming(selected.id)}>
                  Discard
                </button>
              </div>
            </div>
          </div>
        )
      )}

      <FileDrop
        title="Import a picture"
        hint={`A JPEG, PNG, WebP, AVIF or TIFF whose 16:9 middle is at least ${photoRules.minWidth}×${photoRules.minHeight}; the avatar is made from that 16:9 part (marked on the photo), and it gets the same checks as a photo.`}
        button={importing ? 'Importing…' : 'Choose picture…'}
        accept="image/jpeg,image/png,image/webp,image/avif,image/tiff,image/heic,image/heif,.jpg,.jpeg,.png,.webp,.avif,.tif,.tiff,.heic,.heif"
        inputLabel="Import a picture"
        busy={importing}
        onFile={(file) => void control.importFile(file)}
        refusal={control.importError}
      />

      <ConfirmDialog
        open={confirming !== null}
        title="Discard this photo?"
        message="The photo is deleted from this draft. Other photos are not affected."
        confirmLabel="Discard photo"
        danger
        onConfirm={() => {
          if (confirming) onDiscard(confirming);
          setConfirming(null);
        }}
        onCancel={() => setConfirming(null)}
      />
    </section>
  );
}

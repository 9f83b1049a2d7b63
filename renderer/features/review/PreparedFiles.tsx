/**
 * The exact files that will be uploaded, once prepared: format, duration, size, codecs and hash,
 * each playable; and the one action that (re)makes them from the current choices.
 */
import { useEffect, useState } from 'react';
import { formatBytes, formatDuration } from '../../../shared/audio-analysis';
import type { ReviewState } from '../../../shared/contract/review';
import { newJobId } from '../../api/job-id';
import { mediaPath } from '../../../shared/transport';
import { asStudioError, useStudio } from '../../api/studio-context';
import { Notice } from '../../ui/Notice';

const roleWords = { voice: 'Voice file', video: 'Video file', photo: 'Photo file' } as const;
const roleDescriptions = {
  voice: 'a voice file within the service’s size and length limits',
  video: 'an H.264 and AAC video',
  photo: 'a 16:9 JPEG',
} as const;

export function PreparedFiles({ state }: { state: ReviewState }) {
  const studio = useStudio();
  const [job, setJob] = useState<{ id: string; label: string; ratio: number | null; queued: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const sourcesMissing = state.blockers.some((blocker) => blocker.area === 'material');
  const allPrepared = state.files.every((file) => file.state === 'prepared' && file.intact !== false);

  const jobId = job?.id ?? null;
  useEffect(() => {
    if (!jobId) return;
    return studio.on('jobs/progress', (progress) => {
      if (progress.jobId === jobId)
        setJob((current) => current && { ...current, label: progress.label, ratio: progress.ratio, queued: progress.state === 'queued' });
    });
  }, [studio, jobId]);

  async function prepare() {
    const id = newJobId();
    setError(null);
    setNote(null);
    setJob({ id, label: 'Starting…', ratio: null, queued: true });
    try {
      await studio.call('review/prepare', { draftId: state.draft.id, jobId: id });
    } catch (caught) {
      const failure = asStudioError(caught);
      if (failure.code === 'CANCELLED') setNote('Preparation was cancelled. Files prepared before stay as they were.');
      else setError(failure.message);
    } finally {
      setJob(null);
    }
  }

  return (
    <section className="panel" aria-labelledby="prepared-title" data-testid="prepared-files">
      <div className="panel-header">
        <h3 id="prepared-title">Files to submit</h3>
        <button
          type="button"
          className={allPrepared ? 'button button-small' : 'button button-primary'}
          onClick={() => void prepare()}
          disabled={job !== null || sourcesMissing}
        >
          {allPrepared ? 'Prepare again' : 'Prepare files'}
        </button>
      </div>
      <p className="hint">
        What the service will fetch, made on this computer from the chosen material: {state.roles.map((role) => roleDescriptions[role]).join(', ')}. Their
        SHA-256 hashes go into the consent receipt.
      </p>
      {job && (
        <div className="busy-line" role="status">
          <span>{job.queued ? `${job.label}: waiting for the media engine…` : job.label}</span>
          <div
            className="progress"
            role="progressbar"
            aria-label="Preparation progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={job.ratio === null ? undefined : Math.round(job.ratio * 100)}
          >
            <div className="progress-fill" style={{ width: `${Math.round((job.ratio ?? 0) * 100)}%` }} />
          </div>
          <button type="button" className="button button-small" onClick={() => void studio.call('media/cancel', { jobId: job.id }).catch(() => undefined)}>
            Cancel
          </button>
        </div>
      )}
      {error && <Notice tone="error">{error}</Notice>}
      {note && <p className="muted small">{note}</p>}
      <ul className="prepared-list">
        {state.files.map((file) => {
          const record = file.record;
          return (
            <li key={file.role} className={`prepared prepared-${file.state}`} data-role={file.role} data-state={file.state}>
              <div className="prepared-head">
                <strong>{roleWords[file.role]}</strong>
                <span className={`badge ${file.state === 'prepared' && file.intact !== false ? 'badge-pass' : 'badge-warn'}`}>
                  {file.state === 'missing' && 'Not prepared yet'}
                  {file.state === 'stale' && 'Made from an earlier choice: prepare again'}
                  {file.state === 'prepared' && (file.intact === false ? 'Changed on disk: prepare again' : 'Prepared')}
                </span>
              </div>
              {record && (
                <>
                  <dl className="prepared-facts">
                    <div>
                      <dt>Format</dt>
                      <dd>
                        {record.info.container.toUpperCase()} · {record.mimeType}
                      </dd>
                    </div>
                    {record.info.durationMs !== null && (
                      <div>
                        <dt>Duration</dt>
                        <dd>{formatDuration(record.info.durationMs)}</dd>
                      </div>
                    )}
                    <div>
                      <dt>Size</dt>
                      <dd>{formatBytes(record.info.bytes)}</dd>
                    </div>
                    {record.info.video && (
                      <div>
                        <dt>Picture</dt>
                        <dd>
                          {record.info.video.width}×{record.info.video.height} {record.info.video.codec}
                        </dd>
                      </div>
                    )}
                    {record.info.audio && (
                      <div>
                        <dt>Sound</dt>
                        <dd>
                          {record.info.audio.codec}, {(record.info.audio.sampleRate / 1000).toFixed(1)} kHz,{' '}
                          {record.info.audio.channels === 1 ? 'mono' : `${record.info.audio.channels} channels`}
                        </dd>
                      </div>
                    )}
                    <div className="prepared-hash">
                      <dt>SHA-256</dt>
                      <dd className="path" title={record.sha256}>
                        {record.sha256.slice(0, 16)}…
                      </dd>
                    </div>
                  </dl>
                  <p className="small muted prepared-summary">{record.summary}</p>
                  {file.state === 'prepared' && file.role === 'voice' && (
                    <audio controls preload="none" src={mediaPath(state.draft.id, record.fileName)} aria-label="Prepared voice file" />
                  )}
                  {file.state === 'prepared' && file.role === 'video' && (
                    <video
                      className="prepared-video"
                      controls
                      preload="none"
                      src={mediaPath(state.draft.id, record.fileName)}
                      aria-label="Prepared video file"
                    />
                  )}
                  {file.state === 'prepared' && file.role === 'photo' && (
                    <img className="prepared-photo" src={mediaPath(state.draft.id, record.fileName)} alt="Prepared photo" />
                  )}
                </>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

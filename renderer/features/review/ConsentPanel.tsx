/**
 * The consent record: the statement with the person's name and this draft's code on a prompter, a
 * take of them reading it (microphone, or camera and microphone), streamed to disk as it is made,
 * played back here, with the live face check on its preview, and the operator's attestation. Kept with the draft; never uploaded.
 */
import { type FormEvent, useCallback, useRef, useState } from 'react';
import { formatDuration } from '../../../shared/audio-analysis';
import type { ReviewState } from '../../../shared/contract/review';
import type { Take } from '../../../shared/drafts';
import { consentRules } from '../../../shared/requirements';
import { mediaPath } from '../../../shared/transport';
import { asStudioError, useAct, useStudio } from '../../api/studio-context';
import { ChecksList } from '../../capture/ChecksList';
import { openCapture, showStream, stopStream } from '../../capture/capture-stream';
import { listDevices, pickDevice } from '../../capture/devices';
import { FaceOverlay } from '../../capture/FaceOverlay';
import { useMeters } from '../../capture/meter-store';
import { RecoveredTakes } from '../../capture/RecoveredTakes';
import { type FaceCheck, useFaceCheck } from '../../capture/use-face-check';
import { type TakeControl, type TakeInput, useTakeRecorder } from '../../capture/use-take-recorder';
import { useRecoverTakes } from '../../capture/use-take-choice';
import { Notice } from '../../ui/Notice';
import { rememberedOperator, rememberOperator } from './operator-name';

type Source = 'microphone' | 'camera';

const audioTypes = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'] as const;
const videoTypes = ['video/webm;codecs=vp8,opus', 'video/webm', 'video/mp4'] as const;

function localToday(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/**
 * A consent take, recorded with the one recording hook: the devices are opened for the take alone
 * (the preferred microphone, and the camera unless it is sound only), shown in the preview while it
 * records, and closed when it ends.
 */
function useConsentTake(draftId: string, source: Source, preview: (stream: MediaStream | null) => void, faces: Pick<FaceCheck, 'onFaces'>): TakeControl {
  const studio = useStudio();
  return useTakeRecorder({
    draftId,
    kind: 'consent',
    maxSeconds: consentRules.maxSeconds,
    prepare: async (): Promise<TakeInput> => {
      const settings = await studio.call('settings/get', {});
      const microphone = pickDevice(await listDevices('audioinput'), settings.preferredMicrophoneLabel, null);
      const camera = source === 'camera' ? pickDevice(await listDevices('videoinput'), settings.preferredCameraLabel, null) : null;
      const stream = await openCapture({
        audio: { deviceId: microphone?.deviceId ?? null },
        video: source === 'camera' ? { deviceId: camera?.deviceId ?? null, width: 1280, height: 720 } : false,
      });
      if (source === 'camera') preview(stream);
      return {
        stream,
        mimeTypes: source === 'camera' ? videoTypes : audioTypes,
        // The face descriptor kept with the take is compared with the photo or video's ("same person").
        faces: source === 'camera' ? { version: 'v2', onFaces: faces.onFaces } : undefined,
        release: () => {
          stopStream(stream);
          preview(null);
        },
      };
    },
  });
}

/** A consent take as it will be kept: played back, with when it was made and its checks. */
function ConsentTake({ draftId, take, testId }: { draftId: string; take: Take; testId: string }) {
  return (
    <div className="consent-take" data-testid={testId}>
      <div className="consent-playback">
        {take.mimeType.startsWith('audio') ? (
          <audio controls preload="metadata" src={mediaPath(draftId, take.fileName)} aria-label="Consent take" />
        ) : (
          <video controls preload="metadata" src={mediaPath(draftId, take.fileName)} aria-label="Consent take" />
        )}
        <span className="muted small">
          Recorded {new Date(take.createdAt).toLocaleString()} · {formatDuration(take.durationMs ?? 0)}
        </span>
      </div>
      <ChecksList checks={take.checks} />
    </div>
  );
}

/** The clock of the take in progress: subscribes to the recorder's meters alone. */
function RecordingClock({ take }: { take: TakeControl }) {
  const { elapsedMs } = useMeters(take.meters);
  return <span className="rec-clock">{formatDuration(elapsedMs)}</span>;
}

export function ConsentPanel({ state }: { state: ReviewState }) {
  const studio = useStudio();
  const { draft } = state;
  const consent = draft.consent;
  const [source, setSource] = useState<Source>('camera');
  const { error, act } = useAct();
  const preview = useRef<HTMLVideoElement>(null);
  const [previewing, setPreviewing] = useState(false);
  const showPreview = useCallback((stream: MediaStream | null) => {
    if (preview.current) showStream(preview.current, stream);
    setPreviewing(stream !== null);
  }, []);
  const faces = useFaceCheck({ video: () => preview.current, active: source === 'camera' && previewing, version: 'v2', descriptors: true });
  const take = useConsentTake(draft.id, source, showPreview, faces);
  useRecoverTakes(draft.id);
  const { phase } = take;

  const recorded = consent.take;
  const recovered = consent.recording?.state === 'recovered' ? consent.recording : null;
  const busy = phase !== 'idle';
  const problem = error ?? take.error;

  return (
    <section className="panel consent" aria-labelledby="consent-title" data-phase={phase}>
      <div className="panel-header">
        <h3 id="consent-title">Consent</h3>
        {state.code && (
          <span className="consent-code" aria-label={`Consent code ${state.code}`}>
            Code <strong>{state.code}</strong>
          </span>
        )}
      </div>
      <p className="hint">
        Before a twin is made, the person reads this statement aloud on camera or microphone. It names them and carries a code made for this draft alone, so no
        other recording can stand in for it. The take stays with the draft and is never uploaded. This is in addition to your organisation’s own consent switch
        on the service.
      </p>
      {state.statement ? (
        <blockquote className="consent-statement" data-testid="consent-statement">
          {state.statement}
        </blockquote>
      ) : (
        <Notice tone="warn">Enter the person’s first and last name first: the statement names them.</Notice>
      )}

      {recovered && !busy && (
        <>
          <RecoveredTakes
            kind="consent"
            takes={[recovered]}
            onKeep={(takeId) => void act(() => studio.call('takes/keep', { draftId: draft.id, takeId }))}
            onDiscard={(takeId) => void act(() => studio.call('takes/discard', { draftId: draft.id, takeId }))}
          />
          <ConsentTake draftId={draft.id} take={recovered} testId="consent-recovered" />
        </>
      )}

      <div className="consent-recorder">
        <fieldset className="field consent-source" disabled={busy}>
          <legend>Record with</legend>
          <label className="choice">
            <input type="radio" name="consent-source" checked={source === 'camera'} onChange={() => setSource('camera')} /> Camera and microphone
          </label>
          <label className="choice">
            <input type="radio" name="consent-source" checked={source === 'microphone'} onChange={() => setSource('microphone')} /> Microphone only
          </label>
        </fieldset>
        <div className="transport" role="group" aria-label="Consent recording">
          {phase === 'recording' ? (
            <button type="button" className="button button-stop" data-operator-action="stop" onClick={() => void take.stop()}>
              <span className="stop-square" aria-hidden="true" />
              Stop
            </button>
          ) : (
            <button
              type="button"
              className="button button-record"
              data-operator-action="record"
              onClick={() => void act(take.record)}
              disabled={busy || !state.statement}
            >
              <span className="rec-dot" aria-hidden="true" />
              {recorded ? 'Record consent again' : 'Record consent'}
            </button>
          )}
          <span className="transport-hint muted" aria-live="polite">
            {phase === 'starting' && 'Opening the devices…'}
            {phase === 'recording' && (
              <>
                <span className="rec-status rec-status-recording">
                  <span className="rec-dot" aria-hidden="true" /> Recording <RecordingClock take={take} />
                </span>{' '}
                Ask the person to read the statement, then stop.
              </>
            )}
            {phase === 'saving' && 'Saving and checking the consent take…'}
          </span>
        </div>
        <div className={previewing ? 'consent-stage' : 'consent-stage hidden'} data-testid="consent-stage">
          <video ref={preview} className="consent-preview" muted playsInline aria-label="Camera preview" />
          <FaceOverlay check={faces} mirrored={false} />
        </div>
      </div>
      {problem && <Notice tone="error">{problem}</Notice>}
      {take.notice && <Notice tone="warn">{take.notice}</Notice>}

      {recorded && !busy && <ConsentTake draftId={draft.id} take={recorded} testId="consent-take" />}

      <Attestation state={state} disabled={busy || !recorded} />
    </section>
  );
}

function Attestation({ state, disabled }: { state: ReviewState; disabled: boolean }) {
  const studio = useStudio();
  const attestation = state.draft.consent.attestation;
  const [name, setName] = useState(rememberedOperator);
  const [date, setDate] = useState(localToday);
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await studio.call('review/attest', { draftId: state.draft.id, operatorName: name, date });
      rememberOperator(name);
      setConfirmed(false);
    } catch (caught) {
      setError(asStudioError(caught).message);
    }
  }

  if (attestation) {
    return (
      <p className="attested" data-testid="attested">
        <span className="badge badge-pass">Attested</span> by <strong>{attestation.operatorName}</strong> for {attestation.date}, attested{' '}
        {new Date(attestation.attestedAt).toLocaleString()}. A new consent take needs a new attestation.
      </p>
    );
  }
  return (
    <form className="attest-form" onSubmit={(event) => void submit(event)} aria-labelledby="attest-title">
      <h4 id="attest-title">Operator’s attestation</h4>
      <div className="form-row">
        <div className="field">
          <label htmlFor="attest-name">Operator’s name</label>
          <input
            id="attest-name"
            className="input"
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            maxLength={100}
            disabled={disabled}
          />
        </div>
        <div className="field">
          <label htmlFor="attest-date">Date consent was given</label>
          <input id="attest-date" type="date" className="input" value={date} onChange={(event) => setDate(event.target.value)} required disabled={disabled} />
        </div>
      </div>
      <label className="choice">
        <input type="checkbox" checked={confirmed} onChange={(event) => setConfirmed(event.target.checked)} disabled={disabled} />I saw and heard this person
        read the statement above and give their consent freely.
      </label>
      {error && <p className="field-error">{error}</p>}
      <div>
        <button type="submit" className="button button-primary" disabled={disabled || !confirmed || !name.trim() || !date}>
          Attest consent
        </button>
      </div>
    </form>
  );
}

/**
 * The consent record: the statement with the person's name and this draft's code on a prompter, a
 * take of them reading it (microphone, or camera and microphone), streamed to disk as it is made,
 * played back here, and the operator's attestation. Kept with the draft; never uploaded.
 */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { formatDuration } from '../../../shared/audio-analysis';
import type { ReviewState } from '../../../shared/contract/review';
import { takeStreaming } from '../../../shared/contract/takes';
import { mediaPath } from '../../../shared/transport';
import { asStudioError, useStudio } from '../../api/studio-context';
import { openCapture, stopStream } from '../../capture/capture-stream';
import { listDevices, pickDevice } from '../../capture/devices';
import { TakeRecorder } from '../../capture/take-recorder';
import { Notice } from '../../ui/Notice';
import { ChecksList } from '../voice/ChecksList';
import { rememberedOperator, rememberOperator } from './operator-name';

type Source = 'microphone' | 'camera';
type Phase = 'idle' | 'opening' | 'recording' | 'saving';

const audioTypes = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'] as const;
const videoTypes = ['video/webm;codecs=vp8,opus', 'video/webm', 'video/mp4'] as const;

function localToday(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

export function ConsentPanel({ state }: { state: ReviewState }) {
  const studio = useStudio();
  const { draft } = state;
  const consent = draft.consent;
  const [source, setSource] = useState<Source>('camera');
  const [phase, setPhase] = useState<Phase>('idle');
  const [elapsed, setElapsed] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const recorder = useRef<TakeRecorder | null>(null);
  const stream = useRef<MediaStream | null>(null);
  const preview = useRef<HTMLVideoElement>(null);
  const take = useRef<string | null>(null);

  // The clock of the take in progress.
  useEffect(() => {
    if (phase !== 'recording') return;
    const timer = window.setInterval(() => setElapsed(recorder.current?.elapsedMs() ?? 0), 250);
    return () => window.clearInterval(timer);
  }, [phase]);

  // Leaving the page mid-take stops the devices; what reached the disk is dropped with the session.
  useEffect(
    () => () => {
      recorder.current?.abandon();
      stopStream(stream.current);
    },
    [],
  );

  async function start() {
    setError(null);
    setPhase('opening');
    try {
      const settings = await studio.call('settings/get', {});
      const microphone = pickDevice(await listDevices('audioinput'), settings.preferredMicrophoneLabel, null);
      const camera = source === 'camera' ? pickDevice(await listDevices('videoinput'), settings.preferredCameraLabel, null) : null;
      const opened = await openCapture({
        audio: { deviceId: microphone?.deviceId ?? null },
        video: source === 'camera' ? { deviceId: camera?.deviceId ?? null, width: 1280, height: 720 } : false,
      });
      stream.current = opened;
      if (preview.current && source === 'camera') {
        preview.current.srcObject = opened;
        void preview.current.play().catch(() => undefined);
      }
      const started = new TakeRecorder(opened, {
        mimeTypes: source === 'camera' ? videoTypes : audioTypes,
        timesliceMs: takeStreaming.chunkMs,
        keepAliveMs: takeStreaming.keepAliveMs,
        sink: async (seq, bytes) => {
          await studio.call('consent/appendTake', { draftId: draft.id, takeId: take.current!, seq, bytes });
        },
        onInterrupted: (reason) => {
          setError(reason);
          void stop();
        },
      });
      const begun = await studio.call('consent/beginTake', { draftId: draft.id, mimeType: started.mimeType });
      take.current = begun.takeId;
      recorder.current = started;
      started.start();
      setElapsed(0);
      setPhase('recording');
    } catch (caught) {
      stopStream(stream.current);
      stream.current = null;
      setPhase('idle');
      setError(caught instanceof Error && !('code' in caught) ? caught.message : asStudioError(caught).message);
    }
  }

  async function stop() {
    const active = recorder.current;
    if (!active || !take.current) return;
    recorder.current = null;
    setPhase('saving');
    try {
      await active.stop();
      await studio.call('consent/finishTake', { draftId: draft.id, takeId: take.current });
    } catch (caught) {
      setError(asStudioError(caught).message);
    } finally {
      stopStream(stream.current);
      stream.current = null;
      if (preview.current) preview.current.srcObject = null;
      take.current = null;
      setPhase('idle');
    }
  }

  const recorded = consent.take;
  const busy = phase !== 'idle';

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
        Before a twin is made, the person reads this statement aloud on camera or microphone. It names them and carries a code made for this draft
        alone, so no other recording can stand in for it. The take stays with the draft and is never uploaded. This is in addition to your
        organisation’s own consent switch on the service.
      </p>
      {state.statement ? (
        <blockquote className="consent-statement" data-testid="consent-statement">
          {state.statement}
        </blockquote>
      ) : (
        <Notice tone="warn">Enter the person’s first and last name first: the statement names them.</Notice>
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
            <button type="button" className="button button-stop" data-operator-action="stop" onClick={() => void stop()}>
              <span className="stop-square" aria-hidden="true" />
              Stop
            </button>
          ) : (
            <button
              type="button"
              className="button button-record"
              data-operator-action="record"
              onClick={() => void start()}
              disabled={busy || !state.statement}
            >
              <span className="rec-dot" aria-hidden="true" />
              {recorded ? 'Record consent again' : 'Record consent'}
            </button>
          )}
          <span className="transport-hint muted" aria-live="polite">
            {phase === 'opening' && 'Opening the devices…'}
            {phase === 'recording' && (
              <>
                <span className="rec-status rec-status-recording">
                  <span className="rec-dot" aria-hidden="true" /> Recording <span className="rec-clock">{formatDuration(elapsed)}</span>
                </span>{' '}
                Ask the person to read the statement, then stop.
              </>
            )}
            {phase === 'saving' && 'Saving and checking the consent take…'}
          </span>
        </div>
        <video ref={preview} className={source === 'camera' && busy ? 'consent-preview' : 'consent-preview hidden'} muted playsInline aria-label="Camera preview" />
      </div>
      {error && <Notice tone="error">{error}</Notice>}

      {recorded && !busy && (
        <div className="consent-take" data-testid="consent-take">
          <div className="consent-playback">
            {recorded.mimeType.startsWith('audio') ? (
              <audio controls preload="metadata" src={mediaPath(draft.id, recorded.fileName)} aria-label="Consent take" />
            ) : (
              <video controls preload="metadata" src={mediaPath(draft.id, recorded.fileName)} aria-label="Consent take" />
            )}
            <span className="muted small">
              Recorded {new Date(recorded.createdAt).toLocaleString()} · {formatDuration(recorded.durationMs ?? 0)}
            </span>
          </div>
          <ChecksList checks={recorded.checks} />
        </div>
      )}

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
        <span className="badge badge-pass">Attested</span> by <strong>{attestation.operatorName}</strong> for {attestation.date}, recorded{' '}
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
          <input id="attest-name" className="input" value={name} onChange={(event) => setName(event.target.value)} required maxLength={100} disabled={disabled} />
        </div>
        <div className="field">
          <label htmlFor="attest-date">Date consent was given</label>
          <input id="attest-date" type="date" className="input" value={date} onChange={(event) => setDate(event.target.value)} required disabled={disabled} />
        </div>
      </div>
      <label className="choice">
        <input type="checkbox" checked={confirmed} onChange={(event) => setConfirmed(event.target.checked)} disabled={disabled} />I saw and heard this person read
        the statement above and give their consent freely.
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

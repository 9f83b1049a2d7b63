/**
 * Operator session mode in the sidebar: start a session (twin version and tags every new draft
 * starts with), "Next person" from a short form, the people filmed so far, and the keyboard
 * shortcuts R record, S stop, T retake, N next person, active anywhere but in a text field.
 */
import { type FormEvent, useEffect, useState } from 'react';
import type { PersonDraft } from '../../../shared/drafts';
import { asStudioError, useCall, useStudio } from '../../api/studio-context';
import { navigate } from '../../navigation/router';
import { useDialog } from '../../ui/ConfirmDialog';
import { type OperatorSession, addToSession, endSession, shortcutKeys, startSession, useOperatorSession } from './operator-session';
import { type OperatorAction, perform } from './shortcuts';

function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

function typing(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element?.closest?.('input, textarea, select, [contenteditable="true"]');
}

export function OperatorPanel({ activeDraftId }: { activeDraftId: string | null }) {
  const session = useOperatorSession();
  const [starting, setStarting] = useState(false);
  const [nextOpen, setNextOpen] = useState(false);
  const [said, setSaid] = useState<string | null>(null);

  const active = session !== null;
  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || typing(event.target)) return;
      if (document.querySelector('dialog[open]')) return;
      const key = event.key.toUpperCase();
      const action: OperatorAction | 'next' | null =
        key === shortcutKeys.record
          ? 'record'
          : key === shortcutKeys.stop
            ? 'stop'
            : key === shortcutKeys.retake
              ? 'retake'
              : key === shortcutKeys.next
                ? 'next'
                : null;
      if (!action) return;
      event.preventDefault();
      if (action === 'next') setNextOpen(true);
      else void perform(action).then(setSaid);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active]);

  useEffect(() => {
    if (!said) return;
    const timer = window.setTimeout(() => setSaid(null), 4000);
    return () => window.clearTimeout(timer);
  }, [said]);

  if (!session) {
    return (
      <>
        <button type="button" className="button button-block button-sidebar" onClick={() => setStarting(true)}>
          Start operator session
        </button>
        <StartSessionDialog
          open={starting}
          activeDraftId={activeDraftId}
          onStart={(settings) => {
            startSession(settings);
            setStarting(false);
            setNextOpen(true);
          }}
          onCancel={() => setStarting(false)}
        />
      </>
    );
  }

  return (
    <section className="operator-panel" aria-labelledby="operator-title" data-testid="operator-panel">
      <div className="operator-head">
        <h2 id="operator-title">Operator session</h2>
        <span className="operator-count">{session.draftIds.length === 1 ? '1 person' : `${session.draftIds.length} people`}</span>
      </div>
      <button type="button" className="button button-primary button-block" onClick={() => setNextOpen(true)}>
        Next person <kbd>{shortcutKeys.next}</kbd>
      </button>
      <ul className="operator-keys" aria-label="Shortcuts">
        <li>
          <kbd>{shortcutKeys.record}</kbd> record
        </li>
        <li>
          <kbd>{shortcutKeys.stop}</kbd> stop
        </li>
        <li>
          <kbd>{shortcutKeys.retake}</kbd> retake
        </li>
        <li>
          <kbd>{shortcutKeys.next}</kbd> next person
        </li>
      </ul>
      <p className="operator-said" aria-live="polite">
        {said ??
          `${session.avatarVersion === 'v2' ? 'Video' : 'Photo'} avatars${
            Object.keys(session.tags).length
              ? ` · ${Object.entries(session.tags)
                  .map(([key, value]) => `${key}: ${value}`)
                  .join(', ')}`
              : ''
          }`}
      </p>
      <button type="button" className="link-button operator-end" onClick={endSession}>
        End session
      </button>
      <NextPersonDialog open={nextOpen} session={session} onClose={() => setNextOpen(false)} />
    </section>
  );
}

function StartSessionDialog({
  open,
  activeDraftId,
  onStart,
  onCancel,
}: {
  open: boolean;
  activeDraftId: string | null;
  onStart: (settings: Pick<OperatorSession, 'avatarVersion' | 'tags'>) => void;
  onCancel: () => void;
}) {
  const dialog = useDialog(open);
  const current = useCall('drafts/get', open && activeDraftId ? { id: activeDraftId } : null);
  // Starting from an open draft carries its twin version over, until the person picks another for it.
  const loaded = current.state === 'ready' ? current.value : null;
  const [picked, setPicked] = useState<{ draftId: string | null; version: PersonDraft['avatarVersion'] } | null>(null);
  const version = picked && picked.draftId === (loaded?.id ?? null) ? picked.version : (loaded?.person.avatarVersion ?? 'v2');
  const setVersion = (next: PersonDraft['avatarVersion']) => setPicked({ draftId: loaded?.id ?? null, version: next });
  const [tagKey, setTagKey] = useState('session');
  const [tagValue, setTagValue] = useState(today);

  function submit(event: FormEvent) {
    event.preventDefault();
    onStart({ avatarVersion: version, tags: tagKey.trim() && tagValue.trim() ? { [tagKey.trim()]: tagValue.trim() } : {} });
  }

  return (
    <dialog ref={dialog} className="dialog dialog-wide" aria-labelledby="start-session-title" onCancel={onCancel}>
      <form onSubmit={submit} className="dialog-form">
        <h2 id="start-session-title">Start an operator session</h2>
        <p>
          For filming one person after another. Every new draft starts with these settings, the microphone and camera stay as chosen, and the keys <kbd>R</kbd>{' '}
          record, <kbd>S</kbd> stop, <kbd>T</kbd> retake and <kbd>N</kbd> next person work on every page.
        </p>
        <fieldset className="field">
          <legend>Twin version for everyone in this session</legend>
          <label className="choice">
            <input type="radio" name="session-version" checked={version === 'v2'} onChange={() => setVersion('v2')} /> v2, from a speaking video (highest
            quality)
          </label>
          <label className="choice">
            <input type="radio" name="session-version" checked={version === 'v1'} onChange={() => setVersion('v1')} /> v1, from a photo (fast)
          </label>
        </fieldset>
        <div className="form-row">
          <div className="field">
            <label htmlFor="session-tag-key">Tag every twin with</label>
            <input id="session-tag-key" className="input" value={tagKey} onChange={(event) => setTagKey(event.target.value)} maxLength={64} />
          </div>
          <div className="field">
            <label htmlFor="session-tag-value">Value</label>
            <input id="session-tag-value" className="input" value={tagValue} onChange={(event) => setTagValue(event.target.value)} maxLength={256} />
          </div>
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button button-primary">
            Start session
          </button>
        </div>
      </form>
    </dialog>
  );
}

function NextPersonDialog({ open, session, onClose }: { open: boolean; session: OperatorSession; onClose: () => void }) {
  const studio = useStudio();
  const dialog = useDialog(open);
  const settings = useCall('settings/get', open ? {} : null);
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [clientId, setClientId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Cleared when a person is started or the form is cancelled, never while it is being typed into.
  function reset() {
    setFirstName('');
    setLastName('');
    setClientId('');
    setError(null);
  }

  function cancel() {
    reset();
    onClose();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const draft = await studio.call('drafts/create', {
        person: {
          firstName: firstName.trim(),
          lastName: lastName.trim(),
          externalClientId: clientId.trim(),
          avatarVersion: session.avatarVersion,
          tags: session.tags,
        },
      });
      addToSession(draft.id);
      reset();
      onClose();
      navigate({ screen: 'draft', draftId: draft.id, step: 'voice' });
    } catch (caught) {
      setError(asStudioError(caught).message);
    } finally {
      setBusy(false);
    }
  }

  const devices = settings.state === 'ready' ? settings.value : null;
  return (
    <dialog ref={dialog} className="dialog dialog-wide" aria-labelledby="next-person-title" onCancel={cancel}>
      <form onSubmit={(event) => void submit(event)} className="dialog-form">
        <h2 id="next-person-title">Next person</h2>
        <div className="form-row">
          <div className="field">
            <label htmlFor="next-first">First name</label>
            <input
              id="next-first"
              className="input"
              value={firstName}
              onChange={(event) => setFirstName(event.target.value)}
              required
              maxLength={100}
              autoFocus
            />
          </div>
          <div className="field">
            <label htmlFor="next-last">Last name</label>
            <input id="next-last" className="input" value={lastName} onChange={(event) => setLastName(event.target.value)} required maxLength={100} />
          </div>
        </div>
        <div className="field">
          <label htmlFor="next-client">Client id (employee or CRM id)</label>
          <input
            id="next-client"
            className="input"
            value={clientId}
            onChange={(event) => setClientId(event.target.value)}
            pattern="[A-Za-z0-9_\-]{1,32}"
            maxLength={32}
            aria-describedby="next-client-hint"
          />
          <p className="hint" id="next-client-hint">
            Letters, digits, “_” and “-”; can be filled in later with the rest of the details.
          </p>
        </div>
        <p className="hint carried">
          Carried over: {session.avatarVersion === 'v2' ? 'v2 video avatar' : 'v1 photo avatar'}
          {Object.entries(session.tags).map(([key, value]) => ` · ${key}: ${value}`)}
          {devices && ` · microphone: ${devices.preferredMicrophoneLabel ?? 'system default'} · camera: ${devices.preferredCameraLabel ?? 'system default'}`}
        </p>
        {error && <p className="field-error">{error}</p>}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={cancel}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            Start filming
          </button>
        </div>
      </form>
    </dialog>
  );
}

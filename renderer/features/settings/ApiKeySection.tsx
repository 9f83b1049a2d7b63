/**
 * Set, test, replace and remove the Napster API key. The key goes to the main process once, when it
 * is saved; after that this screen only ever learns "configured, ends in …a1b2".
 */
import { useState } from 'react';
import type { ApiKeyTest } from '../../../shared/contract/service';
import { asStudioError, useCall, useStudio } from '../../api/studio-context';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Notice } from '../../ui/Notice';

type Message = { tone: 'success' | 'error'; text: string };

export function ApiKeySection() {
  const studio = useStudio();
  const status = useCall('apiKey/status', {}, ['apiKey/changed']);
  const [draft, setDraft] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [test, setTest] = useState<ApiKeyTest | null>(null);
  const [busy, setBusy] = useState<'save' | 'test' | 'remove' | null>(null);
  const [confirming, setConfirming] = useState(false);

  if (status.state === 'loading') return <p className="muted">Reading the keychain…</p>;
  if (status.state === 'error') return <Notice tone="error">{status.error.message}</Notice>;
  const { configured, endsWith, keychain } = status.value;

  async function save() {
    setBusy('save');
    setMessage(null);
    setTest(null);
    try {
      await studio.call('apiKey/set', { key: draft });
      setDraft('');
      setFieldError(null);
      setMessage({ tone: 'success', text: configured ? 'Key replaced in the system keychain.' : 'Key saved in the system keychain.' });
      status.reload();
    } catch (caught) {
      const error = asStudioError(caught);
      if (error.code === 'BAD_REQUEST' && error.fields?.key) setFieldError(error.fields.key);
      else setMessage({ tone: 'error', text: error.message });
    } finally {
      setBusy(null);
    }
  }

  async function runTest() {
    setBusy('test');
    setMessage(null);
    try {
      setTest(await studio.call('apiKey/test', {}));
    } catch (caught) {
      setMessage({ tone: 'error', text: asStudioError(caught).message });
    } finally {
      setBusy(null);
    }
  }

  async function remove() {
    setConfirming(false);
    setBusy('remove');
    setTest(null);
    try {
      await studio.call('apiKey/remove', {});
      setMessage({ tone: 'success', text: 'Key removed from the system keychain.' });
      status.reload();
    } catch (caught) {
      setMessage({ tone: 'error', text: asStudioError(caught).message });
    } finally {
      setBusy(null);
    }
  }

  const statusText = configured ? (endsWith ? `Configured, ends in …${endsWith}` : 'Configured') : 'Not set';

  return (
    <div className="api-key">
      <p className="api-key-status" aria-live="polite">
        <span className={configured ? 'status-dot status-ok' : 'status-dot'} aria-hidden="true" />
        <strong>{statusText}</strong>
        <span className="muted"> · kept in the system keychain, never in a file</span>
      </p>
      {!keychain.available && (
        <Notice tone="error" title="The system keychain cannot be used">
          {keychain.message}
        </Notice>
      )}
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <div className="field">
          <label htmlFor="settings-api-key">{configured ? 'New API key' : 'API key'}</label>
          <p className="hint" id="settings-api-key-hint">
            Create one in the Napster dashboard under API Keys and paste it here. Only its last four characters are shown afterwards.
          </p>
          <input
            id="settings-api-key"
            className="input"
            type="password"
            name="napster-api-key"
            autoComplete="off"
            spellCheck={false}
            value={draft}
            disabled={!keychain.available}
            aria-describedby={fieldError ? 'settings-api-key-hint settings-api-key-error' : 'settings-api-key-hint'}
            aria-invalid={fieldError ? true : undefined}
            onChange={(event) => {
              setDraft(event.target.value);
              setFieldError(null);
            }}
          />
          <span id="settings-api-key-error" className="field-error" role={fieldError ? 'alert' : undefined}>
            {fieldError}
          </span>
        </div>
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={!keychain.available || !draft.trim() || busy !== null}>
            {busy === 'save' ? 'Saving…' : configured ? 'Replace key' : 'Save key'}
          </button>
          <button type="button" className="button" disabled={!configured || busy !== null} onClick={() => void runTest()}>
            {busy === 'test' ? 'Testing…' : 'Test key'}
          </button>
          <button type="button" className="button button-quiet" disabled={!configured || busy !== null} onClick={() => setConfirming(true)}>
            Remove key
          </button>
        </div>
      </form>
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      {test && (
        <Notice tone={test.ok ? 'success' : 'error'} title={test.ok ? 'Key works' : 'Key test failed'}>
          {test.message} <span className="muted">(tested {new Date(test.testedAt).toLocaleTimeString()})</span>
        </Notice>
      )}
      <ConfirmDialog
        open={confirming}
        title="Remove the API key?"
        message="The key is deleted from the system keychain. Submitting and following twins stops working until a key is set again."
        confirmLabel="Remove key"
        danger
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
      />
    </div>
  );
}

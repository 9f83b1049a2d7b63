/**
 * Settings → Storage: where uploads go (an S3-compatible bucket or the user's own presign endpoint),
 * tested with a round trip (sign, upload, read back anonymously, remove). The secret key or token is
 * sent to the main process once, when saved, and kept in the system keychain; this form only learns
 * whether one is set and how it ends.
 */
import { type FormEvent, useState } from 'react';
import type { StorageStatus, StorageTest } from '../../../shared/contract/storage';
import { asStudioError, useCall, useStudio } from '../../api/studio-context';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Notice } from '../../ui/Notice';

type Form = {
  kind: 's3' | 'presign';
  endpoint: string;
  region: string;
  bucket: string;
  keyPrefix: string;
  pathStyle: boolean;
  accessKeyId: string;
  publicBaseUrl: string;
  url: string;
  secret: string;
};

const empty: Form = {
  kind: 's3',
  endpoint: '',
  region: 'us-east-1',
  bucket: '',
  keyPrefix: 'twin-studio/',
  pathStyle: false,
  accessKeyId: '',
  publicBaseUrl: '',
  url: '',
  secret: '',
};

/** Form fields that show their own error (the rest are reported in the message below the form). */
const shownFields = new Set<string>(['endpoint', 'region', 'bucket', 'keyPrefix', 'accessKeyId', 'secret', 'publicBaseUrl', 'url']);

function formOf(status: StorageStatus): Form {
  const target = status.target;
  if (!target) return empty;
  if (target.kind === 'presign') return { ...empty, kind: 'presign', url: target.url };
  return {
    ...empty,
    kind: 's3',
    endpoint: target.endpoint ?? '',
    region: target.region,
    bucket: target.bucket,
    keyPrefix: target.keyPrefix,
    pathStyle: target.pathStyle,
    accessKeyId: target.accessKeyId,
    publicBaseUrl: target.publicBaseUrl,
  };
}

export function StorageTestResult({ test }: { test: StorageTest }) {
  return (
    <div className={`notice ${test.ok ? 'notice-success' : 'notice-error'}`} role={test.ok ? 'status' : 'alert'} data-testid="storage-test">
      <strong className="notice-title">{test.ok ? 'Storage works' : 'Storage test failed'}</strong>
      <ol className="storage-steps">
        {test.steps.map((step) => (
          <li key={step.id} className={step.ok ? 'step-ok' : 'step-failed'}>
            <span aria-hidden="true">{step.ok ? '✓' : '✗'}</span> <strong>{step.label}</strong>: {step.message}
          </li>
        ))}
      </ol>
      <span className="muted">Tested {new Date(test.testedAt).toLocaleString()}</span>
    </div>
  );
}

export function StorageSection() {
  const studio = useStudio();
  const status = useCall('storage/status', {}, ['storage/changed']);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState<'save' | 'test' | 'remove' | null>(null);
  const [test, setTest] = useState<StorageTest | null>(null);
  const [confirming, setConfirming] = useState(false);
  const loaded = status.state === 'ready' ? status.value : null;
  // The form starts from what is saved, and again whenever that changes (not on every status refresh).
  const savedTarget = loaded ? JSON.stringify(loaded.target) : null;
  const [edited, setEdited] = useState<{ from: string | null; form: Form }>({ from: null, form: empty });
  if (loaded && edited.from !== savedTarget) setEdited({ from: savedTarget, form: formOf(loaded) });
  const form = edited.form;
  const setForm = (change: Form | ((before: Form) => Form)) =>
    setEdited((current) => ({ ...current, form: typeof change === 'function' ? change(current.form) : change }));

  if (status.state === 'loading') return <p className="muted">Reading the storage settings…</p>;
  if (status.state === 'error') return <Notice tone="error">{status.error.message}</Notice>;
  const current = status.value;
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((before) => ({ ...before, [key]: value }));
  const lastTest = test ?? current.lastTest;

  async function runTest() {
    setBusy('test');
    setMessage(null);
    try {
      setTest(await studio.call('storage/test', {}));
    } catch (caught) {
      setMessage({ tone: 'error', text: asStudioError(caught).message });
    } finally {
      setBusy(null);
    }
  }

  if (current.sandbox) {
    return (
      <div className="storage-section" data-testid="storage-section">
        <Notice tone="info" title="Sandbox storage">
          In the sandbox, media goes to a local host beside the emulator (
          <span className="path">{current.target?.kind === 'presign' ? current.target.url : ''}</span>). Nothing leaves this computer.
        </Notice>
        <div className="button-row">
          <button type="button" className="button" onClick={() => void runTest()} disabled={busy !== null}>
            {busy === 'test' ? 'Testing…' : 'Test storage'}
          </button>
        </div>
        {lastTest && <StorageTestResult test={lastTest} />}
      </div>
    );
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy('save');
    setMessage(null);
    setFields({});
    setTest(null);
    const target =
      form.kind === 's3'
        ? {
            kind: 's3' as const,
            endpoint: form.endpoint.trim() || null,
            region: form.region.trim(),
            bucket: form.bucket.trim(),
            keyPrefix: form.keyPrefix.trim(),
            pathStyle: form.pathStyle,
            accessKeyId: form.accessKeyId.trim(),
            publicBaseUrl: form.publicBaseUrl.trim(),
          }
        : { kind: 'presign' as const, url: form.url.trim() };
    try {
      await studio.call('storage/save', { target, ...(form.secret.trim() ? { secret: form.secret.trim() } : {}) });
      setForm((before) => ({ ...before, secret: '' }));
      setMessage({ tone: 'success', text: 'Saved. Test it to be sure uploads work and are publicly readable.' });
      status.reload();
    } catch (caught) {
      const error = asStudioError(caught);
      const refused = error.fields ?? {};
      setFields(refused);
      // Reasons shown beside their fields are not repeated below with the call's name and field paths.
      const paths = Object.keys(refused);
      const shown = paths.length > 0 && paths.every((path) => shownFields.has(path.replace(/^target\./, '')));
      setMessage({ tone: 'error', text: shown ? 'Not saved: see the marked field above.' : error.message });
    } finally {
      setBusy(null);
    }
  }

  async function remove() {
    setConfirming(false);
    setBusy('remove');
    try {
      await studio.call('storage/remove', {});
      setForm(empty);
      setTest(null);
      setMessage({ tone: 'success', text: 'Storage settings and their secret removed.' });
      status.reload();
    } catch (caught) {
      setMessage({ tone: 'error', text: asStudioError(caught).message });
    } finally {
      setBusy(null);
    }
  }

  const fieldError = (name: string) => fields[`target.${name}`] ?? fields[name] ?? (name === 'secret' ? fields['secret'] : undefined);
  const input = (name: keyof Form, label: string, hint: string | null, props: { type?: string; placeholder?: string; autoComplete?: string } = {}) => (
    <div className="field">
      <label htmlFor={`storage-${name}`}>{label}</label>
      <input
        id={`storage-${name}`}
        className="input"
        type={props.type ?? 'text'}
        value={String(form[name])}
        placeholder={props.placeholder}
        autoComplete={props.autoComplete ?? 'off'}
        spellCheck={false}
        aria-invalid={fieldError(name) ? true : undefined}
        aria-describedby={`storage-${name}-hint`}
        onChange={(event) => set(name, event.target.value as never)}
      />
      <p id={`storage-${name}-hint`} className={fieldError(name) ? 'field-error' : 'hint'}>
        {fieldError(name) ?? hint}
      </p>
    </div>
  );
  const secretHint = current.secret.configured
    ? `A ${form.kind === 's3' ? 'secret key' : 'token'} is saved in the system keychain${current.secret.endsWith ? `, ending in …${current.secret.endsWith}` : ''}. Leave empty to keep it.`
    : 'Kept in the system keychain, never in a file.';

  return (
    <div className="storage-section" data-testid="storage-section">
      {current.savedProblem && (
        <Notice tone="warn" title="The saved storage settings are not used">
          {current.savedProblem} Enter them again below.
        </Notice>
      )}
      <form className="form" onSubmit={(event) => void save(event)} aria-label="Storage">
        <fieldset className="field">
          <legend>Upload to</legend>
          <label className="choice">
            <input type="radio" name="storage-kind" checked={form.kind === 's3'} onChange={() => set('kind', 's3')} /> An S3-compatible bucket (AWS S3,
            Cloudflare R2, MinIO, Ceph)
          </label>
          <label className="choice">
            <input type="radio" name="storage-kind" checked={form.kind === 'presign'} onChange={() => set('kind', 'presign')} /> My own presign endpoint
          </label>
        </fieldset>
        {form.kind === 's3' ? (
          <>
            <div className="form-row">
              {input('endpoint', 'Endpoint', 'Empty for AWS S3. R2: https://ACCOUNT.r2.cloudflarestorage.com', {
                type: 'url',
                placeholder: 'https://s3.example.com',
              })}
              {input('region', 'Region', 'e.g. us-east-1; R2 uses auto')}
            </div>
            <div className="form-row">
              {input('bucket', 'Bucket', null)}
              {input('keyPrefix', 'Key prefix', 'Files are stored as PREFIX<sha-256>.<ext>')}
            </div>
            <label className="choice">
              <input type="checkbox" checked={form.pathStyle} onChange={(event) => set('pathStyle', event.target.checked)} /> Path-style addresses
              (endpoint/bucket/key; MinIO and Ceph usually need this)
            </label>
            <div className="form-row">
              {input('accessKeyId', 'Access key id', null)}
              {input('secret', 'Secret access key', secretHint, { type: 'password', autoComplete: 'new-password' })}
            </div>
            {input(
              'publicBaseUrl',
              'Public base URL',
              'Where uploaded files are publicly readable over HTTPS: the bucket’s public address or a CDN. The service fetches them, possibly hours later.',
              {
                type: 'url',
                placeholder: 'https://media.example.com',
              },
            )}
          </>
        ) : (
          <>
            {input('url', 'Presign endpoint', 'Your backend: POST {fileName, contentType, size, sha256} → {uploadUrl, headers?, publicUrl}', {
              type: 'url',
              placeholder: 'https://api.example.com/twin-uploads/presign',
            })}
            {input('secret', 'Token', `${secretHint} Sent as "Authorization: Bearer …".`, { type: 'password', autoComplete: 'new-password' })}
          </>
        )}
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={busy !== null}>
            {busy === 'save' ? 'Saving…' : 'Save'}
          </button>
          <button type="button" className="button" onClick={() => void runTest()} disabled={busy !== null || !current.target}>
            {busy === 'test' ? 'Testing…' : 'Test storage'}
          </button>
          {current.target && (
            <button type="button" className="button button-quiet" onClick={() => setConfirming(true)} disabled={busy !== null}>
              Remove
            </button>
          )}
        </div>
      </form>
      {!current.keychain.available && <Notice tone="warn">{current.keychain.message}</Notice>}
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      {lastTest && <StorageTestResult test={lastTest} />}
      <ConfirmDialog
        open={confirming}
        title="Remove the storage settings?"
        message="The settings and the secret in the keychain are removed. Files already uploaded stay where they are."
        confirmLabel="Remove"
        danger
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
      />
    </div>
  );
}

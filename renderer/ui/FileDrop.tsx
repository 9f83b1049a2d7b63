/**
 * A place to drop a file or choose one: what it takes, a button with a hidden file input, and below
 * them whatever the import shows (its progress, its refusal). Drops and choices wait while it is busy.
 */
import { type ReactNode, useState } from 'react';
import { Notice } from './Notice';

export function FileDrop({
  title,
  hint,
  button,
  accept,
  inputLabel,
  busy,
  onFile,
  progress,
  onCancel,
  note,
  refusal,
}: {
  title: string;
  hint: ReactNode;
  /** The button's words, which may say the import is under way. */
  button: string;
  accept: string;
  inputLabel: string;
  busy: boolean;
  onFile: (file: File) => void;
  /** Shown under the text while a file is read (a progress bar). */
  progress?: ReactNode;
  /** Stops the file under way; a Cancel button is shown beside the progress while it is set. */
  onCancel?: () => void;
  /** A word on the last file that is no fault (an import the person cancelled). */
  note?: string | null;
  /** Why the last file was refused. */
  refusal?: string | null;
}) {
  const [over, setOver] = useState(false);
  return (
    <div
      className={over ? 'import-drop over' : 'import-drop'}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        const file = event.dataTransfer.files[0];
        if (file && !busy) onFile(file);
      }}
    >
      <div className="import-text">
        <strong>{title}</strong>
        <span className="muted small">{hint}</span>
      </div>
      <label className="button">
        {button}
        <input
          type="file"
          className="visually-hidden"
          accept={accept}
          aria-label={inputLabel}
          disabled={busy}
          onChange={(event) => {
            const file = event.target.files?.[0];
            // Cleared at once, so the same file can be chosen again after a refusal.
            event.target.value = '';
            if (file) onFile(file);
          }}
        />
      </label>
      {progress && onCancel ? (
        <div className="import-running">
          {progress}
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      ) : (
        progress
      )}
      {note && <p className="muted small import-note">{note}</p>}
      {refusal && (
        <div className="import-error">
          <Notice tone="error" title="Import refused">
            {refusal}
          </Notice>
        </div>
      )}
    </div>
  );
}

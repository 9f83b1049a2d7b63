/**
 * A place to drop a file or choose one: what it takes, a button with a hidden file input, and below
 * them whatever the import shows (its progress, its refusal). Drops and choices wait while it is busy.
 * With `wholePage`, a file dropped anywhere on the page outside another drop area comes here too.
 */
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Notice } from './Notice';

/** Whether a drag carries files (not text or a link dragged from the page). */
const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

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
  wholePage = false,
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
  /**
   * Takes a file dropped anywhere on the page that no other drop area took: for a screen with one
   * import, whose area may lie below the fold of a small window. The area lights up while a file is
   * dragged over the page, and comes into view when one is dropped, to show its progress.
   */
  wholePage?: boolean;
}) {
  const [over, setOver] = useState(false);
  const area = useRef<HTMLDivElement>(null);
  // The listeners outlive renders: they read the latest busy state and handler from here.
  const latest = useRef({ busy, onFile });
  useEffect(() => {
    latest.current = { busy, onFile };
  });
  useEffect(() => {
    if (!wholePage) return;
    const dragOver = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      setOver(true);
    };
    // relatedTarget is null once the drag leaves the window (or is given up).
    const dragLeave = (event: DragEvent) => {
      if (event.relatedTarget === null) setOver(false);
    };
    const drop = (event: DragEvent) => {
      setOver(false);
      // A drop area's own handler (this one's included) has taken it already.
      if (event.defaultPrevented || !carriesFiles(event)) return;
      event.preventDefault();
      const file = event.dataTransfer?.files[0];
      if (!file || latest.current.busy) return;
      area.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      latest.current.onFile(file);
    };
    document.addEventListener('dragover', dragOver);
    document.addEventListener('dragleave', dragLeave);
    document.addEventListener('drop', drop);
    return () => {
      document.removeEventListener('dragover', dragOver);
      document.removeEventListener('dragleave', dragLeave);
      document.removeEventListener('drop', drop);
    };
  }, [wholePage]);
  return (
    <div
      ref={area}
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

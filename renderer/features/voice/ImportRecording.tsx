/**
 * Importing an existing recording, by drop or by file picker: streamed to the main process in
 * pieces like a recording, where its content (never its name) decides whether it is accepted.
 */
import { useRef, useState } from 'react';
import { formatBytes } from '../../../shared/audio-analysis';
import { takeStreaming } from '../../../shared/contract/takes';
import type { Take } from '../../../shared/drafts';
import { StudioError } from '../../../shared/errors';
import { voiceRules } from '../../../shared/requirements';
import { asStudioError, useStudio } from '../../api/studio-context';
import { Notice } from '../../ui/Notice';

const pieceBytes = 1024 * 1024;

export function ImportRecording({ draftId, onImported }: { draftId: string; onImported: (take: Take) => void }) {
  const studio = useStudio();
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [over, setOver] = useState(false);

  async function importFile(file: File) {
    setError(null);
    if (file.size > takeStreaming.maxTakeBytes) {
      setError(`“${file.name}” is ${formatBytes(file.size)}: far larger than any ${voiceRules.maxSeconds / 60}-minute recording.`);
      return;
    }
    setProgress(0);
    let takeId: string | null = null;
    try {
      const take = await studio.call('takes/begin', {
        draftId,
        kind: 'voice',
        source: 'imported',
        mimeType: file.type.slice(0, 120),
        originalName: file.name.slice(0, 255),
        expectedBytes: file.size,
      });
      takeId = take.id;
      let seq = 0;
      for (let offset = 0; offset < file.size; offset += pieceBytes) {
        const bytes = new Uint8Array(await file.slice(offset, offset + pieceBytes).arrayBuffer());
        await studio.call('takes/append', { draftId, takeId, seq: seq++, bytes });
        setProgress(Math.min(1, (offset + bytes.byteLength) / file.size));
      }
      const imported = await studio.call('takes/finish', { draftId, takeId });
      takeId = null;
      onImported(imported);
    } catch (failure) {
      const studioError = asStudioError(failure);
      setError(studioError instanceof StudioError ? `“${file.name}” was not imported. ${studioError.message}` : String(failure));
      // An import that failed half-way leaves nothing behind.
      if (takeId) await studio.call('takes/discard', { draftId, takeId }).catch(() => undefined);
    } finally {
      setProgress(null);
      if (input.current) input.current.value = '';
    }
  }

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
        if (file) void importFile(file);
      }}
    >
      <div className="import-text">
        <strong>Import a recording</strong>
        <span className="muted small">
          Drop a file here or choose one: {voiceRules.formats.join(', ')}. It gets the same checks as a recording.
        </span>
      </div>
      <label className="button">
        Choose file…
        <input
          ref={input}
          type="file"
          className="visually-hidden"
          accept="audio/*,video/mp4,video/webm,.mp3,.wav,.m4a,.flac,.ogg,.webm,.mp4"
          aria-label="Import a recording"
          disabled={progress !== null}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void importFile(file);
          }}
        />
      </label>
      {progress !== null && (
        <div className="import-progress" role="progressbar" aria-label="Import progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress * 100)}>
          <div style={{ width: `${progress * 100}%` }} />
          <span className="small muted">{progress < 1 ? 'Reading the file…' : 'Checking the recording…'}</span>
        </div>
      )}
      {error && (
        <div className="import-error">
          <Notice tone="error" title="Import refused">
            {error}
          </Notice>
        </div>
      )}
    </div>
  );
}

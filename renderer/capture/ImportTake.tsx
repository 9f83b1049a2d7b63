/**
 * Importing an existing recording or video, by drop or by file picker: the file's name is checked
 * first (shared/take-import.ts, the rule the takes service applies too), then it is sent to the main
 * process in pieces like a recording, where its content (never its name) decides whether it is
 * accepted. A refused file leaves the draft as it was.
 */
import { useRef, useState } from 'react';
import type { Take } from '../../shared/drafts';
import { importAccept, importFormats, importRefusal, type ImportKind } from '../../shared/take-import';
import { sendInPieces } from '../api/send-in-pieces';
import { asStudioError, useStudio } from '../api/studio-context';
import { FileDrop } from '../ui/FileDrop';

const words: Record<ImportKind, { title: string; hint: string; label: string }> = {
  voice: { title: 'Import a recording', hint: 'It gets the same checks as a recording.', label: 'Import a recording' },
  video: {
    title: 'Import a video',
    hint: 'From a phone or camera (portrait or landscape, HEVC, 4K): it is shown upright and gets the same checks as a recording.',
    label: 'Import a video',
  },
};

/** `wholePage`: a file dropped anywhere on the screen imports here (FileDrop's; for a screen with no other drop area). */
export function ImportTake({
  draftId,
  kind,
  onImported,
  wholePage = false,
}: {
  draftId: string;
  kind: ImportKind;
  onImported: (take: Take) => void;
  wholePage?: boolean;
}) {
  const studio = useStudio();
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  // The import under way: Cancel stops its reading, or its checks once every piece has arrived.
  const current = useRef<{ stop: AbortController; takeId: string | null } | null>(null);
  const text = words[kind];

  function cancel() {
    const running = current.current;
    if (!running) return;
    running.stop.abort();
    if (running.takeId) void studio.call('takes/discard', { draftId, takeId: running.takeId }).catch(() => undefined);
  }

  async function importFile(file: File) {
    setError(null);
    setNote(null);
    const refusal = importRefusal(kind, file.name, file.size);
    if (refusal) {
      setError(refusal);
      return;
    }
    setProgress(0);
    const running = { stop: new AbortController(), takeId: null as string | null };
    current.current = running;
    try {
      const take = await studio.call('takes/begin', {
        draftId,
        kind,
        source: 'imported',
        mimeType: file.type.slice(0, 120),
        originalName: file.name.slice(0, 255),
        expectedBytes: file.size,
      });
      running.takeId = take.id;
      // An import that fails half-way, or is refused, leaves nothing behind.
      const imported = await sendInPieces(
        file,
        {
          append: (seq, bytes) => studio.call('takes/append', { draftId, takeId: take.id, seq, bytes }),
          finish: () => studio.call('takes/finish', { draftId, takeId: take.id }),
          cancel: () => studio.call('takes/discard', { draftId, takeId: take.id }),
        },
        { onProgress: setProgress, signal: running.stop.signal },
      );
      onImported(imported);
    } catch (failure) {
      const stopped = running.stop.signal.aborted || asStudioError(failure).code === 'CANCELLED';
      if (stopped) setNote(`The import of “${file.name}” was cancelled: nothing was added.`);
      else setError(`“${file.name}” was not imported. ${asStudioError(failure).message}`);
    } finally {
      if (current.current === running) current.current = null;
      setProgress(null);
    }
  }

  return (
    <FileDrop
      title={text.title}
      hint={`Drop a file ${wholePage ? 'anywhere on this step' : 'here'} or choose one: ${importFormats[kind].names}. ${text.hint}`}
      button="Choose file…"
      accept={importAccept(kind)}
      inputLabel={text.label}
      busy={progress !== null}
      onFile={(file) => void importFile(file)}
      wholePage={wholePage}
      progress={
        progress !== null && (
          // Once every piece has arrived the checks run in the main process, which reports no
          // fraction of them: the bar then says it is busy (no value) instead of standing full.
          <div
            className={`import-progress${progress < 1 ? '' : ' import-progress-busy'}`}
            role="progressbar"
            aria-label={progress < 1 ? 'Import progress' : 'Checking the import'}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={progress < 1 ? Math.round(progress * 100) : undefined}
          >
            <div style={progress < 1 ? { width: `${progress * 100}%` } : undefined} />
            <span className="small muted">{progress < 1 ? 'Reading the file…' : kind === 'video' ? 'Checking the video…' : 'Checking the recording…'}</span>
          </div>
        )
      }
      onCancel={progress !== null ? cancel : undefined}
      note={note}
      refusal={error}
    />
  );
}

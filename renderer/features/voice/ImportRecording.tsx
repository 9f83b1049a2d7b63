/**
 * Importing an existing recording, by drop or by file picker: sent to the main process in pieces
 * like a recording, where its content (never its name) decides whether it is accepted.
 */
import { useState } from 'react';
import { formatBytes } from '../../../shared/audio-analysis';
import { takeStreaming } from '../../../shared/contract/takes';
import type { Take } from '../../../shared/drafts';
import { voiceRules } from '../../../shared/requirements';
import { sendInPieces } from '../../api/send-in-pieces';
import { messageOf, useStudio } from '../../api/studio-context';
import { FileDrop } from '../../ui/FileDrop';

export function ImportRecording({ draftId, onImported }: { draftId: string; onImported: (take: Take) => void }) {
  const studio = useStudio();
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function importFile(file: File) {
    setError(null);
    if (file.size > takeStreaming.maxTakeBytes) {
      setError(`“${file.name}” is ${formatBytes(file.size)}: far larger than any ${voiceRules.maxSeconds / 60}-minute recording.`);
      return;
    }
    setProgress(0);
    try {
      const take = await studio.call('takes/begin', {
        draftId,
        kind: 'voice',
        source: 'imported',
        mimeType: file.type.slice(0, 120),
        originalName: file.name.slice(0, 255),
        expectedBytes: file.size,
      });
      // An import that fails half-way, or is refused, leaves nothing behind.
      const imported = await sendInPieces(
        file,
        {
          append: (seq, bytes) => studio.call('takes/append', { draftId, takeId: take.id, seq, bytes }),
          finish: () => studio.call('takes/finish', { draftId, takeId: take.id }),
          cancel: () => studio.call('takes/discard', { draftId, takeId: take.id }),
        },
        { onProgress: setProgress },
      );
      onImported(imported);
    } catch (failure) {
      setError(`“${file.name}” was not imported. ${messageOf(failure)}`);
    } finally {
      setProgress(null);
    }
  }

  return (
    <FileDrop
      title="Import a recording"
      hint={`Drop a file here or choose one: ${voiceRules.formats.join(', ')}. It gets the same checks as a recording.`}
      button="Choose file…"
      accept="audio/*,video/mp4,video/webm,.mp3,.wav,.m4a,.flac,.ogg,.webm,.mp4"
      inputLabel="Import a recording"
      busy={progress !== null}
      onFile={(file) => void importFile(file)}
      progress={
        progress !== null && (
          <div
            className="import-progress"
            role="progressbar"
            aria-label="Import progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(progress * 100)}
          >
            <div style={{ width: `${progress * 100}%` }} />
            <span className="small muted">{progress < 1 ? 'Reading the file…' : 'Checking the recording…'}</span>
          </div>
        )
      }
      refusal={error}
    />
  );
}

/** The library's two lower panels: recently deleted drafts (restore, empty) and where the data lives. */
import { useState } from 'react';
import { formatSize } from './format';
import { asStudioError, useCall, useStudio } from '../../api/studio-context';
import { navigate } from '../../navigation/router';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Notice } from '../../ui/Notice';

export function TrashPanel() {
  const studio = useStudio();
  const trash = useCall('library/trash', {}, ['drafts/changed', 'library/changed']);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (trash.state !== 'ready') return null;
  const { entries, systemTrash, folder } = trash.value;

  async function restore(entryId: string) {
    setError(null);
    try {
      const { id } = await studio.call('library/restore', { entryId });
      navigate({ screen: 'draft', draftId: id, step: 'person' });
    } catch (caught) {
      setError(asStudioError(caught).message);
    }
  }

  async function empty() {
    setConfirming(false);
    try {
      await studio.call('library/emptyTrash', {});
    } catch (caught) {
      setError(asStudioError(caught).message);
    }
  }

  return (
    <section className="panel" aria-labelledby="trash-title">
      <div className="panel-header">
        <h3 id="trash-title">Recently deleted</h3>
        {entries.length > 0 && (
          <button type="button" className="button button-small button-quiet" onClick={() => setConfirming(true)}>
            {systemTrash ? 'Move all to the system trash' : 'Delete all for good'}
          </button>
        )}
      </div>
      <p className="hint">
        {systemTrash
          ? 'A deleted draft stays here for ten minutes, so you can undo, then moves to the system trash with its media.'
          : 'This studio cannot reach the system trash here, so deleted drafts are kept in its own trash folder until you delete them for good: '}
        {!systemTrash && <span className="path">{folder}</span>}
      </p>
      {error && <Notice tone="error">{error}</Notice>}
      {entries.length === 0 ? (
        <p className="muted small">Nothing deleted.</p>
      ) : (
        <ul className="trash-list">
          {entries.map((entry) => (
            <li key={entry.entryId}>
              <span className="trash-name">{entry.displayName}</span>
              <span className="muted small">
                deleted {new Date(entry.deletedAt).toLocaleString()} · {formatSize(entry.bytes)}
                {entry.handOffAt && ` · to the system trash at ${new Date(entry.handOffAt).toLocaleTimeString()}`}
              </span>
              <button type="button" className="button button-small" onClick={() => void restore(entry.entryId)} aria-label={`Restore ${entry.displayName}`}>
                Restore
              </button>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={confirming}
        title={systemTrash ? 'Move every deleted draft to the system trash?' : 'Delete every deleted draft for good?'}
        message={
          systemTrash
            ? 'They can no longer be restored from the studio; the system trash keeps them until it is emptied.'
            : 'Their recordings, photos and consent records are removed from this computer. This cannot be undone.'
        }
        confirmLabel={systemTrash ? 'Move to system trash' : 'Delete for good'}
        danger={!systemTrash}
        onConfirm={() => void empty()}
        onCancel={() => setConfirming(false)}
      />
    </section>
  );
}

export function DataPanel() {
  const usage = useCall('library/usage', {}, ['drafts/changed', 'library/changed']);
  if (usage.state === 'error')
    return (
      <Notice tone="error" title="The data folder could not be measured">
        {usage.error.message}
      </Notice>
    );
  if (usage.state !== 'ready') return null;
  const value = usage.value;
  const parts = [
    { key: 'drafts', label: 'Drafts', bytes: value.draftsBytes },
    { key: 'trash', label: 'Trash', bytes: value.trashBytes },
    { key: 'exports', label: 'Exported archives', bytes: value.exportsBytes },
    { key: 'receipts', label: 'Consent receipts', bytes: value.receiptsBytes },
    { key: 'other', label: 'Settings and logs', bytes: value.otherBytes },
  ];
  const total = Math.max(1, value.totalBytes);
  return (
    <section className="panel" aria-labelledby="data-title">
      <div className="panel-header">
        <h3 id="data-title">Where your data lives</h3>
        <span className="muted small">
          {formatSize(value.totalBytes)} in use{value.freeBytes !== null && ` · ${formatSize(value.freeBytes)} free on this disk`}
        </span>
      </div>
      <p className="hint">
        Everything the studio records stays in this folder on this computer until you submit it: <span className="path">{value.dataDir}</span>
      </p>
      <div className="usage-bar" aria-hidden="true">
        {parts.map((part) => (
          <span key={part.key} className={`usage-part usage-${part.key}`} style={{ width: `${(part.bytes / total) * 100}%` }} />
        ))}
      </div>
      <dl className="usage-legend">
        {parts.map((part) => (
          <div key={part.key}>
            <dt>
              <span className={`usage-swatch usage-${part.key}`} aria-hidden="true" />
              {part.label}
            </dt>
            <dd>{formatSize(part.bytes)}</dd>
          </div>
        ))}
      </dl>
      <p className="hint">
        Deleting a draft removes its media from the drafts folder; consent receipts are kept in <span className="path">{value.receiptsFolder}</span> and
        archives in <span className="path">{value.exportsFolder}</span> until you remove them.
      </p>
    </section>
  );
}

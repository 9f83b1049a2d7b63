/**
 * "Deleted … Undo": shown after any delete, wherever it happened (the library, a draft's page), for
 * a few seconds; the trash section of the library keeps the way back open for longer.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { TrashEntry } from '../../../shared/contract/library';
import { asStudioError, useStudio } from '../../api/studio-context';
import { navigate } from '../../navigation/router';

const visibleMs = 15_000;
let current: { entries: TrashEntry[]; at: number } | null = null;
const listeners = new Set<() => void>();

function publish(next: typeof current) {
  current = next;
  for (const listener of listeners) listener();
}

export function announceDeleted(entries: TrashEntry[]): void {
  if (entries.length > 0) publish({ entries, at: Date.now() });
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function DeletedToast() {
  const studio = useStudio();
  const shown = useSyncExternalStore(subscribe, () => current);
  // A failed undo is about the deletion shown when it failed, not a later one.
  const [failure, setFailure] = useState<{ of: typeof shown; message: string } | null>(null);
  const error = failure && failure.of === shown ? failure.message : null;

  useEffect(() => {
    if (!shown) return;
    const timer = window.setTimeout(() => current === shown && publish(null), visibleMs);
    return () => window.clearTimeout(timer);
  }, [shown]);

  if (!shown) return null;
  const names = shown.entries.map((entry) => entry.displayName);
  const label = names.length === 1 ? names[0] : `${names.length} drafts`;

  async function undo() {
    if (!shown) return;
    try {
      const restored: string[] = [];
      for (const entry of shown.entries) restored.push((await studio.call('library/restore', { entryId: entry.entryId })).id);
      publish(null);
      if (restored.length === 1) navigate({ screen: 'draft', draftId: restored[0]!, step: 'person' });
    } catch (caught) {
      setFailure({ of: shown, message: asStudioError(caught).message });
    }
  }

  return (
    <div className="toast" role="status" aria-live="polite">
      <span>
        Deleted <strong>{label}</strong>. {error ?? 'It is in the trash.'}
      </span>
      <button type="button" className="button button-small" onClick={() => void undo()}>
        Undo
      </button>
      <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => publish(null)}>
        ×
      </button>
    </div>
  );
}

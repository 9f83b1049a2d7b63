/**
 * The library: every draft on this computer with its picture, progress, check verdicts, consent and
 * approval; search and sort; open, duplicate, delete (with undo), export and import archives; the
 * trash; and where the data lives and how much room it takes.
 */
import { useMemo, useRef, useState } from 'react';
import { formatSize } from './format';
import type { ExportResult, ImportResult, LibraryEntry } from '../../../shared/contract/library';
import { type StudioError } from '../../../shared/errors';
import { asStudioError, useCall, useStudio } from '../../api/studio-context';
import { routeHref, stepLabels } from '../../navigation/router';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Notice } from '../../ui/Notice';
import { Screen } from '../../ui/Screen';
import { announceDeleted } from './DeletedToast';
import { DataPanel, TrashPanel } from './LibraryPanels';
import { Thumbnail } from './Thumbnail';
import { downloadArchive, importArchive } from './transfer';

type SortKey = 'updated' | 'name' | 'created' | 'progress';

const sorters: Record<SortKey, (a: LibraryEntry, b: LibraryEntry) => number> = {
  updated: (a, b) => b.updatedAt.localeCompare(a.updatedAt),
  created: (a, b) => b.createdAt.localeCompare(a.createdAt),
  name: (a, b) => a.displayName.localeCompare(b.displayName),
  progress: (a, b) => doneSteps(b) - doneSteps(a) || b.updatedAt.localeCompare(a.updatedAt),
};

function doneSteps(entry: LibraryEntry): number {
  return entry.steps.filter((step) => step.done).length;
}

const consentWords = { none: 'Not recorded', recorded: 'Not attested', complete: 'Attested' } as const;

export function LibraryScreen() {
  const studio = useStudio();
  const list = useCall('library/list', {}, ['drafts/changed', 'submission/changed']);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortKey>('updated');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<StudioError | null>(null);
  const [exported, setExported] = useState<ExportResult | null>(null);
  const [imported, setImported] = useState<ImportResult | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [conflict, setConflict] = useState<{ file: File; message: string } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const entries = useMemo(() => {
    if (list.state !== 'ready') return [];
    const needle = query.trim().toLowerCase();
    const matching = needle
      ? list.value.drafts.filter((entry) => `${entry.displayName} ${entry.avatarVersion}`.toLowerCase().includes(needle))
      : list.value.drafts;
    return [...matching].sort(sorters[sort]);
  }, [list, query, sort]);
  const visibleSelected = entries.filter((entry) => selected.has(entry.id)).map((entry) => entry.id);

  async function run<T>(label: string, work: () => Promise<T>): Promise<T | null> {
    setBusy(label);
    setError(null);
    try {
      return await work();
    } catch (caught) {
      setError(asStudioError(caught));
      return null;
    } finally {
      setBusy(null);
      setProgress(null);
    }
  }

  function toggle(id: string, on: boolean) {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  async function remove(ids: string[]) {
    const result = await run('Moving to the trash…', () => studio.call('library/delete', { ids }));
    if (result) {
      announceDeleted(result.trashed);
      setSelected(new Set());
    }
  }

  async function exportDrafts(ids: string[]) {
    setImported(null);
    const result = await run('Writing the archive…', () => studio.call('library/export', { ids }));
    if (result) setExported(result);
  }

  async function startImport(file: File, replace = false) {
    setExported(null);
    setImported(null);
    setBusy('Importing and verifying…');
    setError(null);
    try {
      setImported(await importArchive(studio, file, { replace, onProgress: setProgress }));
    } catch (caught) {
      const failure = asStudioError(caught);
      if (failure.code === 'CONFLICT' && !replace) setConflict({ file, message: failure.message });
      else setError(failure);
    } finally {
      setBusy(null);
      setProgress(null);
      if (fileInput.current) fileInput.current.value = '';
    }
  }

  const actions = (
    <div className="button-row">
      <label className="button file-button">
        Import archive…
        <input
          ref={fileInput}
          type="file"
          accept=".zip,application/zip"
          className="visually-hidden"
          aria-label="Import an archive"
          disabled={busy !== null}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void startImport(file);
          }}
        />
      </label>
    </div>
  );

  return (
    <Screen
      title="Library"
      intro="Every person’s draft on this computer. Export drafts as one archive to hand them to a reviewer; import one to review it here."
      actions={actions}
    >
      {busy && (
        <div className="busy-line" role="status">
          <span>{busy}</span>
          {progress !== null && (
            <div
              className="progress"
              role="progressbar"
              aria-label="Transfer progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(progress * 100)}
            >
              <div className="progress-fill" style={{ width: `${Math.round(progress * 100)}%` }} />
            </div>
          )}
        </div>
      )}
      {error && (
        <Notice tone="error" title={error.code === 'CORRUPT' ? 'The archive was refused' : 'That did not work'}>
          {error.message}
        </Notice>
      )}
      {exported && <ExportedNotice result={exported} />}
      {imported && (
        <Notice tone="success" title={`Imported ${imported.imported.length === 1 ? imported.imported[0]!.displayName : `${imported.imported.length} drafts`}`}>
          Every file matched its SHA-256 in the archive’s manifest ({imported.files} files, {formatSize(imported.bytes)}).{' '}
          {imported.imported.some((item) => item.replaced) && 'The versions that were here are in the trash. '}
          {imported.imported.map((item, index) => (
            <span key={item.id}>
              {index > 0 && ' · '}
              <a href={routeHref({ screen: 'draft', draftId: item.id, step: 'review' })}>Review {item.displayName}</a>
            </span>
          ))}
        </Notice>
      )}

      <div className="library-toolbar">
        <input
          type="search"
          className="input"
          placeholder="Search by name"
          aria-label="Search the library"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        <label className="inline-field">
          <span>Sort by</span>
          <select className="input" value={sort} onChange={(event) => setSort(event.target.value as SortKey)} aria-label="Sort by">
            <option value="updated">Last changed</option>
            <option value="created">Newest first</option>
            <option value="name">Name</option>
            <option value="progress">Most complete</option>
          </select>
        </label>
        <div className="selection-actions" role="group" aria-label="With the selected drafts">
          <span className="muted small">{visibleSelected.length === 0 ? 'Tick drafts to act on several' : `${visibleSelected.length} selected`}</span>
          <button
            type="button"
            className="button button-small"
            disabled={visibleSelected.length === 0 || busy !== null}
            onClick={() => void exportDrafts(visibleSelected)}
          >
            Export selected
          </button>
          <button
            type="button"
            className="button button-small button-quiet"
            disabled={visibleSelected.length === 0 || busy !== null}
            onClick={() => void remove(visibleSelected)}
          >
            Delete selected
          </button>
        </div>
      </div>

      {list.state === 'error' && (
        <Notice tone="error" title="The library could not be read">
          {list.error.message}
        </Notice>
      )}
      {list.state === 'loading' && <p className="muted">Reading the library…</p>}
      {list.state === 'ready' && list.value.drafts.length === 0 && (
        <div className="empty-state">
          <p>
            No drafts yet. Start one with <strong>New draft</strong>, or import an archive someone exported for you.
          </p>
        </div>
      )}
      {list.state === 'ready' && list.value.drafts.length > 0 && entries.length === 0 && <p className="muted">No draft matches “{query}”.</p>}
      {entries.length > 0 && (
        <table className="library-table">
          <thead>
            <tr>
              <th scope="col" className="col-check">
                <input
                  type="checkbox"
                  aria-label="Select every draft shown"
                  checked={visibleSelected.length === entries.length}
                  onChange={(event) => setSelected(event.target.checked ? new Set(entries.map((entry) => entry.id)) : new Set())}
                />
              </th>
              <th scope="col">Person</th>
              <th scope="col">Progress</th>
              <th scope="col">Checks</th>
              <th scope="col">Consent</th>
              <th scope="col">State</th>
              <th scope="col" className="col-size" title="Everything the draft holds on this computer, previews included">
                On disk
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <LibraryRow
                key={entry.id}
                entry={entry}
                selected={selected.has(entry.id)}
                busy={busy !== null}
                onSelect={(on) => toggle(entry.id, on)}
                onDuplicate={() => void run('Duplicating…', () => studio.call('library/duplicate', { id: entry.id }))}
                onExport={() => void exportDrafts([entry.id])}
                onDelete={() => void remove([entry.id])}
              />
            ))}
          </tbody>
        </table>
      )}
      {list.state === 'ready' &&
        list.value.problems.map((problem) => (
          <Notice key={problem.id} tone="warn" title="A draft could not be read">
            {problem.message} <span className="path">{problem.keptAs}</span>
          </Notice>
        ))}

      <TrashPanel />
      <DataPanel />

      <ConfirmDialog
        open={conflict !== null}
        title="Replace drafts already here?"
        message={`${conflict?.message ?? ''}`}
        confirmLabel="Replace"
        onConfirm={() => {
          const file = conflict?.file;
          setConflict(null);
          if (file) void startImport(file, true);
        }}
        onCancel={() => setConflict(null)}
      />
    </Screen>
  );
}

function LibraryRow({
  entry,
  selected,
  busy,
  onSelect,
  onDuplicate,
  onExport,
  onDelete,
}: {
  entry: LibraryEntry;
  selected: boolean;
  busy: boolean;
  onSelect: (on: boolean) => void;
  onDuplicate: () => void;
  onExport: () => void;
  onDelete: () => void;
}) {
  const status = entry.status;
  const done = doneSteps(entry);
  const material = status.needs.filter((need) => need.step === 'person' || need.step === 'voice' || need.step === 'camera');
  return (
    <tr className={selected ? 'selected' : undefined} data-draft={entry.id}>
      <td className="col-check">
        <input type="checkbox" checked={selected} onChange={(event) => onSelect(event.target.checked)} aria-label={`Select ${entry.displayName}`} />
      </td>
      <td>
        <div className="library-person">
          <Thumbnail entry={entry} />
          <div className="library-name">
            <a href={routeHref({ screen: 'draft', draftId: entry.id, step: status.needs[0]?.step ?? 'submit' })}>{entry.displayName}</a>
            <span className="muted small">
              {entry.avatarVersion === 'v2' ? 'Video avatar' : 'Photo avatar'} · changed {new Date(entry.updatedAt).toLocaleDateString()}
            </span>
          </div>
        </div>
      </td>
      <td>
        <div
          className="step-dots"
          aria-label={`${done} of ${entry.steps.length} steps done`}
          title={material.length ? `Needs ${material.map((need) => need.what).join(', ')}` : 'Material complete'}
        >
          {status.steps.map((step) => (
            <span key={step.step} className={step.done ? 'step-dot done' : 'step-dot'} title={`${stepLabels[step.step]}: ${step.detail}`} />
          ))}
        </div>
        <span className="small muted">
          {material.length ? `Needs ${material[0]!.what}${material.length > 1 ? ` +${material.length - 1}` : ''}` : 'Material complete'}
        </span>
      </td>
      <td>
        <span className="verdict-counts" aria-label={`${entry.verdicts.pass} pass, ${entry.verdicts.warn} warnings, ${entry.verdicts.fail} fail`}>
          <span className="badge badge-pass">✓ {entry.verdicts.pass}</span>
          <span className={entry.verdicts.warn ? 'badge badge-warn' : 'badge'}>! {entry.verdicts.warn}</span>
          <span className={entry.verdicts.fail ? 'badge badge-fail' : 'badge'}>✕ {entry.verdicts.fail}</span>
        </span>
      </td>
      <td className="small consent-cell">{consentWords[entry.consent]}</td>
      <td>
        <span className={`badge badge-${status.tone}`} title={status.detail} data-testid="draft-status" data-stage={status.stage}>
          {status.label}
        </span>
      </td>
      <td className="col-size small">{formatSize(entry.bytes)}</td>
      <td>
        <div className="row-actions">
          <button type="button" className="button button-small" onClick={onDuplicate} disabled={busy} aria-label={`Duplicate ${entry.displayName}`}>
            Duplicate
          </button>
          <button type="button" className="button button-small" onClick={onExport} disabled={busy} aria-label={`Export ${entry.displayName}`}>
            Export
          </button>
          <button type="button" className="button button-small button-quiet" onClick={onDelete} disabled={busy} aria-label={`Delete ${entry.displayName}`}>
            Delete
          </button>
        </div>
      </td>
    </tr>
  );
}

function ExportedNotice({ result }: { result: ExportResult }) {
  const studio = useStudio();
  const [share, setShare] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function download() {
    setError(null);
    setShare(0);
    try {
      await downloadArchive(studio, result.archiveName, setShare);
    } catch (caught) {
      setError(asStudioError(caught).message);
    } finally {
      setShare(null);
    }
  }
  return (
    <Notice tone="success" title={`Exported ${result.drafts === 1 ? 'one draft' : `${result.drafts} drafts`} (${formatSize(result.bytes)})`}>
      <p className="notice-text">
        Saved as <span className="path">{result.path}</span>. The archive holds the media, details, checks and consent record, and a manifest with the SHA-256
        of every file, so an import elsewhere can prove nothing changed on the way. Playback previews made on this computer are left out (they are made again
        where needed), so the archive can be smaller than the On disk column.
      </p>
      <div className="button-row">
        <button type="button" className="button button-small" onClick={() => void download()} disabled={share !== null}>
          {share === null ? 'Download a copy' : `Preparing download… ${Math.round(share * 100)}%`}
        </button>
      </div>
      {error && <p className="field-error">{error}</p>}
    </Notice>
  );
}

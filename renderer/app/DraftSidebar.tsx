/** The draft picker: every person in progress, where each stands, and a way to start a new one. */
import { useMemo, useState } from 'react';
import type { Submission } from '../../shared/contract/submission';
import { draftStatus } from '../../shared/draft-status';
import type { DraftSummary } from '../../shared/drafts';
import { asStudioError, useCall, useStudio } from '../api/studio-context';
import { navigate, routeHref } from '../navigation/router';
import { Notice } from '../ui/Notice';
import { DeletedToast } from '../features/library/DeletedToast';
import { useSubmissions } from '../features/submit/use-submission';
import { OperatorPanel } from '../features/drafts/OperatorPanel';

export function DraftSidebar({ activeDraftId }: { activeDraftId: string | null }) {
  const studio = useStudio();
  const list = useCall('drafts/list', {}, ['drafts/changed']);
  const submissions = useSubmissions();
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(null);

  const drafts = useMemo(() => {
    if (list.state !== 'ready') return [];
    const needle = query.trim().toLowerCase();
    return needle ? list.value.drafts.filter((draft) => draft.displayName.toLowerCase().includes(needle)) : list.value.drafts;
  }, [list, query]);

  async function createDraft() {
    setError(null);
    try {
      const draft = await studio.call('drafts/create', {});
      navigate({ screen: 'draft', draftId: draft.id, step: 'person' });
    } catch (caught) {
      setError(asStudioError(caught).message);
    }
  }

  return (
    <nav className="drafts" aria-label="Drafts">
      <div className="drafts-top">
        <button type="button" className="button button-primary button-block" onClick={() => void createDraft()}>
          New draft
        </button>
        <OperatorPanel activeDraftId={activeDraftId} />
        <input
          type="search"
          className="input"
          placeholder="Search drafts"
          aria-label="Search drafts"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      {error && <Notice tone="error">{error}</Notice>}
      {list.state === 'error' && (
        <Notice tone="error" title="Drafts could not be listed">
          {list.error.message}
        </Notice>
      )}
      <ul className="draft-list">
        {drafts.map((draft) => (
          <li key={draft.id}>
            <a
              className={draft.id === activeDraftId ? 'draft-link active' : 'draft-link'}
              href={routeHref({ screen: 'draft', draftId: draft.id, step: 'person' })}
              aria-current={draft.id === activeDraftId ? 'page' : undefined}
            >
              <span className="draft-name">{draft.displayName}</span>
              <DraftMeta draft={draft} submission={submissions.get(draft.id) ?? null} />
            </a>
          </li>
        ))}
      </ul>
      {list.state === 'ready' && list.value.drafts.length === 0 && <p className="muted drafts-empty">No drafts yet. Start one for each person you film.</p>}
      {list.state === 'ready' && query && drafts.length === 0 && list.value.drafts.length > 0 && (
        <p className="muted drafts-empty">No draft matches “{query}”.</p>
      )}
      {list.state === 'ready' &&
        list.value.problems.map((problem) => (
          <Notice key={problem.id} tone="warn" title="A draft could not be opened">
            {problem.message} <span className="path">{problem.keptAs}</span>
          </Notice>
        ))}
      <DeletedToast />
    </nav>
  );
}

/** The avatar model and where the draft stands, in the words the Library and Submit use too. */
function DraftMeta({ draft, submission }: { draft: DraftSummary; submission: Submission | null }) {
  const status = draftStatus(draft.facts, submission);
  return (
    <span className="draft-meta" title={status.detail}>
      {draft.avatarVersion === 'v2' ? 'Video avatar' : 'Photo avatar'} ·{' '}
      <span className={`draft-status draft-status-${status.tone}`} data-testid="draft-status" data-stage={status.stage}>
        {status.label}
      </span>
    </span>
  );
}

/**
 * The organisation's twins on the service: paged and searchable, with status (followed live until each
 * is ready or failed), preview and video loop, the drafts still on their way there, and agents made
 * from ready twins.
 */
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import type { AgentSummary, TwinSummary } from '../../../shared/contract/twins';
import { submissionStatus, twinStatusWord } from '../../../shared/draft-status';
import { isFailedStatus as isFailed, isReadyStatus as isReady } from '../../../shared/napster';
import { useCall, useStudio } from '../../api/studio-context';
import { routeHref } from '../../navigation/router';
import { Notice } from '../../ui/Notice';
import { Screen } from '../../ui/Screen';
import { SandboxBadge, useSandbox } from '../../ui/SandboxBanner';
import { AgentForm } from './AgentForm';
import { TwinPreview, TwinVideoLoop } from './TwinMedia';

const pageSize = 12;

function statusBadge(status: string | null): string {
  if (isReady(status)) return 'badge badge-pass';
  if (isFailed(status)) return 'badge badge-fail';
  return 'badge badge-warn';
}

/** What a draft's status calls a ready twin (shared/draft-status.ts), so the notice says it the same way. */
const readyWords = submissionStatus({ state: 'done', step: 'done', twin: null, error: null }).label;

/** Tells the person when a twin becomes ready: in the page, and as a system notification where allowed. */
export function useReadyNotices(): { notices: string[]; dismiss: (text: string) => void } {
  const studio = useStudio();
  const [notices, setNotices] = useState<string[]>([]);
  useEffect(
    () =>
      studio.on('twins/ready', ({ name }) => {
        const text = `${name} is ready to use.`;
        setNotices((current) => (current.includes(text) ? current : [...current, text]));
        if (typeof Notification !== 'undefined' && Notification.permission === 'granted') new Notification(readyWords, { body: text });
      }),
    [studio],
  );
  return { notices, dismiss: (text) => setNotices((current) => current.filter((item) => item !== text)) };
}

function SubmissionsPanel() {
  const submissions = useCall('submission/list', {}, ['submission/changed']);
  if (submissions.state !== 'ready') return null;
  const open = submissions.value.items.filter((item) => item.state !== 'done' && item.state !== 'cancelled');
  if (open.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="queue-title" data-testid="submission-queue">
      <div className="panel-header">
        <h3 id="queue-title">On their way</h3>
        <span className="muted">Submissions run one after another in the background.</span>
      </div>
      <ul className="queue-list">
        {open.map((item) => {
          const status = submissionStatus(item);
          const total = item.files.reduce((sum, file) => sum + file.bytes, 0);
          const sent = item.files.reduce((sum, file) => sum + (file.verifiedAt ? file.bytes : file.sentBytes), 0);
          return (
            <li key={item.draftId} className="queue-item">
              <a href={routeHref({ screen: 'draft', draftId: item.draftId, step: 'submit' })}>{item.draftId}</a>
              <span className={`badge badge-${status.tone}`}>{status.label}</span>
              {item.state === 'running' && item.step === 'upload' && total > 0 && (
                <div
                  className="progress"
                  role="progressbar"
                  aria-label="Upload"
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={Math.round((sent / total) * 100)}
                >
                  <div className="progress-fill" style={{ width: `${(sent / total) * 100}%` }} />
                </div>
              )}
              {item.error && <span className="field-error">{item.error.message}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function TwinCard({ twin, status, onAgent }: { twin: TwinSummary; status: string | null; onAgent: (agent: AgentSummary) => void }) {
  const [making, setMaking] = useState(false);
  const name = `${twin.firstName} ${twin.lastName}`.trim() || twin.id;
  const ready = isReady(status);
  return (
    <li className="twin-card" data-testid="twin-card" data-twin-id={twin.id} data-status={status ?? ''}>
      <TwinPreview id={twin.id} name={name} available={twin.hasPreview} />
      <div className="twin-body">
        <div className="twin-head">
          <strong className="twin-name">{name}</strong>
          <span className={statusBadge(status)} data-testid="twin-status">
            {status === null ? 'Unknown' : twinStatusWord(status)}
          </span>
        </div>
        {twin.headline && <p className="notice-text muted">{twin.headline}</p>}
        <p className="notice-text muted">
          <span className="path">{twin.id}</span>
          {twin.draftId && (
            <>
              {' · '}
              <a href={routeHref({ screen: 'draft', draftId: twin.draftId, step: 'submit' })}>its draft</a>
            </>
          )}
        </p>
        {isFailed(status) && <Notice tone="error">The service could not make this twin. Submit its draft again to request a new one.</Notice>}
        {twin.hasVideoLoop && <TwinVideoLoop id={twin.id} name={name} />}
        {twin.agents.length > 0 && (
          <ul className="agent-list" aria-label={`Agents of ${name}`}>
            {twin.agents.map((agent) => (
              <li key={agent.id} data-testid="agent">
                Agent <strong>{agent.name}</strong>: <span className="path">{agent.id}</span>
              </li>
            ))}
          </ul>
        )}
        {ready &&
          (making ? (
            <AgentForm
              twinId={twin.id}
              twinName={name}
              onCreated={(agent) => {
                setMaking(false);
                onAgent(agent);
              }}
            />
          ) : (
            <div className="button-row">
              <button type="button" className="button" onClick={() => setMaking(true)}>
                New agent…
              </button>
            </div>
          ))}
      </div>
    </li>
  );
}

export function TwinsScreen() {
  const studio = useStudio();
  const sandbox = useSandbox();
  const [pageIndex, setPageIndex] = useState(0);
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState('');
  const page = useCall('twins/list', { pageIndex, pageSize, ...(search ? { search } : {}) }, ['twins/ready']);
  const [statuses, setStatuses] = useState<Record<string, string | null>>({});
  const [created, setCreated] = useState<AgentSummary | null>(null);
  const { notices, dismiss } = useReadyNotices();
  const listed = page.state === 'ready' ? page.value : null;
  const items = listed?.items ?? [];
  // The twins on this page still generating, by id (compared by value: a page read again is the same page).
  const pending = useMemo(
    () =>
      (listed?.items ?? [])
        .filter((item) => !isReady(item.status) && !isFailed(item.status))
        .map((item) => item.id)
        .join(','),
    [listed],
  );

  // Follow the twins on this page that are still generating; their status arrives as events.
  useEffect(() => studio.on('twins/status', ({ id, status }) => setStatuses((current) => ({ ...current, [id]: status }))), [studio]);
  useEffect(() => {
    if (pending) void studio.call('twins/watch', { ids: pending.split(',') }).catch(() => undefined);
  }, [studio, pending]);

  function find(event: FormEvent) {
    event.preventDefault();
    setPageIndex(0);
    setSearch(query.trim());
  }

  const pages = page.state === 'ready' ? Math.max(1, Math.ceil(page.value.filteredCount / pageSize)) : 1;
  return (
    <Screen
      title="Twins"
      intro={
        sandbox
          ? 'The twins of the sandbox’s emulated organisation: local, not real.'
          : 'The digital twins of your organisation, and how far each one’s generation has come.'
      }
      actions={<SandboxBadge />}
    >
      {notices.map((text) => (
        <div key={text} className="notice notice-success" role="status">
          <strong className="notice-title">{readyWords}</strong>
          <div className="notice-body">
            {text}{' '}
            <button type="button" className="link-button" onClick={() => dismiss(text)}>
              Dismiss
            </button>
          </div>
        </div>
      ))}
      {typeof Notification !== 'undefined' && Notification.permission === 'default' && (
        <button type="button" className="button button-small twins-notify" onClick={() => void Notification.requestPermission()}>
          Notify me when a twin is ready
        </button>
      )}
      <SubmissionsPanel />
      <form className="library-toolbar" role="search" onSubmit={find}>
        <label className="visually-hidden" htmlFor="twins-search">
          Search twins
        </label>
        <input
          id="twins-search"
          className="input"
          type="search"
          placeholder="Search by name or client id"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        <button type="submit" className="button">
          Search
        </button>
        <button type="button" className="button button-quiet" onClick={() => page.reload()}>
          Refresh
        </button>
      </form>
      {created && (
        <Notice tone="success" title="Agent created">
          <span data-testid="created-agent">
            {created.name}: <span className="path">{created.id}</span>
          </span>
        </Notice>
      )}
      {page.state === 'loading' && <p className="muted">Asking the service…</p>}
      {page.state === 'error' && (
        <Notice tone={page.error.code === 'UNAUTHORIZED' ? 'warn' : 'error'} title="The twins could not be listed">
          {page.error.message} {page.error.code === 'UNAUTHORIZED' && <a href={routeHref({ screen: 'settings' })}>Open Settings</a>}
        </Notice>
      )}
      {page.state === 'ready' && items.length === 0 && (
        <div className="empty-state">{search ? `No twin matches “${search}”.` : 'No twins yet. Submit an approved draft to make one.'}</div>
      )}
      {items.length > 0 && (
        <ul className="twin-grid" aria-label="Twins">
          {items.map((twin) => (
            <TwinCard
              key={twin.id}
              twin={twin}
              status={statuses[twin.id] !== undefined ? statuses[twin.id]! : twin.status}
              onAgent={(agent) => {
                setCreated(agent);
                page.reload();
              }}
            />
          ))}
        </ul>
      )}
      {page.state === 'ready' && pages > 1 && (
        <nav className="button-row pager" aria-label="Pages">
          <button type="button" className="button" disabled={pageIndex === 0} onClick={() => setPageIndex((index) => index - 1)}>
            Previous
          </button>
          <span className="muted">
            Page {pageIndex + 1} of {pages} · {page.value.filteredCount} twins
          </span>
          <button type="button" className="button" disabled={pageIndex + 1 >= pages} onClick={() => setPageIndex((index) => index + 1)}>
            Next
          </button>
        </nav>
      )}
    </Screen>
  );
}

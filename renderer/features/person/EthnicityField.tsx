/**
 * Ethnicity as the service lists it: a dropdown fed by the endpoint or its cached copy (with the time
 * it was fetched), and plain text only when neither can be had.
 */
import { useState } from 'react';
import { useCall } from '../../api/studio-context';
import { routeHref } from '../../navigation/router';

export function EthnicityField({
  value,
  error,
  onChange,
  onBlur,
}: {
  value: string | null;
  error?: string;
  onChange: (value: string | null) => void;
  onBlur: () => void;
}) {
  // Asking again by hand goes to the service even when the cached list is recent.
  const [refresh, setRefresh] = useState(false);
  const list = useCall('service/ethnicities', refresh ? { refresh: true } : {}, ['apiKey/changed']);
  const askAgain = () => (refresh ? list.reload() : setRefresh(true));
  const id = 'person-ethnicity';
  const describedBy = `${id}-hint`;

  if (list.state !== 'ready') {
    return (
      <div className="field">
        <label htmlFor={id}>Ethnicity</label>
        <p className="hint" id={describedBy}>
          {list.state === 'loading' ? (
            'Loading the service’s list…'
          ) : (
            <>
              {list.error.message} Until then, type the value exactly as the service lists it.{' '}
              {list.error.code === 'UNAUTHORIZED' && <a href={routeHref({ screen: 'settings' })}>Open Settings</a>}
            </>
          )}
        </p>
        <input
          id={id}
          className="input"
          value={value ?? ''}
          autoComplete="off"
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          onChange={(event) => onChange(event.target.value || null)}
          onBlur={onBlur}
        />
        <span className="field-error" role={error ? 'alert' : undefined}>
          {error}
        </span>
      </div>
    );
  }

  const { values, fetchedAt, source, notice } = list.value;
  const unlisted = value !== null && value !== '' && !values.includes(value);
  const when = new Date(fetchedAt).toLocaleString();
  return (
    <div className="field">
      <label htmlFor={id}>Ethnicity</label>
      <select
        id={id}
        className="input"
        value={value ?? ''}
        aria-describedby={describedBy}
        aria-invalid={error || unlisted ? true : undefined}
        onChange={(event) => onChange(event.target.value || null)}
        onBlur={onBlur}
      >
        <option value="">Choose…</option>
        {unlisted && <option value={value}>{value} (not in the service’s list)</option>}
        {values.map((item) => (
          <option key={item} value={item}>
            {item}
          </option>
        ))}
      </select>
      <p className="hint" id={describedBy}>
        {source === 'service' ? `The service’s list, fetched ${when}.` : `The list saved ${when}.`} {notice}{' '}
        <button type="button" className="link-button" onClick={askAgain}>
          Refresh
        </button>
      </p>
      <span className="field-error" role={error || unlisted ? 'alert' : undefined}>
        {error ?? (unlisted ? 'The service does not list this value: choose one from the list.' : undefined)}
      </span>
    </div>
  );
}

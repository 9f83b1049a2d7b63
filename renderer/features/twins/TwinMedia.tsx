/**
 * A twin's preview image and video loop. The page loads nothing remote (strict CSP), so the main
 * process fetches them and the page shows them from blob: URLs, released when no longer shown.
 */
import { useEffect, useState } from 'react';
import { messageOf, useStudio } from '../../api/studio-context';

function useTwinBlob(id: string, kind: 'preview' | 'videoLoop', wanted: boolean): { url: string | null; failed: string | null } {
  const studio = useStudio();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    let made: string | null = null;
    studio.call('twins/media', { id, kind }).then(
      ({ bytes, contentType }) => {
        if (!live) return;
        made = URL.createObjectURL(new Blob([bytes], { type: contentType }));
        setUrl(made);
      },
      (error: unknown) => live && setFailed(messageOf(error)),
    );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [studio, id, kind, wanted]);
  return { url, failed };
}

export function TwinPreview({ id, name, available }: { id: string; name: string; available: boolean }) {
  const { url } = useTwinBlob(id, 'preview', available);
  const initials = name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
  if (!url)
    return (
      <div className="twin-preview twin-preview-empty" aria-hidden="true">
        {initials}
      </div>
    );
  return <img className="twin-preview" src={url} alt={`Preview of ${name}`} />;
}

export function TwinVideoLoop({ id, name }: { id: string; name: string }) {
  const [wanted, setWanted] = useState(false);
  const { url, failed } = useTwinBlob(id, 'videoLoop', wanted);
  if (!wanted) {
    return (
      <button type="button" className="button button-small" onClick={() => setWanted(true)}>
        Play video loop
      </button>
    );
  }
  if (failed) return <span className="field-error">{failed}</span>;
  if (!url) return <span className="muted">Loading the video loop…</span>;
  return <video className="twin-video" src={url} autoPlay loop muted playsInline controls aria-label={`Video loop of ${name}`} />;
}

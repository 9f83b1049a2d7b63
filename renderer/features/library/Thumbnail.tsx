/** A draft's picture in the library: its photo, a frame of its video, or its initials. */
import type { LibraryEntry } from '../../../shared/contract/library';
import { mediaPath } from '../../../shared/transport';

export function Thumbnail({ entry }: { entry: Pick<LibraryEntry, 'id' | 'displayName' | 'thumbnail'> }) {
  const { thumbnail } = entry;
  if (thumbnail?.kind === 'photo') {
    return <img className="thumb" src={mediaPath(entry.id, thumbnail.fileName)} alt="" loading="lazy" />;
  }
  if (thumbnail?.kind === 'video') {
    // `#t=` makes the element seek and show that frame; metadata preload keeps it to a few hundred kB.
    return (
      <video className="thumb" src={`${mediaPath(entry.id, thumbnail.fileName)}#t=1`} muted playsInline preload="metadata" aria-hidden="true" tabIndex={-1} />
    );
  }
  const initials = entry.displayName
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join('');
  return (
    <span className="thumb thumb-initials" aria-hidden="true">
      {initials || '?'}
    </span>
  );
}

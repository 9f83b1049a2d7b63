/** A draft's picture in the library: its photo, a frame of its video, or its initials. */
import { useState } from 'react';
import type { LibraryEntry } from '../../../shared/contract/library';
import { mediaPath } from '../../../shared/transport';

export function Thumbnail({ entry }: { entry: Pick<LibraryEntry, 'id' | 'displayName' | 'thumbnail'> }) {
  const { thumbnail } = entry;
  // A video this browser cannot decode (and no preview made yet) shows the initials, not an empty box.
  const [failedFile, setFailedFile] = useState<string | null>(null);
  if (thumbnail?.kind === 'photo') {
    return <img className="thumb" src={mediaPath(entry.id, thumbnail.fileName)} alt="" loading="lazy" />;
  }
  if (thumbnail?.kind === 'video' && failedFile !== thumbnail.fileName) {
    // `#t=` makes the element seek and show that frame; metadata preload keeps it to a few hundred kB.
    return (
      <video
        className="thumb"
        src={`${mediaPath(entry.id, thumbnail.fileName)}#t=1`}
        muted
        playsInline
        preload="metadata"
        aria-hidden="true"
        tabIndex={-1}
        onError={() => setFailedFile(thumbnail.fileName)}
      />
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

/** StudioApi handlers for the library calls. */
import type { StudioHandlers } from '../../../shared/contract';
import type { libraryCalls } from '../../../shared/contract/library';
import type { LibraryService } from './library-service';

export function libraryHandlers(library: LibraryService): Pick<StudioHandlers, keyof typeof libraryCalls> {
  return {
    'library/list': () => library.list(),
    'library/duplicate': ({ id }) => library.duplicate(id),
    'library/delete': async ({ ids }) => ({ trashed: await library.delete(ids) }),
    'library/restore': async ({ entryId }) => ({ id: await library.restore(entryId) }),
    'library/trash': async () => ({
      entries: await library.trash.list(),
      systemTrash: library.trash.hasSystemTrash,
      folder: library.trash.folder,
    }),
    'library/emptyTrash': () => library.trash.empty(),
    'library/usage': () => library.usage(),
    'library/export': ({ ids }) => library.export(ids),
    'library/readExport': ({ archiveName, offset, length }) => library.readExport(archiveName, offset, length),
    'library/importBegin': async ({ fileName, bytes }) => ({ importId: await library.importBegin(fileName, bytes) }),
    'library/importAppend': async ({ importId, seq, bytes }) => ({ received: await library.importAppend(importId, seq, bytes) }),
    'library/importFinish': ({ importId, replace }) => library.importFinish(importId, replace ?? false),
    'library/importCancel': async ({ importId }) => ({ cancelled: await library.importCancel(importId) }),
  };
}

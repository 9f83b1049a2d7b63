/** StudioApi handlers for the drafts calls. */
import type { StudioHandlers } from '../../../shared/contract';
import type { draftCalls } from '../../../shared/contract/drafts';
import type { DraftStore } from './draft-store';

export function draftHandlers(drafts: DraftStore): Pick<StudioHandlers, keyof typeof draftCalls> {
  return {
    'drafts/list': () => drafts.list(),
    'drafts/create': ({ person }) => drafts.create(person),
    'drafts/get': ({ id }) => drafts.get(id),
    'drafts/updatePerson': ({ id, person }) => drafts.updatePerson(id, person),
    'drafts/delete': async ({ id }) => {
      await drafts.delete(id);
      return { deleted: true as const };
    },
  };
}

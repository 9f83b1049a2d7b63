/** Calls on the drafts store: one draft per person, addressed by id only. */
import { z } from 'zod';
import { draftProblemSchema, draftSchema, draftSummarySchema, personPatchSchema } from '../drafts';
import { draftIdSchema } from '../ids';
import { defineCall } from './define';

const byId = z.strictObject({ id: draftIdSchema });

export const draftCalls = {
  'drafts/list': defineCall(z.strictObject({}), z.object({ drafts: z.array(draftSummarySchema), problems: z.array(draftProblemSchema) })),
  'drafts/create': defineCall(z.strictObject({ person: personPatchSchema.optional() }), draftSchema),
  'drafts/get': defineCall(byId, draftSchema),
  'drafts/updatePerson': defineCall(z.strictObject({ id: draftIdSchema, person: personPatchSchema }), draftSchema),
  'drafts/delete': defineCall(byId, z.object({ deleted: z.literal(true) })),
};

export const draftEvents = {
  /** A draft was created, changed or deleted, by this window or by work in the background. */
  'drafts/changed': z.object({ ids: z.array(z.string()) }),
};

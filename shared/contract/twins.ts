/**
 * Calls about the organisation's twins on the service: the paged, searchable list with status, the
 * status followed with backoff until the twin is ready (or failed), and agents made from ready twins.
 */
import { z } from 'zod';
import { companionStatuses, maxPageSize } from '../napster';
import { defineCall } from './define';

const twinIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'not a twin id');

export const agentSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  companionId: z.string(),
  temperature: z.number().nullable(),
  instructions: z.string().nullable(),
  createdAt: z.string(),
});
export type AgentSummary = z.infer<typeof agentSummarySchema>;

export const twinSummarySchema = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  headline: z.string().nullable(),
  /** One of the documented statuses, or whatever new status the service sends. */
  status: z.string().nullable(),
  hasPreview: z.boolean(),
  hasVideoLoop: z.boolean(),
  /** The studio draft this twin was made from (by its tag), when it was made here. */
  draftId: z.string().nullable(),
  /** Agents made from this twin by this studio (the service has no call to list them). */
  agents: z.array(agentSummarySchema),
});
export type TwinSummary = z.infer<typeof twinSummarySchema>;

export const twinPageSchema = z.object({
  items: z.array(twinSummarySchema),
  filteredCount: z.number().int().nonnegative(),
  totalCount: z.number().int().nonnegative(),
  pageIndex: z.number().int().nonnegative(),
  pageSize: z.number().int().positive(),
  sandbox: z.boolean(),
});
export type TwinPage = z.infer<typeof twinPageSchema>;

export const twinStatusEventSchema = z.object({
  id: z.string(),
  status: z.string().nullable(),
  name: z.string(),
  /** The status will not change any more (ready, completed, failed, blocked, or the twin is gone). */
  final: z.boolean(),
});

export const twinsCalls = {
  'twins/list': defineCall(
    z.strictObject({
      pageIndex: z.number().int().min(0).default(0),
      pageSize: z.number().int().min(1).max(maxPageSize).default(12),
      search: z.string().trim().max(200).optional(),
      statuses: z.array(z.enum(companionStatuses)).max(companionStatuses.length).optional(),
    }),
    twinPageSchema,
  ),
  'twins/get': defineCall(z.strictObject({ id: twinIdSchema }), twinSummarySchema),
  /** Follows these twins' status in the background (with backoff) until each is ready or failed. */
  'twins/watch': defineCall(z.strictObject({ ids: z.array(twinIdSchema).max(maxPageSize) }), z.object({ watching: z.array(z.string()) })),
  /** The preview image or video loop, fetched by the main process (the page loads nothing remote). */
  'twins/media': defineCall(
    z.strictObject({ id: twinIdSchema, kind: z.enum(['preview', 'videoLoop']) }),
    z.object({ contentType: z.string(), bytes: z.instanceof(Uint8Array) }),
  ),
  'twins/createAgent': defineCall(
    z.strictObject({
      companionId: twinIdSchema,
      name: z.string().trim().min(1, 'Give the agent a name').max(100),
      temperature: z.number().min(0).max(2).nullable().optional(),
      instructions: z.string().max(20_000).nullable().optional(),
    }),
    agentSummarySchema,
  ),
};

export const twinsEvents = {
  'twins/status': twinStatusEventSchema,
  /** A twin became ready to use: the renderer may show a notification where the host cannot. */
  'twins/ready': z.object({ id: z.string(), name: z.string() }),
};

/** The strict shape of a twin request's identity fields, as the service validates them. */
import { z } from 'zod';
import { avatarVersions, externalClientIdPattern, genders } from './drafts';

export const twinPersonSchema = z.object({
  firstName: z.string().trim().min(1, 'First name is required').max(100),
  lastName: z.string().trim().min(1, 'Last name is required').max(100),
  description: z.string().trim().min(20, 'Describe the role, personality and communication style (at least 20 characters)').max(5000),
  gender: z.enum(genders, { message: 'Choose a gender' }),
  ethnicity: z.string({ message: 'Choose an ethnicity' }).min(1, 'Choose an ethnicity'),
  externalClientId: z.string().regex(externalClientIdPattern, 'Use 1–32 letters, digits, "_" or "-" (an employee or CRM id)'),
  tags: z.record(z.string().min(1), z.string()),
  avatarVersion: z.enum(avatarVersions),
});
export type TwinPerson = z.infer<typeof twinPersonSchema>;

/**
 * The consent record's pieces and words: the per-draft code, the statement the person reads, the
 * operator's attestation, the prepared files as reviewed and the approval's details. A leaf module
 * (drafts.ts builds the draft from these), so it imports no other studio module at run time.
 */
import { z } from 'zod';
import { mediaFileNameSchema, takeIdSchema } from './ids';
import { mediaInfoSchema } from './media';
import { consentRules } from './requirements';

/**
 * Letters and digits that cannot be confused when read aloud or heard back (no 0/O, 1/I/L, 2/Z,
 * 5/S, 8/B): the code is spoken on the recording and compared by a person listening to it.
 */
export const consentCodeAlphabet = 'ACDEFGHJKMNPQRTUVWXY34679';

export const consentCodeSchema = z.string().regex(new RegExp(`^[${consentCodeAlphabet}]{3}-[${consentCodeAlphabet}]{3}$`), 'not a consent code');

/** A fresh code from random bytes (the caller supplies them: crypto in Node, tests their own). */
export function consentCodeFrom(random: Uint8Array): string {
  if (random.length < consentRules.codeLength * 2) throw new Error('not enough random bytes for a consent code');
  let code = '';
  for (let index = 0; index < consentRules.codeLength; index++) {
    // Two bytes per symbol: 65536 mod 25 leaves a bias of 11 in 65536, where one byte would leave 6 in 256.
    const value = random[index * 2]! * 256 + random[index * 2 + 1]!;
    code += consentCodeAlphabet[value % consentCodeAlphabet.length];
    if (index === 2) code += '-';
  }
  return code;
}

/** The code as it is read out: one character at a time, in two groups. */
export function spokenCode(code: string): string {
  return code
    .split('-')
    .map((group) => group.split('').join(' '))
    .join(', ');
}

export function fullName(person: { firstName: string; lastName: string }): string {
  return `${person.firstName.trim()} ${person.lastName.trim()}`.trim();
}

/**
 * The statement read aloud on the consent take. It names the person and carries this draft's code,
 * so a recording made for another draft (or an old one) cannot stand in for it.
 */
export function consentStatement(name: string, code: string): string {
  return [
    `My name is ${name}.`,
    'I agree that Twin Studio records my voice and my image today to create a digital twin of me with the Napster companion service,',
    'a digital person that looks and sounds like me and can speak for me in conversations.',
    'I have been told how it will be used, and I know that I can withdraw this consent.',
    `My consent code is ${spokenCode(code)}.`,
  ].join(' ');
}

/** The operator's word that they saw this person give consent, and when. */
export const attestationSchema = z.object({
  operatorName: z.string().trim().min(1, 'Enter the operator’s name').max(100),
  /** The day consent was given, as the operator states it: YYYY-MM-DD. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date as YYYY-MM-DD'),
  /** When the attestation was recorded in the studio. */
  attestedAt: z.string(),
});
export type Attestation = z.infer<typeof attestationSchema>;

/** Which file of a twin request a prepared file becomes. */
export const submissionRoles = ['voice', 'video', 'photo'] as const;
export type SubmissionRole = (typeof submissionRoles)[number];

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'not a SHA-256 hex digest');

/** A file prepared for upload as the review saw it: what it was made from, what it is, its hash. */
export const preparedRecordSchema = z.object({
  role: z.enum(submissionRoles),
  fileName: mediaFileNameSchema,
  /** The take or photo it was made from, and that take's trim at the time: a change makes it stale. */
  sourceId: takeIdSchema,
  sourceTrim: z.object({ startMs: z.number(), endMs: z.number() }).nullable().default(null),
  mimeType: z.string(),
  info: mediaInfoSchema,
  summary: z.string(),
  sha256: sha256Schema,
  preparedAt: z.string(),
});
export type PreparedRecord = z.infer<typeof preparedRecordSchema>;

export const approvedFileSchema = z.object({
  role: z.enum(submissionRoles),
  fileName: mediaFileNameSchema,
  mimeType: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: sha256Schema,
});
export type ApprovedFile = z.infer<typeof approvedFileSchema>;

/** What an approval holds beyond who and when (defaults, so that older drafts still load). */
export const approvalDetailFields = {
  /** Keys of the warnings the reviewer acknowledged (see shared/approval.ts). */
  acknowledgedWarnings: z.array(z.string()).default([]),
  /** Exactly the files that will be submitted, by hash. */
  files: z.array(approvedFileSchema).default([]),
  consentTakeSha256: sha256Schema.nullable().default(null),
  /** The receipt written on approval, in the draft folder and in the data folder's receipts/. */
  receiptFileName: z.string().nullable().default(null),
  receiptSha256: sha256Schema.nullable().default(null),
  /** What was approved (person, choices, consent, prepared files); any change withdraws the approval. */
  materialKey: z.string().default(''),
};

export const receiptFileName = 'consent-receipt.json';

/** The receipt the user keeps: what was said, by whom, witnessed by whom, and the hash of every file. */
/** One "same person" comparison as the review shows it and the receipt records it. */
export const likenessSchema = z.object({ id: z.string(), label: z.string(), similarity: z.number().min(0).max(1), same: z.boolean(), headline: z.string() });

export const consentReceiptSchema = z.object({
  kind: z.literal('twin-studio-consent-receipt'),
  version: z.literal(1),
  draftId: z.string(),
  person: z.object({ fullName: z.string(), externalClientId: z.string() }),
  statement: z.string(),
  code: consentCodeSchema,
  consentRecordedAt: z.string(),
  operator: z.object({ name: z.string(), date: z.string(), attestedAt: z.string() }),
  approvedAt: z.string(),
  approvedBy: z.string(),
  acknowledgedWarnings: z.array(z.object({ key: z.string(), label: z.string(), reason: z.string() })),
  hashAlgorithm: z.literal('SHA-256'),
  consentTake: z.object({
    fileName: z.string(),
    mimeType: z.string(),
    bytes: z.number().int().nonnegative(),
    durationMs: z.number().nullable(),
    sha256: sha256Schema,
  }),
  files: z.array(approvedFileSchema),
  studioVersion: z.string(),
  /** The face comparisons at approval, and the reviewer's reason when they approved a mismatch (absent in older receipts). */
  likeness: z.object({ comparisons: z.array(likenessSchema), override: z.string().nullable() }).optional(),
});
export type ConsentReceipt = z.infer<typeof consentReceiptSchema>;

/** Errors as they cross the boundary: a stable code for logs and tests, a message a person can act on. */
import { z } from 'zod';

export const errorCodes = [
  'BAD_REQUEST',
  'UNKNOWN_CALL',
  'NOT_FOUND',
  'CORRUPT',
  'DISK_FULL',
  'IO',
  'CONFLICT',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_AVAILABLE',
  'CANCELLED',
  'TIMEOUT',
  'RATE_LIMITED',
  'CONSENT_REQUIRED',
  'SERVICE',
  'NETWORK',
  'MEDIA',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const wireErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  /** Field path → message, for forms (schema errors, the service's 400s). */
  fields: z.record(z.string(), z.string()).optional(),
  retryAfterSeconds: z.number().optional(),
});
export type WireError = z.infer<typeof wireErrorSchema>;

export type WireResult<T> = { ok: true; value: T } | { ok: false; error: WireError };

export class StudioError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, extra: Omit<WireError, 'code' | 'message'> = {}) {
    super(message);
    this.name = 'StudioError';
    this.code = code;
    this.fields = extra.fields;
    this.retryAfterSeconds = extra.retryAfterSeconds;
  }

  toWire(): WireError {
    const wire: WireError = { code: this.code, message: this.message };
    if (this.fields) wire.fields = this.fields;
    if (this.retryAfterSeconds !== undefined) wire.retryAfterSeconds = this.retryAfterSeconds;
    return wire;
  }

  static fromWire(wire: WireError): StudioError {
    return new StudioError(wire.code, wire.message, {
      fields: wire.fields,
      retryAfterSeconds: wire.retryAfterSeconds,
    });
  }
}

export function isStudioError(value: unknown): value is StudioError {
  return value instanceof StudioError;
}

/** Turns zod issues into a one-line message and a field map, so forms can show errors beside fields. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): {
  message: string;
  fields: Record<string, string>;
} {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join('.') || '(value)';
    fields[path] ??= issue.message;
  }
  const message = Object.entries(fields)
    .map(([path, text]) => `${path}: ${text}`)
    .join('; ');
  return { message, fields };
}

/**
 * What can go wrong talking to the service, as typed errors with messages a person can act on. They
 * are StudioErrors, so they cross to the renderer with their code, message and form-field map.
 */
import { type ErrorCode, StudioError } from '../../../shared/errors';
import { requestFieldToPersonField, serviceErrorCodes, serviceErrorSchema, type ServiceError } from '../../../shared/napster';
import { redact } from '../log';

export type NapsterErrorKind =
  | 'consent-required'
  /** v2 avatars are not enabled for the organisation: nothing was created; v1 still works. */
  | 'v2-not-enabled'
  | 'unauthorized'
  | 'forbidden'
  | 'validation'
  | 'not-found'
  | 'conflict'
  | 'rate-limited'
  | 'server'
  | 'timeout'
  | 'cancelled'
  | 'network'
  /** A create whose answer never came: it may or may not have reached the service. */
  | 'outcome-unknown'
  | 'invalid-response';

const codeOfKind: Record<NapsterErrorKind, ErrorCode> = {
  'consent-required': 'CONSENT_REQUIRED',
  'v2-not-enabled': 'FORBIDDEN',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  validation: 'BAD_REQUEST',
  'not-found': 'NOT_FOUND',
  conflict: 'CONFLICT',
  'rate-limited': 'RATE_LIMITED',
  server: 'SERVICE',
  timeout: 'TIMEOUT',
  cancelled: 'CANCELLED',
  network: 'NETWORK',
  'outcome-unknown': 'NETWORK',
  'invalid-response': 'SERVICE',
};

export class NapsterError extends StudioError {
  readonly kind: NapsterErrorKind;
  /** HTTP status, when the service answered. */
  readonly status: number | null;
  /** The service's own error code (`DigitalTwinConsentRequired`, …), when it sent one. */
  readonly serviceCode: string | null;

  constructor(
    kind: NapsterErrorKind,
    message: string,
    extra: { status?: number | null; serviceCode?: string | null; fields?: Record<string, string>; retryAfterSeconds?: number } = {},
  ) {
    super(codeOfKind[kind], redact(message), { fields: extra.fields, retryAfterSeconds: extra.retryAfterSeconds });
    this.name = 'NapsterError';
    this.kind = kind;
    this.status = extra.status ?? null;
    this.serviceCode = extra.serviceCode ?? null;
  }

  /** Worth trying again later without changing anything. */
  get transient(): boolean {
    return ['rate-limited', 'server', 'timeout', 'network'].includes(this.kind);
  }
}

/** Error bodies are one `{code, description, type, numericType}` object; accept a list of them too. */
export function readServiceErrors(body: unknown): ServiceError[] {
  const list = Array.isArray(body)
    ? body
    : body && typeof body === 'object' && Array.isArray((body as { errors?: unknown }).errors)
      ? (body as { errors: unknown[] }).errors
      : [body];
  return list.flatMap((item) => {
    const parsed = serviceErrorSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

/** A validation error's code names the field (`externalClientId`, `DigitalTwin.ExternalClientId`, …). */
export function fieldOfCode(code: string): string | null {
  const last = code.split(/[.:/]/).pop() ?? code;
  const match = Object.keys(requestFieldToPersonField).find((field) => field.toLowerCase() === last.toLowerCase());
  return match ? requestFieldToPersonField[match]! : null;
}

/** ASP.NET-style `{errors: {Field: ["message"]}}` bodies, which the service may also send. */
function problemDetailsFields(body: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  const errors = body && typeof body === 'object' ? (body as { errors?: unknown }).errors : undefined;
  if (!errors || typeof errors !== 'object' || Array.isArray(errors)) return fields;
  for (const [key, value] of Object.entries(errors as Record<string, unknown>)) {
    const field = fieldOfCode(key);
    const text = Array.isArray(value) ? value.filter((item) => typeof item === 'string').join(' ') : typeof value === 'string' ? value : '';
    if (field && text) fields[field] ??= text;
  }
  return fields;
}

function describeServiceErrors(errors: ServiceError[]): string {
  return errors
    .map((error) => error.description?.trim() || error.code)
    .filter(Boolean)
    .join(' ');
}

/** Turns a non-2xx answer into a NapsterError. `retryAfterSeconds` comes from the `Retry-After` header. */
export function errorFromResponse(status: number, body: unknown, retryAfterSeconds: number | undefined): NapsterError {
  const errors = readServiceErrors(body);
  const first = errors[0];
  const serviceCode = first?.code ?? null;
  const said = describeServiceErrors(errors);
  const extra = { status, serviceCode };

  if (errors.some((error) => error.code === serviceErrorCodes.consentRequired)) {
    return new NapsterError(
      'consent-required',
      'Digital twins are not enabled for your organisation. An organisation admin must enable digital twins (grant consent) in the Napster dashboard; the studio cannot do this for you. Your draft is kept: submit again once it is enabled.',
      extra,
    );
  }
  // By its code, whatever the status: the guide names the code, not the HTTP status that carries it.
  if (errors.some((error) => error.code === serviceErrorCodes.v2NotEnabled)) {
    return new NapsterError(
      'v2-not-enabled',
      'Avatar v2 is not enabled for your organisation, so the service made no twin. Ask Napster to enable v2, or submit this twin as v1 (made from a photo). Everything recorded and uploaded is kept.',
      extra,
    );
  }
  if (status === 401) {
    return new NapsterError(
      'unauthorized',
      'The service did not accept the API key: it is wrong, expired or revoked. Create a new key in the Napster dashboard and replace it under Settings → API key.',
      extra,
    );
  }
  if (status === 403) {
    return new NapsterError(
      'forbidden',
      `The service refused this request for this API key${said ? `: ${said}` : '.'} Check the key's project and permissions in the dashboard.`,
      extra,
    );
  }
  if (status === 400 || status === 422) {
    const fields: Record<string, string> = { ...problemDetailsFields(body) };
    for (const error of errors) {
      const field = fieldOfCode(error.code);
      if (field) fields[field] ??= error.description?.trim() || 'The service did not accept this value.';
    }
    const where = Object.keys(fields).length ? ` Check: ${Object.keys(fields).join(', ')}.` : '';
    return new NapsterError('validation', `The service rejected the request${said ? `: ${said}` : '.'}${where}`, { ...extra, fields });
  }
  if (status === 404)
    return new NapsterError(
      'not-found',
      `The service does not know this twin or agent${said ? ` (${said})` : ''}. It may have been deleted in the dashboard.`,
      extra,
    );
  if (status === 409)
    return new NapsterError('conflict', `The service refused because of a limit or the twin's current state${said ? `: ${said}` : '.'}`, extra);
  if (status === 429) {
    const wait = retryAfterSeconds !== undefined ? ` Try again in ${Math.ceil(retryAfterSeconds)} s.` : ' Try again in a minute.';
    return new NapsterError('rate-limited', `The service is receiving too many requests from this key.${wait}`, {
      ...extra,
      retryAfterSeconds: retryAfterSeconds ?? 60,
    });
  }
  if (status >= 500) {
    return new NapsterError('server', `The Napster service had a problem (HTTP ${status}). This is on their side; try again in a few minutes.`, extra);
  }
  return new NapsterError('invalid-response', `The service answered HTTP ${status}${said ? `: ${said}` : '.'}`, extra);
}

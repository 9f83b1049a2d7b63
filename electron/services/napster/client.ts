/**
 * The typed client of the Napster companion API: one method per documented call, with a timeout per
 * attempt, cancellation, and retries only where a retry cannot create something twice.
 */
import type { z } from 'zod';
import { checkCredentialUrl } from '../../../shared/credential-url';
import { describeIssues } from '../../../shared/errors';
import {
  type Agent,
  type Companion,
  type CompanionPage,
  type CreateAgentRequest,
  type CreateTwinRequest,
  type ListTwinsQuery,
  type UpdateCompanionRequest,
  agentSchema,
  companionPageSchema,
  companionSchema,
  createAgentRequestSchema,
  createTwinRequestSchema,
  digitalTwinPersonaType,
  ethnicitiesAnswerSchema,
  listTwinsQuerySchema,
  requestFieldToPersonField,
  updateCompanionRequestSchema,
} from '../../../shared/napster';
import { type Logger, registerSecret } from '../log';
import { NapsterError, errorFromResponse } from './errors';
import { sleepUnlessAborted } from '../abortable-sleep';

export type RetryPolicy = {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A longer `Retry-After` is not waited out: the caller gets RATE_LIMITED with the wait. */
  maxRetryAfterSeconds: number;
};

export const defaultRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterSeconds: 30 };

type MaybePromise<T> = T | Promise<T>;

export type NapsterClientOptions = {
  baseUrl: () => MaybePromise<string>;
  apiKey: () => MaybePromise<string>;
  /** Optional `X-API-Version` header. */
  apiVersion?: () => MaybePromise<string | null>;
  log: Logger;
  /** Per attempt, including reading the answer. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  fetch?: typeof fetch;
  /** For tests: jitter source and sleeping. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
};

export type CallOptions = { signal?: AbortSignal; timeoutMs?: number };

type RequestSpec<S extends z.ZodType> = {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  answer: S;
};

const userAgent = 'TwinStudio/0.1';

/** Sleeps, waking early (with CANCELLED) when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return sleepUnlessAborted(ms, signal, cancelled);
}

function cancelled(): NapsterError {
  return new NapsterError('cancelled', 'Cancelled.');
}

/** `Retry-After` is seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/** Errors that show the request never left this machine (so even a create may be sent again). */
function neverSent(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENETUNREACH' || code === 'EHOSTUNREACH';
}

function validationError(issues: readonly z.core.$ZodIssue[], what: string): NapsterError {
  const { message, fields } = describeIssues(issues);
  const mapped: Record<string, string> = {};
  for (const [path, text] of Object.entries(fields)) {
    const [head = path, ...rest] = path.split('.');
    mapped[[requestFieldToPersonField[head] ?? head, ...rest].join('.')] = text;
  }
  return new NapsterError('validation', `The ${what} is not complete: ${message}`, { fields: mapped });
}

export class NapsterClient {
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly options: NapsterClientOptions) {
    this.retry = { ...defaultRetryPolicy, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.fetchImpl = options.fetch ?? fetch;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? abortableSleep;
  }

  /** `POST /public/digital-twins`. Never retried blindly: a lost answer may mean the twin exists. */
  async createTwin(request: CreateTwinRequest, options: CallOptions = {}): Promise<Companion> {
    const parsed = createTwinRequestSchema.safeParse(request);
    if (!parsed.success) throw validationError(parsed.error.issues, 'twin request');
    return this.request({ method: 'POST', path: '/public/digital-twins', body: parsed.data, answer: companionSchema }, options);
  }

  async ethnicities(options: CallOptions = {}): Promise<string[]> {
    return this.request({ method: 'GET', path: '/public/companions/ethnicities', answer: ethnicitiesAnswerSchema }, options);
  }

  /** One page of this project's digital twins; `pageIndex` is zero-based. */
  async listTwins(query: ListTwinsQuery = {}, options: CallOptions = {}): Promise<CompanionPage> {
    const parsed = listTwinsQuerySchema.parse(query);
    const params = new URLSearchParams({ personaType: digitalTwinPersonaType, pageIndex: String(parsed.pageIndex), pageSize: String(parsed.pageSize) });
    if (parsed.search) params.set('search', parsed.search);
    if (parsed.gender) params.set('gender', parsed.gender);
    if (parsed.ethnicity) params.set('ethnicity', parsed.ethnicity);
    for (const status of parsed.statuses ?? []) params.append('statuses', status);
    for (const [key, value] of Object.entries(parsed.tags ?? {})) params.append('tags', `${key}:${value}`);
    return this.request({ method: 'GET', path: '/public/companions', query: params, answer: companionPageSchema }, options);
  }

  async getCompanion(id: string, options: CallOptions = {}): Promise<Companion> {
    return this.request({ method: 'GET', path: `/public/companions/${encodeURIComponent(id)}`, answer: companionSchema }, options);
  }

  /** Edits description/headline; the service allows it only once the twin is `completed`. */
  async updateCompanion(id: string, patch: UpdateCompanionRequest, options: CallOptions = {}): Promise<Companion> {
    const parsed = updateCompanionRequestSchema.safeParse(patch);
    if (!parsed.success) throw validationError(parsed.error.issues, 'change');
    return this.request({ method: 'PATCH', path: `/public/companions/${encodeURIComponent(id)}`, body: parsed.data, answer: companionSchema }, options);
  }

  /** Attaches a twin (readyToUse or completed) to a new agent. Not retried blindly, like every create. */
  async createAgent(request: CreateAgentRequest, options: CallOptions = {}): Promise<Agent> {
    const parsed = createAgentRequestSchema.safeParse(request);
    if (!parsed.success) throw validationError(parsed.error.issues, 'agent request');
    return this.request({ method: 'POST', path: '/public/agents', body: parsed.data, answer: agentSchema }, options);
  }

  private backoffMs(attempt: number): number {
    // "Full jitter": spreads retries of many clients over the whole window.
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(this.random() * ceiling);
  }

  private async request<S extends z.ZodType>(spec: RequestSpec<S>, options: CallOptions): Promise<z.output<S>> {
    const { signal } = options;
    const idempotent = spec.method === 'GET';
    const base = (await this.options.baseUrl()).trim().replace(/\/+$/, '');
    const url = `${base}${spec.path}${spec.query && [...spec.query].length ? `?${spec.query}` : ''}`;
    // The last guard before the key leaves: the settings schema refuses such an address already, but
    // a settings file edited by hand or a caller passing its own must not send the key in clear text.
    const checked = checkCredentialUrl(url, 'api');
    if (!checked.ok) {
      this.options.log.warn('request refused before sending: the API address fails the credential rule', { method: spec.method, path: spec.path });
      throw new NapsterError('validation', `${checked.reason} Change it in Settings.`);
    }
    const key = await this.options.apiKey();
    registerSecret(key);
    const version = (await this.options.apiVersion?.()) ?? null;
    const headers: Record<string, string> = { 'X-Api-Key': key, Accept: 'application/json', 'User-Agent': userAgent };
    if (version) headers['X-API-Version'] = version;
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
    const log = this.options.log;

    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw cancelled();
      const timeout = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      const started = Date.now();
      const canRetry = attempt < this.retry.attempts;
      let response: Response;
      let text: string;
      try {
        response = await this.fetchImpl(url, {
          method: spec.method,
          headers,
          body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
          signal: combined,
          // The key travels in a header that a followed redirect would carry to another host.
          redirect: 'manual',
        });
        text = await response.text();
      } catch (error) {
        if (signal?.aborted) throw cancelled();
        const timedOut = timeout.aborted;
        log.warn('request failed', { method: spec.method, path: spec.path, attempt, timedOut, error: error instanceof Error ? error.message : String(error) });
        if (!idempotent && !neverSent(error)) {
          throw new NapsterError(
            'outcome-unknown',
            `No answer from the service ${timedOut ? 'in time' : '(the connection broke)'}, so it is not known whether the request arrived. Check the twins list before submitting again, so nothing is created twice.`,
          );
        }
        if (canRetry && idempotent) {
          await this.sleep(this.backoffMs(attempt), signal);
          continue;
        }
        if (timedOut)
          throw new NapsterError(
            'timeout',
            `The service did not answer within ${Math.round((options.timeoutMs ?? this.timeoutMs) / 1000)} s. Check the connection and try again.`,
          );
        throw new NapsterError('network', `The service at ${base} cannot be reached. Check the internet connection and the API base URL in Settings.`);
      }
      log.debug('answer', { method: spec.method, path: spec.path, status: response.status, ms: Date.now() - started, attempt });

      if (response.status >= 300 && response.status < 400) {
        throw new NapsterError('invalid-response', `The service redirected the request (HTTP ${response.status}). Check the API base URL in Settings.`, {
          status: response.status,
        });
      }
      let body: unknown = undefined;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
      }
      if (response.ok) {
        const parsed = spec.answer.safeParse(body);
        if (parsed.success) return parsed.data;
        log.error('answer outside the documented shape', { path: spec.path, ...describeIssues(parsed.error.issues) });
        throw new NapsterError(
          'invalid-response',
          'The service answered in a shape the studio does not understand. Check the API base URL in Settings; if it is right, the service may have changed.',
          { status: response.status },
        );
      }

      const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      const failure = errorFromResponse(response.status, body, retryAfter);
      if (failure.kind === 'rate-limited' && canRetry && retryAfter !== undefined && retryAfter <= this.retry.maxRetryAfterSeconds) {
        // A 429 was refused before any work was done, so even a create may be sent again.
        log.info('rate limited, waiting as asked', { path: spec.path, retryAfter });
        await this.sleep(retryAfter * 1000 + Math.round(this.random() * 250), signal);
        continue;
      }
      if (idempotent && canRetry && (failure.kind === 'server' || (failure.kind === 'rate-limited' && retryAfter === undefined))) {
        await this.sleep(this.backoffMs(attempt), signal);
        continue;
      }
      if (!idempotent && failure.kind === 'server') {
        throw new NapsterError('server', `${failure.message} The request may still have been carried out: check the twins list before submitting again.`, {
          status: failure.status,
          serviceCode: failure.serviceCode,
        });
      }
      throw failure;
    }
  }
}

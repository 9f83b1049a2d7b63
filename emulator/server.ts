/**
 * A local stand-in for the Napster companion API that enforces the documented contract strictly, so
 * the studio is built and tested against the rules rather than against a lenient mock. Host-agnostic:
 * the command line, the tests and a later in-app sandbox all start it with `startEmulator(options)`.
 */
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { genders } from '../shared/drafts';
import {
  type CompanionStatus,
  type ServiceErrorType,
  agentReadyStatuses,
  companionStatuses,
  createAgentRequestSchema,
  createTwinRequestSchema,
  digitalTwinPersonaType,
  maxPageSize,
  serviceErrorCodes,
  serviceErrorTypes,
  updateCompanionRequestSchema,
} from '../shared/napster';
import { type MediaCheck, type MediaKind, fetchAndCheckMedia, mediaUrlProblem } from './media-check';
import { type AgentRecord, type Clock, EmulatorState, type TwinRecord, failureReason, newId, twinStatus } from './state';

/** The values the emulator's ethnicities endpoint lists; a request with any other value gets a 400. */
export const defaultEthnicities = [
  'African',
  'Asian',
  'Caucasian',
  'East Asian',
  'Hispanic',
  'Middle Eastern',
  'Mixed',
  'Native American',
  'Pacific Islander',
  'South Asian',
] as const;

export type EmulatorOptions = {
  /** The one key the emulated organisation has; anything else is a 401. */
  apiKey: string;
  /** 0 (the default) picks a free port. Always bound to 127.0.0.1. */
  port?: number;
  /** Whether an admin has enabled digital twins; off gives `DigitalTwinConsentRequired`. */
  consent?: boolean;
  /** Whether Napster has enabled v2 avatars for the organisation (default true); off, a v2 create gets 403 `CompanionV2NotEnabled`. */
  v2?: boolean;
  /**
   * Whether twins come back with their `tags` (default true). Off models a service that keeps no
   * tags visible: listings and companions carry none and a listing's `tags` filter is ignored, so a
   * client must prove a twin is its own another way.
   */
  showTags?: boolean;
  /** Admit `http:` media URLs on loopback hosts (tests serve media locally without TLS). */
  allowHttpMedia?: boolean;
  /** How long a twin stays `pending` (default 30 s). */
  generationSeconds?: number;
  /** Time between the later states (default half of generationSeconds). */
  stepSeconds?: number;
  /** At most `requests` per `windowSeconds` over all callers; then 429 with Retry-After. Null: no limit. */
  rateLimit?: { requests: number; windowSeconds: number } | null;
  ethnicities?: readonly string[];
  /** The organisation's twin quota; beyond it a create gets 409. */
  maxTwins?: number;
  /** Fetch the media again when generation ends, as the service does; an expired URL fails there. */
  recheckMedia?: boolean;
  mediaTimeoutMs?: number;
  /** Keep twins and agents in `<dataDir>/emulator-state.json` across restarts. */
  dataDir?: string;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  now?: () => number;
  /** One line per request and per media check (never the key). */
  log?: (line: string) => void;
};

/** A failure a test injects: the next `times` matching requests get it before anything else runs. */
export type Fault = {
  method?: string;
  /** Matches when the request path starts with this. */
  path?: string;
  /** Answer with this status and a service error body… */
  status?: number;
  retryAfterSeconds?: number;
  /** …after waiting this long (alone: just slow, then answered normally). */
  delayMs?: number;
  /** Close the connection without answering. */
  drop?: boolean;
  times?: number;
};

export type RecordedRequest = { method: string; path: string; status: number; at: number };

export type RunningEmulator = {
  url: string;
  port: number;
  close(): Promise<void>;
  setConsent(enabled: boolean): void;
  /** Turns v2 avatars on or off for the organisation (see EmulatorOptions.v2). */
  setV2(enabled: boolean): void;
  /** Shows or hides twins' tags (see EmulatorOptions.showTags). */
  setShowTags(shown: boolean): void;
  /** Queue a failure for matching requests. */
  fault(fault: Fault): void;
  /** Every request answered so far (method, path, status), oldest first. */
  requests(): RecordedRequest[];
  /** Twins as the emulator holds them, with their current status and why one failed. */
  twins(): (TwinRecord & { status: CompanionStatus; failureReason: string | null })[];
  agents(): AgentRecord[];
  /** Force a twin into `failed` or `blocked`, as moderation would. */
  forceStatus(id: string, status: 'failed' | 'blocked' | null): void;
  /** Resolves when every media check started so far has finished. */
  settled(): Promise<void>;
};

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly type: ServiceErrorType,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

const typeOfStatus = (status: number): ServiceErrorType =>
  status === 400
    ? 'Validation'
    : status === 401
      ? 'Unauthorized'
      : status === 403
        ? 'Forbidden'
        : status === 404
          ? 'NotFound'
          : status === 409
            ? 'Conflict'
            : status >= 500
              ? 'Unexpected'
              : 'Failure';

/** The first schema problem as the service reports one: `code` names the field. */
function validationError(issues: readonly z.core.$ZodIssue[]): ApiError {
  const issue = issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? 'field';
    return new ApiError(400, key, `${key} is not a field of this request`, 'Validation');
  }
  const field = issue.path.length ? String(issue.path[0]) : 'request';
  const where = issue.path.map(String).join('.');
  const message =
    issue.code === 'invalid_type' && issue.input === undefined ? `${where} is required` : where.includes('.') ? `${where}: ${issue.message}` : issue.message;
  return new ApiError(400, field, message, 'Validation');
}

function sameKey(given: string | undefined, key: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

type Incoming = { method: string; contentType: string; body: Buffer };

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1024 * 1024) throw new ApiError(413, 'RequestTooLarge', 'The request body is larger than 1 MB.', 'Validation');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function readJson(req: Incoming): unknown {
  if (!/^application\/json\b/i.test(req.contentType)) {
    throw new ApiError(415, 'UnsupportedMediaType', 'Send the body as JSON with Content-Type: application/json.', 'Validation');
  }
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch {
    throw new ApiError(400, 'InvalidJson', 'The request body is not valid JSON.', 'Validation');
  }
}

function intParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ApiError(400, name, `${name} must be a whole number from ${min} to ${max}`, 'Validation');
  }
  return Number(raw);
}

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  if (!options.apiKey) throw new Error('The emulator needs an API key (--api-key).');
  const state = await EmulatorState.open(options.dataDir);
  const now = options.now ?? Date.now;
  const generationMs = (options.generationSeconds ?? 30) * 1000;
  const clock: Clock = { generationMs, stepMs: options.stepSeconds !== undefined ? options.stepSeconds * 1000 : generationMs / 2, now };
  const ethnicities = [...(options.ethnicities ?? defaultEthnicities)];
  const rateLimit = options.rateLimit === undefined ? { requests: 120, windowSeconds: 60 } : options.rateLimit;
  const allowHttp = options.allowHttpMedia ?? false;
  const recheck = options.recheckMedia ?? true;
  const mediaTimeoutMs = options.mediaTimeoutMs ?? 30_000;
  const log = options.log ?? (() => undefined);
  let consent = options.consent ?? true;
  let v2Enabled = options.v2 ?? true;
  let showTags = options.showTags ?? true;
  const faults: (Fault & { times: number })[] = [];
  const recorded: RecordedRequest[] = [];
  const checks = new Set<Promise<unknown>>();
  let window = { start: now(), count: 0 };

  /** A companion as `GET /public/companions/{id}` answers it: with its client id and when it was made. */
  function companion(twin: TwinRecord) {
    const status = twinStatus(twin, clock);
    const ready = (agentReadyStatuses as CompanionStatus[]).includes(status);
    return {
      id: twin.id,
      firstName: twin.firstName,
      lastName: twin.lastName,
      description: twin.description,
      headline: twin.headline,
      gender: twin.gender,
      ethnicity: twin.ethnicity,
      externalClientId: twin.externalClientId,
      ...(showTags ? { tags: twin.tags } : {}),
      status,
      createdAt: new Date(twin.createdAt).toISOString(),
      previewUrl: ready ? twin.pictureUrl : null,
      videoLoopUrl: ready ? twin.videoUrl : null,
    };
  }

  /** A listing's item, with the documented fields only (no client id, no creation time). */
  function listItem(twin: TwinRecord) {
    const { id, firstName, lastName, previewUrl, videoLoopUrl, ethnicity, gender, headline, status } = companion(twin);
    return { id, firstName, lastName, previewUrl, videoLoopUrl, ethnicity, gender, headline, ...(showTags ? { tags: twin.tags } : {}), status };
  }

  /** Fetches and checks every media URL of a twin; the first failure is the twin's failure. */
  function runChecks(twin: TwinRecord, which: 'firstCheck' | 'finalCheck'): void {
    const media: [MediaKind, string, boolean][] = [];
    const voiceFromVideo = !twin.voiceUrl;
    if (twin.voiceUrl) media.push(['voice', twin.voiceUrl, false]);
    // v1 is made from the picture; v2 from the video, or from the picture when there is no video.
    if (twin.pictureUrl && (twin.version === 'v1' || !twin.videoUrl)) media.push(['picture', twin.pictureUrl, false]);
    if (twin.version === 'v2' && twin.videoUrl) media.push(['video', twin.videoUrl, voiceFromVideo]);
    twin[which] = { state: 'pending' };
    const work = (async () => {
      let failed: MediaCheck | undefined;
      for (const [kind, url, needsAudio] of media) {
        const result = await fetchAndCheckMedia(kind, url, { allowHttp, timeoutMs: mediaTimeoutMs }, needsAudio);
        log(
          `media ${twin.id} ${which} ${kind}: ${result.ok ? `ok (${result.container}, ${result.durationSeconds ?? '-'} s, ${result.bytes} B)` : result.reason}`,
        );
        if (!result.ok) {
          failed = result;
          break;
        }
      }
      twin[which] = failed && !failed.ok ? { state: 'failed', reason: `${failed.kind}Url ${failed.reason}` } : { state: 'passed' };
      await state.save();
    })();
    checks.add(work);
    void work.finally(() => checks.delete(work));
  }

  /** Starts the end-of-generation fetch once a twin's pending time is over. */
  function advance(twin: TwinRecord): void {
    if (twin.finalCheck !== null || twin.firstCheck.state !== 'passed') return;
    if (now() - twin.createdAt < clock.generationMs) return;
    if (recheck) runChecks(twin, 'finalCheck');
    else twin.finalCheck = { state: 'passed' };
  }

  function findTwin(id: string): TwinRecord {
    const twin = state.twins.get(id);
    if (!twin) throw new ApiError(404, serviceErrorCodes.notFound, `There is no companion with id ${id} in this project.`, 'NotFound');
    advance(twin);
    return twin;
  }

  async function createTwin(req: Incoming): Promise<[number, unknown]> {
    if (!consent) {
      throw new ApiError(
        403,
        serviceErrorCodes.consentRequired,
        'Digital twins are not enabled for this organisation. An admin must grant consent in the dashboard.',
        'Forbidden',
      );
    }
    const parsed = createTwinRequestSchema.safeParse(readJson(req));
    if (!parsed.success) throw validationError(parsed.error.issues);
    const request = parsed.data;
    if (request.version === 'v2' && !v2Enabled) {
      throw new ApiError(
        403,
        serviceErrorCodes.v2NotEnabled,
        'Avatar v2 is not enabled for this organisation. Ask Napster to enable it, or create a v1 twin.',
        'Forbidden',
      );
    }
    if (!ethnicities.includes(request.ethnicity)) {
      throw new ApiError(
        400,
        'ethnicity',
        `ethnicity must be one of the values of GET /public/companions/ethnicities; "${request.ethnicity}" is not`,
        'Validation',
      );
    }
    for (const field of ['voiceUrl', 'pictureUrl', 'videoUrl'] as const) {
      const url = request[field];
      const problem = url ? mediaUrlProblem(url, allowHttp) : null;
      if (problem) throw new ApiError(400, field, `${field} ${problem}`, 'Validation');
    }
    if (state.twins.size >= (options.maxTwins ?? 100)) {
      throw new ApiError(409, 'DigitalTwinLimitReached', `This organisation has reached its limit of ${options.maxTwins ?? 100} digital twins.`, 'Conflict');
    }
    const twin: TwinRecord = {
      id: newId('comp'),
      createdAt: now(),
      firstName: request.firstName,
      lastName: request.lastName,
      description: request.description,
      headline: null,
      gender: request.gender,
      ethnicity: request.ethnicity,
      externalClientId: request.externalClientId,
      version: request.version,
      voiceUrl: request.voiceUrl ?? null,
      pictureUrl: request.pictureUrl ?? null,
      videoUrl: request.videoUrl ?? null,
      tags: request.tags ?? {},
      firstCheck: { state: 'pending' },
      finalCheck: null,
      forcedStatus: null,
    };
    state.twins.set(twin.id, twin);
    runChecks(twin, 'firstCheck');
    await state.save();
    return [201, companion(twin)];
  }

  function listTwins(params: URLSearchParams): [number, unknown] {
    const personaType = params.get('personaType');
    if (personaType !== null && personaType !== digitalTwinPersonaType && personaType !== 'companion') {
      throw new ApiError(400, 'personaType', `personaType must be ${digitalTwinPersonaType} or companion`, 'Validation');
    }
    const pageIndex = intParam(params, 'pageIndex', 0, 0, 1_000_000);
    const pageSize = intParam(params, 'pageSize', 10, 1, maxPageSize);
    const statuses = [...params.getAll('statuses'), ...params.getAll('statuses[]')];
    for (const status of statuses) {
      if (!(companionStatuses as readonly string[]).includes(status)) {
        throw new ApiError(400, 'statuses', `statuses must be among ${companionStatuses.join(', ')}`, 'Validation');
      }
    }
    const gender = params.get('gender');
    if (gender !== null && !(genders as readonly string[]).includes(gender)) {
      throw new ApiError(400, 'gender', `gender must be one of ${genders.join(', ')}`, 'Validation');
    }
    const tags = params.getAll('tags').map((tag) => {
      const at = tag.indexOf(':');
      if (at < 1) throw new ApiError(400, 'tags', 'tags filters are written key:value', 'Validation');
      return [tag.slice(0, at), tag.slice(at + 1)] as const;
    });
    const ethnicity = params.get('ethnicity');
    const search = params.get('search')?.trim().toLowerCase() ?? '';

    const all = personaType === 'companion' ? [] : [...state.twins.values()].sort((a, b) => b.createdAt - a.createdAt);
    for (const twin of all) advance(twin);
    const filtered = all.filter((twin) => {
      if (statuses.length && !statuses.includes(twinStatus(twin, clock))) return false;
      if (gender !== null && twin.gender !== gender) return false;
      if (ethnicity !== null && twin.ethnicity !== ethnicity) return false;
      // A service that shows no tags is modelled as one that does not filter by them either.
      if (showTags && tags.some(([key, value]) => twin.tags[key] !== value)) return false;
      if (search) {
        const haystack = [twin.firstName, twin.lastName, `${twin.firstName} ${twin.lastName}`, twin.externalClientId, twin.headline ?? '']
          .join('\n')
          .toLowerCase();
        if (!haystack.includes(search)) return false;
      }
      return true;
    });
    const items = filtered.slice(pageIndex * pageSize, (pageIndex + 1) * pageSize).map(listItem);
    return [200, { items, filteredCount: filtered.length, totalCount: all.length, pageIndex, pageSize, search: params.get('search') }];
  }

  async function updateCompanion(id: string, req: Incoming): Promise<[number, unknown]> {
    const twin = findTwin(id);
    const parsed = updateCompanionRequestSchema.safeParse(readJson(req));
    if (!parsed.success) throw validationError(parsed.error.issues);
    const status = twinStatus(twin, clock);
    if (status !== 'completed') {
      throw new ApiError(409, 'CompanionNotEditable', `A companion can be edited once it is completed; this one is ${status}.`, 'Conflict');
    }
    if (parsed.data.description !== undefined) twin.description = parsed.data.description;
    if (parsed.data.headline !== undefined) twin.headline = parsed.data.headline;
    await state.save();
    return [200, companion(twin)];
  }

  async function createAgent(req: Incoming): Promise<[number, unknown]> {
    const parsed = createAgentRequestSchema.safeParse(readJson(req));
    if (!parsed.success) throw validationError(parsed.error.issues);
    const twin = findTwin(parsed.data.companionId);
    const status = twinStatus(twin, clock);
    if (!(agentReadyStatuses as CompanionStatus[]).includes(status)) {
      throw new ApiError(409, 'CompanionNotReady', `The companion is ${status}; it can be attached to an agent once it is readyToUse.`, 'Conflict');
    }
    const agent: AgentRecord = {
      id: newId('agent'),
      createdAt: now(),
      name: parsed.data.name,
      companionId: twin.id,
      providerSettings: parsed.data.providerSettings ?? {},
    };
    state.agents.set(agent.id, agent);
    await state.save();
    return [201, { id: agent.id, name: agent.name, companionId: agent.companionId, providerSettings: agent.providerSettings }];
  }

  async function route(req: Incoming, url: URL): Promise<[number, unknown]> {
    const method = req.method;
    const parts = url.pathname.split('/').filter(Boolean);
    const wrongMethod = (allowed: string) => new ApiError(405, 'MethodNotAllowed', `Use ${allowed} on ${url.pathname}.`, 'Failure', { Allow: allowed });
    if (parts[0] !== 'public') throw new ApiError(404, 'NotFound', `There is no endpoint ${url.pathname}.`, 'NotFound');
    if (parts.length === 2 && parts[1] === 'digital-twins') {
      if (method !== 'POST') throw wrongMethod('POST');
      return createTwin(req);
    }
    if (parts.length === 2 && parts[1] === 'agents') {
      if (method !== 'POST') throw wrongMethod('POST');
      return createAgent(req);
    }
    if (parts[1] === 'companions' && parts.length === 2) {
      if (method !== 'GET') throw wrongMethod('GET');
      return listTwins(url.searchParams);
    }
    if (parts[1] === 'companions' && parts.length === 3 && parts[2] === 'ethnicities') {
      if (method !== 'GET') throw wrongMethod('GET');
      return [200, ethnicities];
    }
    if (parts[1] === 'companions' && parts.length === 3) {
      const id = decodeURIComponent(parts[2]!);
      if (method === 'GET') return [200, companion(findTwin(id))];
      if (method === 'PATCH') return updateCompanion(id, req);
      throw wrongMethod('GET, PATCH');
    }
    throw new ApiError(404, 'NotFound', `There is no endpoint ${url.pathname}.`, 'NotFound');
  }

  function takeFault(method: string, path: string): Fault | undefined {
    const index = faults.findIndex((fault) => (!fault.method || fault.method === method) && (!fault.path || path.startsWith(fault.path)));
    if (index < 0) return undefined;
    const fault = faults[index]!;
    fault.times -= 1;
    if (fault.times <= 0) faults.splice(index, 1);
    return fault;
  }

  function rateLimited(): number | null {
    if (!rateLimit) return null;
    const t = now();
    if (t - window.start >= rateLimit.windowSeconds * 1000) window = { start: t, count: 0 };
    window.count += 1;
    if (window.count <= rateLimit.requests) return null;
    return Math.max(1, Math.ceil((window.start + rateLimit.windowSeconds * 1000 - t) / 1000));
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      recorded.push({ method, path: url.pathname + url.search, status, at: now() });
      log(`${method} ${url.pathname}${url.search} → ${status}`);
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
      res.end(JSON.stringify(body));
    };
    const sendError = (error: ApiError) =>
      send(error.status, { code: error.code, description: error.description, type: error.type, numericType: serviceErrorTypes[error.type] }, error.headers);

    void (async () => {
      // The whole request arrives before any (injected) slowness: a timeout then hits a request the
      // service did receive, which is what makes a blind retry of a create dangerous.
      const incoming: Incoming = { method, contentType: req.headers['content-type'] ?? '', body: await readBody(req) };
      const fault = takeFault(method, url.pathname);
      if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault?.drop) {
        recorded.push({ method, path: url.pathname + url.search, status: 0, at: now() });
        req.socket.destroy();
        return;
      }
      if (fault?.status) {
        const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {};
        const code = fault.status === 429 ? serviceErrorCodes.rateLimited : fault.status >= 500 ? 'InternalServerError' : 'InjectedFault';
        return sendError(new ApiError(fault.status, code, `Injected failure (HTTP ${fault.status}).`, typeOfStatus(fault.status), headers));
      }
      const wait = rateLimited();
      if (wait !== null) {
        return sendError(
          new ApiError(
            429,
            serviceErrorCodes.rateLimited,
            `Too many requests: at most ${rateLimit!.requests} every ${rateLimit!.windowSeconds} s.`,
            'Failure',
            { 'Retry-After': String(wait) },
          ),
        );
      }
      const given = req.headers['x-api-key'];
      if (!sameKey(Array.isArray(given) ? given[0] : given, options.apiKey)) {
        const hint = req.headers.authorization ? ' Send the key in the X-Api-Key header, not Authorization.' : '';
        return sendError(new ApiError(401, serviceErrorCodes.unauthorized, `The API key is missing, expired or invalid.${hint}`, 'Unauthorized'));
      }
      const [status, body] = await route(incoming, url);
      send(status, body);
    })().catch((error: unknown) => {
      if (error instanceof ApiError) return sendError(error);
      log(`internal error: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) sendError(new ApiError(500, 'InternalServerError', 'The emulator failed; see its log.', 'Unexpected'));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  // Twins left mid-check by a previous run are checked again.
  for (const twin of state.twins.values()) {
    if (twin.firstCheck.state === 'pending') runChecks(twin, 'firstCheck');
    else if (twin.finalCheck?.state === 'pending') runChecks(twin, 'finalCheck');
  }

  let closed = false;
  const settled = async () => {
    while (checks.size) await Promise.allSettled([...checks]);
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await settled();
      await state.save();
    },
    setConsent: (enabled) => {
      consent = enabled;
    },
    setV2: (enabled) => {
      v2Enabled = enabled;
    },
    setShowTags: (shown) => {
      showTags = shown;
    },
    fault: (fault) => faults.push({ ...fault, times: fault.times ?? 1 }),
    requests: () => [...recorded],
    twins: () =>
      [...state.twins.values()].map((twin) => {
        advance(twin);
        return { ...twin, status: twinStatus(twin, clock), failureReason: failureReason(twin) };
      }),
    agents: () => [...state.agents.values()],
    forceStatus: (id, status) => {
      const twin = state.twins.get(id);
      if (!twin) throw new Error(`no twin ${id}`);
      twin.forcedStatus = status;
      void state.save();
    },
    settled,
  };
}

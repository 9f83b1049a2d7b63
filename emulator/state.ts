/**
 * The emulator's twins and agents: each twin's status follows a clock (pending → generationCompleted
 * → readyToUse → completed) unless one of its media checks failed. Status is worked out when read,
 * so a test can hand in a fake clock instead of waiting.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CompanionStatus } from '../shared/napster';

export type MediaCheckState = { state: 'pending' } | { state: 'passed' } | { state: 'failed'; reason: string };

export const twinRecordSchema = z.object({
  id: z.string(),
  createdAt: z.number(),
  firstName: z.string(),
  lastName: z.string(),
  description: z.string(),
  headline: z.string().nullable(),
  gender: z.string(),
  ethnicity: z.string(),
  externalClientId: z.string(),
  version: z.enum(['v1', 'v2']),
  voiceUrl: z.string().nullable(),
  pictureUrl: z.string().nullable(),
  videoUrl: z.string().nullable(),
  tags: z.record(z.string(), z.string()),
  /** The media as fetched when generation starts, and again when it ends (an expiring URL fails there). */
  firstCheck: z.custom<MediaCheckState>(),
  finalCheck: z.custom<MediaCheckState>().nullable(),
  /** Set by a test or an operator: `blocked` by moderation, say. */
  forcedStatus: z.enum(['failed', 'blocked']).nullable().default(null),
});
export type TwinRecord = z.infer<typeof twinRecordSchema>;

export const agentRecordSchema = z.object({
  id: z.string(),
  createdAt: z.number(),
  name: z.string(),
  companionId: z.string(),
  providerSettings: z.object({ temperature: z.number().optional(), instructions: z.string().optional() }),
});
export type AgentRecord = z.infer<typeof agentRecordSchema>;

const stateFileSchema = z.object({ twins: z.array(twinRecordSchema), agents: z.array(agentRecordSchema) });

export type Clock = { generationMs: number; stepMs: number; now: () => number };

export function newId(prefix: 'comp' | 'agent'): string {
  return `${prefix}_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`;
}

/** Where a twin stands now. A media check still running holds it in `pending`. */
export function twinStatus(twin: TwinRecord, clock: Clock): CompanionStatus {
  if (twin.forcedStatus) return twin.forcedStatus;
  if (twin.firstCheck.state === 'failed') return 'failed';
  if (twin.finalCheck?.state === 'failed') return 'failed';
  const elapsed = clock.now() - twin.createdAt;
  if (elapsed < clock.generationMs || twin.firstCheck.state === 'pending') return 'pending';
  if (twin.finalCheck?.state !== 'passed') return 'pending';
  if (elapsed < clock.generationMs + clock.stepMs) return 'generationCompleted';
  if (elapsed < clock.generationMs + 2 * clock.stepMs) return 'readyToUse';
  return 'completed';
}

export function failureReason(twin: TwinRecord): string | null {
  if (twin.firstCheck.state === 'failed') return twin.firstCheck.reason;
  if (twin.finalCheck?.state === 'failed') return twin.finalCheck.reason;
  return null;
}

/** Twins and agents in memory, written to `<dataDir>/emulator-state.json` after each change when a folder is given. */
export class EmulatorState {
  readonly twins = new Map<string, TwinRecord>();
  readonly agents = new Map<string, AgentRecord>();
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string | null) {}

  static async open(dataDir: string | undefined): Promise<EmulatorState> {
    if (!dataDir) return new EmulatorState(null);
    await fs.mkdir(dataDir, { recursive: true });
    const state = new EmulatorState(path.join(dataDir, 'emulator-state.json'));
    try {
      const parsed = stateFileSchema.parse(JSON.parse(await fs.readFile(state.file!, 'utf8')));
      for (const twin of parsed.twins) state.twins.set(twin.id, twin);
      for (const agent of parsed.agents) state.agents.set(agent.id, agent);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new Error(`The emulator's state file ${state.file} is unreadable: move it aside or choose another --data-dir.`, { cause: error });
    }
    return state;
  }

  /** Saves in order; a crash leaves the previous file whole (temp file + rename). */
  save(): Promise<void> {
    if (!this.file) return Promise.resolve();
    const file = this.file;
    const text = `${JSON.stringify({ twins: [...this.twins.values()], agents: [...this.agents.values()] }, null, 2)}\n`;
    this.writing = this.writing.then(async () => {
      const temp = `${file}.${process.pid}.tmp`;
      await fs.writeFile(temp, text);
      await fs.rename(temp, file);
    });
    return this.writing;
  }
}

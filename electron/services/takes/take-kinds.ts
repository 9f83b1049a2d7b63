/**
 * The kinds of take, one entry each: where a kind's takes live in the draft, what an import of it
 * may be, and what accepting a take means. Everything else (streaming to disk, crash recovery,
 * repair, checks, trim, discard) is the same for every kind and lives in the takes service. A new
 * kind of take is one entry here, one checker, and its name in `takeKinds` (shared/contract/takes.ts).
 */
import { consentStatement, fullName } from '../../../shared/consent';
import type { TakeKind } from '../../../shared/contract/takes';
import type { Draft, Take } from '../../../shared/drafts';
import type { MediaInfo } from '../../../shared/media';
import { importFormats } from '../../../shared/take-import';
import { storedVideoContainer } from '../media/video-preparation';
import { storedVoiceFormat } from '../media/voice-formats';

export type TakeShelf = {
  /** Every take of this kind the draft holds, oldest first (recording, recovered and complete). */
  list(draft: Draft): Take[];
  /** The draft with this kind's takes replaced by `takes` (same order rules as `list`). */
  put(draft: Draft, takes: Take[]): Draft;
  /** The take preparation uses, or null. In a `single` kind it is the newest complete take, and `choose` changes nothing. */
  chosen(draft: Draft): string | null;
  choose(draft: Draft, takeId: string | null): Draft;
  /** A kind of which only the newest complete take counts (consent): `put` keeps that one alone. */
  single: boolean;
};

export type TakeKindEntry = {
  shelf: TakeShelf;
  /** For messages: "the take", "the consent take". */
  noun: string;
  /**
   * The container an import of this kind is kept in (by content: a QuickTime video is kept as MP4),
   * or null when the file may not be; the entry itself is null when the kind is never imported.
   */
  importable: ((info: MediaInfo) => string | null) | null;
  /** The accepted import formats, for the message that refuses another. */
  importNames: string;
  /** The MIME family of its files. */
  media: 'audio' | 'video';
  /**
   * What the draft records when a take of this kind is started (before any byte arrives): consent
   * keeps the statement shown to the person, so a take recovered after a crash still has it.
   */
  begun?(draft: Draft): Draft;
  /** The draft once `take` has become complete (finished, or a recovered take kept). */
  accepted?(draft: Draft, take: Take): Draft;
  /** The draft once `take` has been removed from it. */
  removed?(draft: Draft, take: Take): Draft;
};

const voice: TakeKindEntry = {
  noun: 'the take',
  media: 'audio',
  importable: (info) => storedVoiceFormat(info),
  importNames: importFormats.voice.names,
  shelf: {
    single: false,
    list: (draft) => draft.voice.takes,
    put: (draft, takes) => ({ ...draft, voice: { ...draft.voice, takes } }),
    chosen: (draft) => draft.voice.chosenTakeId,
    choose: (draft, takeId) => ({ ...draft, voice: { ...draft.voice, chosenTakeId: takeId } }),
  },
};

const video: TakeKindEntry = {
  noun: 'the video take',
  media: 'video',
  importable: (info) => (info.video ? storedVideoContainer(info.container) : null),
  importNames: importFormats.video.names,
  shelf: {
    single: false,
    list: (draft) => draft.camera.videoTakes,
    put: (draft, takes) => ({ ...draft, camera: { ...draft.camera, videoTakes: takes } }),
    chosen: (draft) => draft.camera.chosenVideoTakeId,
    choose: (draft, takeId) => ({ ...draft, camera: { ...draft.camera, chosenVideoTakeId: takeId } }),
  },
};

/**
 * The consent take: the person reading the statement with this draft's code. The accepted take is
 * `consent.take`; one being recorded, or cut short and recovered, is `consent.recording` until it is
 * complete. A new complete take replaces the old one and is a new act of consent: the operator
 * attests it again.
 */
const consent: TakeKindEntry = {
  noun: 'the consent take',
  media: 'video',
  importable: null,
  importNames: '',
  shelf: {
    single: true,
    list: (draft) => [draft.consent.take, draft.consent.recording].filter((take): take is Take => take !== null && take !== undefined),
    put: (draft, takes) => {
      const complete = takes.filter((take) => take.state === 'complete').at(-1) ?? null;
      const pending = takes.filter((take) => take.state !== 'complete').at(-1) ?? null;
      return { ...draft, consent: { ...draft.consent, take: complete, recording: pending ?? undefined } };
    },
    chosen: (draft) => draft.consent.take?.id ?? null,
    choose: (draft) => draft,
  },
  begun: (draft) => ({
    ...draft,
    consent: { ...draft.consent, recordingStatement: draft.consent.code ? consentStatement(fullName(draft.person), draft.consent.code) : null },
  }),
  accepted: (draft, take) => {
    if (draft.consent.take?.id !== take.id) return draft;
    return {
      ...draft,
      consent: {
        ...draft.consent,
        statement: draft.consent.recordingStatement ?? draft.consent.statement,
        recordingStatement: undefined,
        attestation: null,
      },
    };
  },
  // Without its take, a consent record has nothing left to attest.
  removed: (draft, take) => (take.state === 'complete' ? { ...draft, consent: { ...draft.consent, statement: null, attestation: null } } : draft),
};

export const takeKindTable: Record<TakeKind, TakeKindEntry> = { voice, video, consent };

/** Every take the draft holds, of every kind. */
export function allTakes(draft: Draft): Take[] {
  return Object.values(takeKindTable).flatMap((entry) => entry.shelf.list(draft));
}

/** The take `takeId` of any kind in the draft, with its kind; null when there is none. */
export function findTake(draft: Draft, takeId: string): { kind: TakeKind; take: Take } | null {
  for (const [kind, entry] of Object.entries(takeKindTable) as [TakeKind, TakeKindEntry][]) {
    const take = entry.shelf.list(draft).find((item) => item.id === takeId);
    if (take) return { kind, take };
  }
  return null;
}

/** Containers a recorder hands us, by the MIME type it announces. */
export function recordingExtension(mimeType: string): 'webm' | 'mp4' | 'ogg' {
  const type = mimeType.toLowerCase();
  if (type.includes('mp4')) return 'mp4';
  if (type.includes('ogg')) return 'ogg';
  return 'webm';
}

const audioMime: Record<string, string> = {
  webm: 'audio/webm',
  matroska: 'audio/webm',
  mp4: 'audio/mp4',
  m4a: 'audio/mp4',
  mov: 'video/quicktime',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  flac: 'audio/flac',
};

/** The MIME type of a take's file from its container (by content) and its kind's media family. */
export function takeMimeType(kind: TakeKind, info: MediaInfo, fallback: string): string {
  const type = audioMime[info.container];
  if (!type) return fallback;
  return takeKindTable[kind].media === 'video' && info.video ? type.replace('audio/', 'video/') : type;
}

/**
 * StudioApi handlers for the media calls. The renderer names a draft and a take, never a path; the
 * prepared files are written into the draft folder under fixed names and reported by file name.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { StudioHandlers } from '../../../shared/contract';
import type { mediaCalls } from '../../../shared/contract/media';
import type { Draft, Photo, Take } from '../../../shared/drafts';
import { StudioError } from '../../../shared/errors';
import type { PreparedFile, PreparedMedia } from '../../../shared/media';
import { voicePreparation, voiceRules } from '../../../shared/requirements';
import type { DraftStore } from '../drafts/draft-store';
import type { MediaEngine } from './engine';
import { previewName, unplayableReason } from './preview';
import { voiceFormatProfiles } from './voice-formats';
import { allTakes } from '../takes/take-kinds';

/** The fixed names prepared files take in a draft folder: preparing again replaces them. */
export const preparedNames = {
  voice: (extension: string) => `prepared-voice.${extension}`,
  video: 'prepared-video.mp4',
  photo: 'prepared-photo.jpg',
} as const;

function newJobId(): string {
  return `j_${randomBytes(8).toString('hex')}`;
}

function findTake(takes: Take[], takeId: string | undefined, chosenId: string | null, what: string): Take {
  const id = takeId ?? chosenId;
  if (!id) throw new StudioError('NOT_FOUND', `This draft has no chosen ${what} yet.`);
  const take = takes.find((candidate) => candidate.id === id);
  if (!take) throw new StudioError('NOT_FOUND', `This draft has no such ${what}.`);
  if (take.state === 'recording') throw new StudioError('CONFLICT', `This ${what} is still being recorded.`);
  return take;
}

function anyMedia(draft: Draft, id: string): Take | Photo {
  const found = [...allTakes(draft), ...draft.camera.photos].find((item) => item.id === id);
  if (!found) throw new StudioError('NOT_FOUND', 'This draft has no such take or photo.');
  return found;
}

function toRenderer(jobId: string, fileName: string, prepared: PreparedFile): PreparedMedia {
  const { mimeType, info, summary, loudnessLufs, audioBitrate } = prepared;
  return { jobId, fileName, mimeType, info, summary, loudnessLufs, audioBitrate };
}

export function mediaHandlers(engine: MediaEngine, drafts: DraftStore): Pick<StudioHandlers, keyof typeof mediaCalls> {
  return {
    'media/probe': async ({ draftId, takeId }) => {
      const draft = await drafts.get(draftId);
      return engine.probe(drafts.mediaFile(draftId, anyMedia(draft, takeId).fileName));
    },
    'media/voiceFormats': async () => ({ formats: [...voiceRules.formats], defaultFormat: voicePreparation.defaultFormat }),
    'media/prepareVoice': async ({ draftId, takeId, format, jobId = newJobId() }) => {
      const draft = await drafts.get(draftId);
      const take = findTake(draft.voice.takes, takeId, draft.voice.chosenTakeId, 'voice take');
      const chosen = format ?? voicePreparation.defaultFormat;
      const fileName = preparedNames.voice(voiceFormatProfiles[chosen].extension);
      const prepared = await engine.prepareVoice(drafts.mediaFile(draftId, take.fileName), drafts.mediaFile(draftId, fileName), {
        trim: take.trim,
        format: chosen,
        // The track and channel mix the take was checked on (and drawn from) is the one prepared.
        source: take.voiceSource ?? null,
        jobId,
      });
      // Only one prepared voice file per draft: a previous one in another format is removed.
      for (const other of new Set(Object.values(voiceFormatProfiles).map((profile) => preparedNames.voice(profile.extension)))) {
        if (other !== fileName) await fs.rm(drafts.mediaFile(draftId, other), { force: true });
      }
      return toRenderer(jobId, fileName, prepared);
    },
    'media/prepareVideo': async ({ draftId, takeId, height, jobId = newJobId() }) => {
      const draft = await drafts.get(draftId);
      const take = findTake(draft.camera.videoTakes, takeId, draft.camera.chosenVideoTakeId, 'video take');
      const prepared = await engine.prepareVideo(drafts.mediaFile(draftId, take.fileName), drafts.mediaFile(draftId, preparedNames.video), {
        trim: take.trim,
        height: height ?? null,
        jobId,
      });
      return toRenderer(jobId, preparedNames.video, prepared);
    },
    'media/preparePhoto': async ({ draftId, photoId, crop, width, jobId = newJobId() }) => {
      const draft = await drafts.get(draftId);
      const id = photoId ?? draft.camera.chosenPhotoId;
      const photo = draft.camera.photos.find((candidate) => candidate.id === id);
      if (!photo) throw new StudioError('NOT_FOUND', id ? 'This draft has no such photo.' : 'This draft has no chosen photo yet.');
      const prepared = await engine.preparePhoto(drafts.mediaFile(draftId, photo.fileName), drafts.mediaFile(draftId, preparedNames.photo), {
        crop: crop ?? null,
        width: width ?? null,
        jobId,
      });
      return toRenderer(jobId, preparedNames.photo, prepared);
    },
    'media/preview': async ({ draftId, takeId, force, jobId = newJobId() }) => {
      const draft = await drafts.get(draftId);
      const take = allTakes(draft).find((candidate) => candidate.id === takeId);
      if (!take) throw new StudioError('NOT_FOUND', 'This draft has no such take.');
      if (take.state === 'recording') throw new StudioError('CONFLICT', 'This take is still being recorded.');
      const original = drafts.mediaFile(draftId, take.fileName);
      const info = await engine.probe(original);
      const reason = unplayableReason(info) ?? (force ? 'the browser could not play the original' : null);
      if (!reason) return { fileName: take.fileName, preview: false, reason: null };
      const fileName = previewName(take.id, info);
      const file = drafts.mediaFile(draftId, fileName);
      // A preview made after the take's file last changed is still its preview.
      const [made, source] = await Promise.all([fs.stat(file).catch(() => null), fs.stat(original)]);
      if (!made || made.mtimeMs < source.mtimeMs) await engine.preview(original, file, { jobId });
      return { fileName, preview: true, reason };
    },
    'media/cancel': async ({ jobId }) => ({ cancelled: engine.cancel(jobId) }),
  };
}

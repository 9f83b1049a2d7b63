/**
 * Which sound of a file is the voice, and what it measures: every audio track (or the one chosen)
 * is decoded to a scratch file on disk and read back in pieces, so memory stays flat at any length;
 * a two-channel track is mixed so the voice survives (cancellation, a dead channel); DC is removed
 * before anything is measured. Preparation builds the very same track and mix with `sourceArgs`.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AudioAnalysis, formatDuration, speechScore } from '../../../shared/audio-analysis';
import { StudioError } from '../../../shared/errors';
import type { AudioTrack, MediaInfo, VoiceMix, VoiceSource } from '../../../shared/media';
import { voiceRules, voiceSource as sourceRules } from '../../../shared/requirements';
import { type JobContext, runChecked } from './job';
import { ffmpegInput, inputName } from './ffmpeg-input';
import { measureDecodedAudio, probeFile } from './probe';
import type { FrameRange, ScratchMeasureReply, ScratchMeasureRequest, TrackMeasurement } from './sound-measure';
import { workerEntry } from '../worker-entry';

export { peaksPerSecond, type TrackMeasurement } from './sound-measure';

/** Analysis runs at the file's own rate up to this: enough for clipping and the upper band. */
const maxAnalysisRate = 48000;

/** Codecs that give back exactly the samples they were given: only a flat run is clipping there. */
const losslessCodec = /^(pcm_|flac$|alac$|wavpack$|tta$|ape$|mlp$|truehd$)/;

export type VoiceFileAnalysis = {
  /** The chosen track and mix, with every track considered. */
  source: VoiceSource;
  /** The analysis of the chosen sound over the range asked for. */
  analysis: AudioAnalysis;
  /** The chosen track's own sample rate (before any resampling for analysis). */
  sourceSampleRate: number;
  /** Measured length of the whole chosen track, ms (decoded, never from a header). */
  durationMs: number;
  /** What the container's header claims, ms, or null. */
  headerDurationMs: number | null;
  /** Why this track and this mix, in plain words, for the take's checks. */
  reasons: { track: string | null; mix: string | null };
  /** The chosen sound over the range as peaks for the review's waveform (0–255, `peaksPerSecond` a second). */
  peaks: Uint8Array<ArrayBuffer>;
};

/** A track to keep, with its mix when settled (a VoiceSource is one); `tracks` carries the list already measured. */
export type SourceChoice = { track: number; mix?: VoiceMix | null; chosenBy?: VoiceSource['chosenBy']; tracks?: VoiceSource['tracks'] };

/** The sound of a take that has no choice of its own (a video or consent take): its first track, channels averaged as players do. */
export const firstTrack: SourceChoice = { track: 0, mix: 'average' };

/** Scratch files of an analysis, named so a start-up sweep can remove any a crash left behind. */
export const scratchPrefix = '.voice-pcm-';

export type VoiceAnalysisOptions = {
  startMs?: number;
  endMs?: number;
  /** Keep this track (and this mix, if given) instead of measuring which carries the voice. */
  source?: SourceChoice | null;
  /** Where the scratch PCM goes (default: the OS temp folder). */
  scratchDir?: string;
  /** Where measuring the length stops, ms (default: probe's defaultSoundLimitMs); a file past it is refused. */
  soundLimitMs?: number;
  /** Stops the measuring (an import cancelled while it is checked): rejects with CANCELLED. */
  signal?: AbortSignal;
};

/**
 * How a track of more than two channels (5.1, 7.1, quad, 4.0…) is folded to the channel pair its mix
 * is chosen from, by analysis and preparation alike: ITU-R BS.775's downmix (each side takes its
 * front and, at −3 dB, its surround channels; the LFE is left out), except that the centre goes to
 * both sides at its full level. Film, broadcast and camera recorders put dialogue in the centre, so a
 * voice there alone is kept at the level it was recorded at, not 3 dB down as ffmpeg's standard
 * downmix would have it; a voice on another channel alone still reaches one side, where the stereo
 * rules (a dead channel, cancellation) find it. Channels a layout lacks are left out by `pan`, so on
 * a mono or stereo track this changes nothing.
 */
export const voiceFold = 'pan=stereo|FL=FL+FC+0.7071*BL+0.7071*SL+0.7071*BC|FR=FR+FC+0.7071*BR+0.7071*SR+0.7071*BC';

/** The ffmpeg arguments and filters that select a voice source's track and mix: used by preparation. */
export function sourceArgs(source: Pick<VoiceSource, 'track' | 'mix'> | null | undefined): { map: string[]; filters: string[] } {
  const dc = `highpass=f=${sourceRules.dcHighpassHz}`;
  if (!source) return { map: [], filters: [dc] };
  const pan: Record<VoiceMix, string | null> = {
    mono: 'pan=mono|c0=c0',
    average: null,
    left: 'pan=mono|c0=c0',
    right: 'pan=mono|c0=c1',
    difference: 'pan=mono|c0=0.5*c0-0.5*c1',
  };
  const mix = pan[source.mix];
  // Every track is folded to a pair first, as the analysis decode does (a stereo pair is unchanged).
  const filters = source.mix === 'mono' ? [mix!] : [voiceFold, ...(mix ? [mix] : [])];
  return { map: ['-map', `0:a:${source.track}`], filters: [...filters, dc] };
}

function trackLabel(track: AudioTrack, count: number): string {
  const channels = track.channels === 1 ? 'mono' : track.channels === 2 ? 'stereo' : `${track.channels} channels`;
  const name = track.title ? `“${track.title}”` : `Track ${track.index + 1}${count > 1 ? ` of ${count}` : ''}`;
  return `${name} (${channels}, ${Math.round(track.sampleRate / 100) / 10} kHz)`;
}

/**
 * The whole decoded track analysed last, kept on disk (never in memory) so moving the trim reads
 * its range again without decoding: one at a time, replaced by the next track analysed.
 */
let kept: { key: string; path: string } | null = null;

async function keep(key: string, scratch: string): Promise<void> {
  const previous = kept;
  kept = { key, path: scratch };
  if (previous && previous.path !== scratch) await fs.rm(previous.path, { force: true });
}

/** Removes the kept decoded track (the engine closing, or a file it belonged to going away). */
export async function dropKeptSound(): Promise<void> {
  const previous = kept;
  kept = null;
  if (previous) await fs.rm(previous.path, { force: true });
}

/** Removes the kept decoded track if it is `file`'s (the take it belongs to going away). */
export async function dropKeptSoundOf(file: string): Promise<void> {
  if (kept?.key.startsWith(`${file}:`)) await dropKeptSound();
}

type TrackResult = {
  track: AudioTrack;
  analysis: AudioAnalysis;
  mix: VoiceMix;
  mixReason: string | null;
  rate: number;
  peaks: Uint8Array<ArrayBuffer>;
  /** Keeps this track's decoded sound for the next analysis of it; the others are removed. */
  keep: () => Promise<void>;
  scratch: string;
};

/** `measureScratch` (sound-measure.ts) on a worker thread of its own, ended once it answers or the job is stopped. */
async function measureOnThread(request: ScratchMeasureRequest, signal?: AbortSignal): Promise<TrackMeasurement> {
  signal?.throwIfAborted();
  const entry = workerEntry('measure-worker.cjs', () => fileURLToPath(new URL('./measure-worker.ts', import.meta.url)));
  const worker = new Worker(entry.file, { eval: entry.eval, workerData: request });
  let onAbort: () => void = () => undefined;
  try {
    const reply = await new Promise<ScratchMeasureReply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the measuring thread ended (${code})`)));
      // A cancelled job or one past its time limit ends the thread at once.
      onAbort = () => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    if ('error' in reply) throw new StudioError('INTERNAL', `The sound could not be measured: ${reply.error}`);
    return reply.measurement;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await worker.terminate();
  }
}

async function analyseTrack(
  job: JobContext,
  file: string,
  track: AudioTrack,
  range: { startMs: number; endMs: number | null },
  mixChoice: VoiceMix | null,
  scratchDir: string,
): Promise<TrackResult> {
  const channels = Math.min(2, Math.max(1, track.channels)) as 1 | 2;
  const rate = Math.min(maxAnalysisRate, track.sampleRate || maxAnalysisRate);
  const stat = await fs.stat(file);
  const key = `${file}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${track.index}:${channels}:${rate}`;
  const reuse =
    kept?.key === key &&
    (await fs.stat(kept.path).then(
      () => true,
      () => false,
    ));
  const scratch = reuse && kept ? kept.path : path.join(scratchDir, `${scratchPrefix}${randomBytes(6).toString('hex')}.f32`);
  const frames: FrameRange = { first: Math.round((range.startMs / 1000) * rate), end: range.endMs === null ? null : Math.round((range.endMs / 1000) * rate) };
  let keepIt = false;
  try {
    // The whole track is decoded, whatever the range: the next trim then reads its range from disk.
    if (!reuse)
      await runChecked(
        job,
        {
          program: 'ffmpeg',
          args: [
            ...ffmpegInput({ log: 'errors', tolerant: true }),
            '-vn',
            '-map',
            `0:a:${track.index}`,
            ...(track.channels > 2 ? ['-af', voiceFold] : ['-ac', String(channels)]),
            '-ar',
            String(rate),
            '-f',
            'f32le',
            '-c:a',
            'pcm_f32le',
            '/out/pcm',
          ],
          inputs: [{ name: inputName, path: file }],
          // Written to disk as it is decoded: an hour of sound never sits in memory.
          outputs: [{ name: 'pcm', path: scratch }],
        },
        { signal: job.signal },
        'decode the sound',
      );
    // Measured on a worker thread: some 15 million samples for 5 minutes of sound, kept off the main loop.
    const measured = await measureOnThread({ scratch, channels, rate, frames, mix: mixChoice, lossy: !losslessCodec.test(track.codec) }, job.signal);
    const result = {
      track,
      analysis: measured.analysis,
      mix: measured.mix,
      mixReason: measured.mixReason,
      rate,
      peaks: measured.peaks,
      keep: async () => keep(key, scratch),
      scratch,
    };
    keepIt = true;
    return result;
  } finally {
    // Kept only if the caller keeps it (the chosen track); otherwise removed once analysed.
    if (!keepIt && !reuse) await fs.rm(scratch, { force: true });
  }
}

/**
 * The refusal of a sound too long to take as a voice (voiceSource.maxImportSeconds), or null.
 * `atLeast`: measuring stopped at `measuredMs` (see probe's soundLimitMs), so the file is longer still.
 */
export function tooLongForVoice(measuredMs: number, atLeast = false): StudioError | null {
  if (!atLeast && measuredMs <= sourceRules.maxImportSeconds * 1000) return null;
  const length = atLeast ? `longer than ${formatDuration(measuredMs)} (measured: decoding stopped there)` : `${formatDuration(measuredMs)} long (measured)`;
  return new StudioError(
    'MEDIA',
    `This recording is ${length}; the studio takes recordings up to ${formatDuration(sourceRules.maxImportSeconds * 1000)}, and the service uses at most ${formatDuration(voiceRules.maxSeconds * 1000)} of it. Cut out the part to use in an editor and import that.`,
  );
}

/**
 * Measures a voice file: its decoded length, which track carries speech (speech-band energy and
 * pause structure, `speechScore`), the mix that keeps the voice, and the full analysis of that sound.
 * StudioError('MEDIA') for a file with no sound, or longer than voiceSource.maxImportSeconds
 * (refused from its measured length, before anything is decoded to analyse).
 */
export async function analyseVoiceFile(job: JobContext, file: string, options: VoiceAnalysisOptions = {}): Promise<VoiceFileAnalysis> {
  const info: MediaInfo = await probeFile(job.runner, file, { signal: job.signal }, { soundLimitMs: options.soundLimitMs });
  const tracks = (info.audioTracks ?? []).slice(0, sourceRules.maxTracks);
  if (tracks.length === 0) throw new StudioError('MEDIA', 'This file holds no sound.');
  // With a picture, probe trusted the header; the sound's own length is measured here all the same.
  const measured = info.video
    ? await measureDecodedAudio(job.runner, file, { signal: job.signal }, null, options.soundLimitMs)
    : { ms: info.durationMs, atLeast: info.lengthAtLeast ?? false };
  const measuredMs = measured?.ms;
  if (!measuredMs) throw new StudioError('MEDIA', 'This file holds no sound that can be decoded: it may be damaged.');
  const tooLong = tooLongForVoice(measuredMs, measured.atLeast);
  if (tooLong) throw tooLong;
  const startMs = Math.max(0, Math.min(options.startMs ?? 0, measuredMs));
  const endMs = options.endMs === undefined ? null : Math.min(options.endMs, measuredMs);
  if (endMs !== null && endMs <= startMs) throw new StudioError('BAD_REQUEST', 'The range to analyse lies outside the take.');
  const scratchDir = options.scratchDir ?? os.tmpdir();
  const fixed = options.source ?? null;
  if (fixed && !tracks.some((track) => track.index === fixed.track)) throw new StudioError('BAD_REQUEST', 'This file has no such sound track.');
  const candidates = fixed ? tracks.filter((track) => track.index === fixed.track) : tracks;
  const results: TrackResult[] = [];
  for (const track of candidates) {
    results.push(await analyseTrack(job, file, track, { startMs, endMs }, fixed?.mix ?? null, scratchDir));
  }
  const described = describeVoice(tracks, results, fixed, { durationMs: measuredMs, headerDurationMs: info.headerDurationMs ?? null });
  const chosen = results.find((result) => result.track.index === described.source.track)!;
  await chosen.keep();
  for (const result of results) if (result !== chosen && result.scratch !== kept?.path) await fs.rm(result.scratch, { force: true });
  return described;
}

/** A track's measured sound, as `describeVoice` weighs it. */
export type MeasuredTrack = { track: AudioTrack } & Pick<TrackMeasurement, 'analysis' | 'mix' | 'mixReason' | 'peaks'>;

/**
 * A file's voice from its measured tracks: the most speech-like one (or the one fixed), with every
 * track listed and the reasons for the track and the mix in plain words. Shared by the analysis of
 * a file and of a recording measured as it arrives, so both say the same things.
 */
export function describeVoice(
  tracks: readonly AudioTrack[],
  results: readonly MeasuredTrack[],
  fixed: SourceChoice | null,
  lengths: { durationMs: number; headerDurationMs: number | null },
): VoiceFileAnalysis {
  const scored = results.map((result) => ({ result, score: speechScore(result.analysis) }));
  const best = scored.reduce((winner, item) => (item.score > winner.score ? item : winner), scored[0]!);
  const chosen = best.result;
  const trackList =
    fixed?.tracks && fixed.tracks.length > 0
      ? fixed.tracks
      : tracks.map((track) => ({
          track: track.index,
          label: trackLabel(track, tracks.length),
          channels: track.channels,
          speechScore: scored.find((item) => item.result.track.index === track.index)?.score ?? 0,
        }));
  const trackReason =
    tracks.length > 1
      ? fixed
        ? `${trackLabel(chosen.track, tracks.length)} is used, as chosen in the review.`
        : `${trackLabel(chosen.track, tracks.length)} sounds most like speech of the file’s ${tracks.length} sound tracks, so it is the one checked and prepared.`
      : null;
  const mixReason = chosen.mixReason && chosen.mix !== 'average' ? `Channels: ${chosen.mixReason}.` : null;
  return {
    source: { track: chosen.track.index, mix: chosen.mix, chosenBy: fixed?.chosenBy ?? 'auto', tracks: trackList },
    analysis: chosen.analysis,
    sourceSampleRate: chosen.track.sampleRate,
    durationMs: lengths.durationMs,
    headerDurationMs: lengths.headerDurationMs,
    reasons: { track: trackReason, mix: mixReason },
    peaks: chosen.peaks,
  };
}

/**
 * A voice take (or import) and its trim range in, the upload file out: mono, silence at the ends
 * removed, EBU R128 loudness-normalised with true-peak headroom, in an accepted format and size,
 * and measured again before it is called ready.
 */
import { StudioError } from '../../../shared/errors';
import type { MediaInfo, MediaTrim, PreparedFile, VoiceSource } from '../../../shared/media';
import { type VoiceFormat, audioQuality, voicePreparation, voiceRules } from '../../../shared/requirements';
import { type LoudnessSummary, type MomentaryFrame, parseEbur128Summary } from './ffmpeg-log';
import { type JobContext, formatSeconds, runChecked, stepControl, withPartialOutput } from './job';
import { ffmpegInput, inputName } from './ffmpeg-input';
import { probeFile } from './probe';
import { planEncoding, voiceFormatOfContainer, voiceFormatProfiles } from './voice-formats';
import { sourceArgs } from './voice-source';

const outputName = 'voice';
/** True peaks an encoder adds on top of the PCM it was given: lossy codecs reshape the waveform. */
const codecPeakMarginDb = { lossy: 1.5, pcm: 0.3, lossless: 0.3 } as const;

export type SpeechAnalysis = LoudnessSummary & {
  /** Where speech starts and ends, relative to the window analysed. */
  speechStartMs: number;
  speechEndMs: number;
};

function window(info: MediaInfo, trim: MediaTrim | null | undefined): { startMs: number; endMs: number } {
  const durationMs = info.durationMs ?? 0;
  if (!trim) return { startMs: 0, endMs: durationMs };
  const startMs = Math.min(trim.startMs, durationMs);
  const endMs = Math.min(trim.endMs, durationMs);
  if (endMs <= startMs) throw new StudioError('BAD_REQUEST', 'The trim range lies outside the take.');
  return { startMs, endMs };
}

function tooShort(ms: number, what: string): StudioError {
  return new StudioError(
    'MEDIA',
    `The voice ${what} is ${formatSeconds(ms)} long; the service needs at least ${voiceRules.minSeconds} s of speech. Record a longer take or widen the trim.`,
  );
}

/** Where the talking is: the first and last 100 ms frames not far below the take's own loudness. */
export function findSpeech(frames: readonly MomentaryFrame[], integratedLufs: number, lengthMs: number) {
  const threshold = integratedLufs - voicePreparation.edgeSilenceBelowLu;
  const loud = frames.filter((frame) => frame.lufs > threshold);
  const first = loud[0];
  const last = loud.at(-1);
  if (!first || !last) return null;
  // A frame's momentary loudness covers the 400 ms before its time stamp.
  const startMs = Math.max(0, first.timeMs - 400 - voicePreparation.edgePaddingMs);
  const endMs = Math.min(lengthMs, last.timeMs + voicePreparation.edgePaddingMs);
  return { startMs, endMs };
}

type Source = Pick<VoiceSource, 'track' | 'mix'> | null | undefined;

/**
 * The take's voice as mono 48 kHz: its track and channel mix (the same the checks measured), DC
 * removed, then `extra`. Every step of a preparation reads the input through this, so the
 * loudness measured is the loudness of what is encoded.
 */
function mono48k(source: Source, extra: string[] = []): string {
  return [...sourceArgs(source).filters, 'aresample=48000', 'aformat=channel_layouts=mono', ...extra].join(',');
}

/** The input read from `startMs` for `lengthMs` (ms), with the source's track selected. */
function sourceInput(source: Source, startMs: number, lengthMs: number): string[] {
  return [...ffmpegInput({ log: 'progress', startMs, lengthMs }), ...sourceArgs(source).map];
}

async function analyse(job: JobContext, input: string, source: Source, startMs: number, lengthMs: number): Promise<SpeechAnalysis> {
  const result = await runChecked(
    job,
    {
      program: 'ffmpeg',
      args: [...sourceInput(source, startMs, lengthMs), '-vn', '-af', mono48k(source, ['ebur128=peak=true:framelog=info']), '-f', 'null', '-'],
      inputs: [{ name: inputName, path: input }],
      keepLog: 'momentary',
    },
    stepControl(job, 0, 0.3, lengthMs),
    'measure the loudness of the take',
  );
  const summary = parseEbur128Summary(result.log);
  if (!summary) throw new StudioError('MEDIA', 'Could not measure the loudness of the take (ffmpeg printed no summary).');
  if (!Number.isFinite(summary.integratedLufs) || summary.integratedLufs < audioQuality.silentRmsDbfs) {
    throw new StudioError('MEDIA', 'The take is silent or almost silent: check the microphone and record again.');
  }
  const speech = findSpeech(result.momentary ?? [], summary.integratedLufs, lengthMs);
  if (!speech) throw new StudioError('MEDIA', 'No speech was found in the take.');
  return { ...summary, speechStartMs: speech.startMs, speechEndMs: speech.endMs };
}

async function measureOutput(job: JobContext, file: string, from: number, to: number, expectedMs: number) {
  const result = await runChecked(
    job,
    {
      program: 'ffmpeg',
      args: [...ffmpegInput({ log: 'progress', name: outputName }), '-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-'],
      inputs: [{ name: outputName, path: file }],
    },
    stepControl(job, from, to, expectedMs),
    'measure the prepared file',
  );
  const summary = parseEbur128Summary(result.log);
  if (!summary) throw new StudioError('MEDIA', 'Could not measure the prepared file (ffmpeg printed no summary).');
  return summary;
}

type Attempt = { gainDb: number; limitDbfs: number | null; shrink: number };

function levelFilters(attempt: Attempt): string[] {
  const filters = [`volume=${attempt.gainDb.toFixed(2)}dB`];
  if (attempt.limitDbfs !== null) {
    // A sample-peak limiter; the ceiling sits below the true-peak target by the codec's margin.
    filters.push(`alimiter=limit=${(10 ** (attempt.limitDbfs / 20)).toFixed(4)}:attack=5:release=50:level=false`);
  }
  return filters;
}

/** Integrated loudness after gain and limiter, without encoding anything. */
async function measureLimited(job: JobContext, input: string, source: Source, startMs: number, lengthMs: number, attempt: Attempt): Promise<number> {
  const result = await runChecked(
    job,
    {
      program: 'ffmpeg',
      args: [
        ...sourceInput(source, startMs, lengthMs),
        '-vn',
        '-af',
        mono48k(source, [...levelFilters(attempt), 'ebur128=framelog=verbose']),
        '-f',
        'null',
        '-',
      ],
      inputs: [{ name: inputName, path: input }],
    },
    stepControl(job, 0.3, 0.45, lengthMs),
    'measure the limited take',
  );
  const summary = parseEbur128Summary(result.log);
  if (!summary) throw new StudioError('MEDIA', 'Could not measure the limited take (ffmpeg printed no summary).');
  return summary.integratedLufs;
}

/** Why a prepared file is not acceptable, or null when it is. */
export function verdictOnPrepared(info: MediaInfo, loudness: LoudnessSummary, format: VoiceFormat): string | null {
  const durationS = (info.durationMs ?? 0) / 1000;
  const produced = voiceFormatOfContainer(info.container);
  if (produced !== format && !(format === 'mp4' && produced === 'm4a') && !(format === 'm4a' && produced === 'mp4')) {
    return `it came out as ${info.container}, not ${format}`;
  }
  if (!info.audio || info.audio.channels !== 1) return 'it is not mono';
  if (info.video) return 'it carries a picture';
  if (durationS < voiceRules.minSeconds - 0.05 || durationS > voiceRules.maxSeconds) return `it is ${durationS.toFixed(2)} s long`;
  if (info.bytes > voiceRules.maxBytes) return `it is ${(info.bytes / 2 ** 20).toFixed(2)} MB`;
  if (Math.abs(loudness.integratedLufs - audioQuality.targetLufs) > voicePreparation.loudnessToleranceLu) {
    return `its loudness is ${loudness.integratedLufs.toFixed(1)} LUFS`;
  }
  if ((loudness.truePeakDbtp ?? 0) > audioQuality.targetTruePeakDbtp + 0.5) return `its true peak is ${loudness.truePeakDbtp?.toFixed(1)} dBTP`;
  return null;
}

export type VoicePreparationResult = PreparedFile & { analysis: SpeechAnalysis; attempts: number };

export async function prepareVoiceFile(
  job: JobContext,
  input: string,
  output: string,
  options: { trim?: MediaTrim | null; format?: VoiceFormat; source?: Source },
): Promise<VoicePreparationResult> {
  const format = options.format ?? voicePreparation.defaultFormat;
  const profile = voiceFormatProfiles[format];
  const info = await probeFile(job.runner, input, { signal: job.signal });
  if (!info.audio) throw new StudioError('MEDIA', 'This take has no sound track.');
  const range = window(info, options.trim);
  if (range.endMs - range.startMs < voiceRules.minSeconds * 1000) throw tooShort(range.endMs - range.startMs, options.trim ? 'selection' : 'take');

  const analysis = await analyse(job, input, options.source, range.startMs, range.endMs - range.startMs);
  const startMs = range.startMs + analysis.speechStartMs;
  // Beyond the service's maximum the end is cut: the recorder stops there anyway.
  const endMs = Math.min(range.startMs + analysis.speechEndMs, startMs + voiceRules.maxSeconds * 1000 - voicePreparation.endMarginMs);
  const lengthMs = endMs - startMs;
  if (lengthMs < voiceRules.minSeconds * 1000) throw tooShort(lengthMs, 'take without its silent ends');

  const ceiling = audioQuality.targetTruePeakDbtp - codecPeakMarginDb[profile.kind];
  let attempt: Attempt = { gainDb: audioQuality.targetLufs - analysis.integratedLufs, limitDbfs: null, shrink: 1 };
  if ((analysis.truePeakDbtp ?? 0) + attempt.gainDb > ceiling) {
    // Speech peaks ~20 dB over its loudness, more than the target allows: a limiter takes the
    // excess, and with it some loudness. Measure that loss once and add it back before encoding
    // (half as much again: the more gain goes in, the more the limiter takes).
    attempt.limitDbfs = ceiling;
    const limited = await measureLimited(job, input, options.source, startMs, lengthMs, attempt);
    attempt = { ...attempt, gainDb: attempt.gainDb + Math.min(3, Math.max(0, 1.5 * (audioQuality.targetLufs - limited))) };
  }

  return withPartialOutput(output, async (partial) => {
    for (let count = 1; ; count++) {
      const plan = planEncoding(format, lengthMs, attempt.shrink);
      const filters = levelFilters(attempt);
      if (plan.sampleRate !== 48000) filters.push(`aresample=${plan.sampleRate}`);
      const spread = 0.45 + (0.4 * (count - 1)) / 2;
      await runChecked(
        job,
        {
          program: 'ffmpeg',
          args: [
            ...sourceInput(options.source, startMs, lengthMs),
            '-vn',
            '-map_metadata',
            '-1',
            '-af',
            mono48k(options.source, filters),
            '-ac',
            '1',
            '-ar',
            String(plan.sampleRate),
            ...plan.codecArgs,
            '-f',
            profile.muxer,
            `/out/${outputName}`,
          ],
          inputs: [{ name: inputName, path: input }],
          outputs: [{ name: outputName, path: partial }],
        },
        stepControl(job, spread, Math.min(0.85, spread + 0.4), lengthMs),
        `encode the voice as ${format}`,
      );
      const loudness = await measureOutput(job, partial, 0.85, 0.97, lengthMs);
      const prepared = await probeFile(job.runner, partial, { signal: job.signal });
      const problem = verdictOnPrepared(prepared, loudness, format);
      job.log.info('voice prepared', {
        attempt: count,
        format,
        bitrate: plan.bitrate,
        sampleRate: plan.sampleRate,
        bytes: prepared.bytes,
        lufs: loudness.integratedLufs,
        truePeak: loudness.truePeakDbtp,
        problem,
      });
      if (!problem) {
        job.onRatio?.(1);
        return {
          file: output,
          mimeType: profile.mimeType,
          info: prepared,
          summary: `${format}, mono ${plan.sampleRate} Hz${plan.bitrate ? `, ${plan.bitrate / 1000} kbit/s` : ''}, ${formatSeconds(lengthMs)} of speech, ${loudness.integratedLufs.toFixed(1)} LUFS`,
          loudnessLufs: loudness.integratedLufs,
          audioBitrate: plan.bitrate,
          analysis,
          attempts: count,
        };
      }
      if (count >= 2) throw new StudioError('MEDIA', `The prepared voice file failed its final check: ${problem}.`);
      // Second attempt: correct the level by what was measured, give peaks more room, and shrink if too big.
      const truePeak = loudness.truePeakDbtp ?? ceiling;
      const overshoot = Math.max(0, truePeak - audioQuality.targetTruePeakDbtp + 0.5);
      attempt = {
        gainDb: attempt.gainDb + (audioQuality.targetLufs - loudness.integratedLufs),
        limitDbfs: (attempt.limitDbfs ?? ceiling) - overshoot,
        shrink: prepared.bytes > voiceRules.maxBytes ? ((attempt.shrink * voiceRules.maxBytes) / prepared.bytes) * 0.95 : attempt.shrink,
      };
    }
  });
}

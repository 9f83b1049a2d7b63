/** Stream-copy a recording into a fresh file of the same container, or move a video into MP4. */
import { StudioError } from '../../../shared/errors';
import type { MediaContainer, MediaInfo } from '../../../shared/media';
import type { VoiceFormat } from '../../../shared/requirements';
import { type JobContext, runChecked, withPartialOutput } from './job';
import { ffmpegInput, inputName } from './ffmpeg-input';
import { probeFile } from './probe';
import { losslessCodecFor, soundCodecsHeld, trackCodecs, voiceFormatOfContainer } from './voice-formats';

/** The muxer that writes each container, and what it needs to write a complete index. */
const muxers: Partial<Record<MediaContainer, string[]>> = {
  webm: ['-f', 'webm'],
  matroska: ['-f', 'matroska'],
  mp4: ['-movflags', '+faststart', '-f', 'mp4'],
  m4a: ['-movflags', '+faststart', '-f', 'ipod'],
  mov: ['-movflags', '+faststart', '-f', 'mov'],
  ogg: ['-f', 'ogg'],
  wav: ['-f', 'wav'],
  mp3: ['-f', 'mp3'],
  flac: ['-f', 'flac'],
  aac: ['-f', 'adts'],
};

/**
 * Sound codecs an MP4 carries as they are; anything else (the PCM of a camera's QuickTime file, say)
 * becomes AAC at a rate that is transparent for speech when a file moves into MP4.
 */
const mp4AudioCodecs = new Set([...soundCodecsHeld.m4a, 'ac3', 'eac3']);
const mp4FallbackAudio = ['-c:a', 'aac', '-b:a', '256k'];

/** Every sound track into `target`: copied when it carries them all (soundCodecsHeld), else each encoded by losslessCodecFor. */
function soundMoveArgs(info: MediaInfo, target: MediaContainer): string[] {
  const format = voiceFormatOfContainer(target);
  const held: ReadonlySet<string> | undefined = format ? (soundCodecsHeld as Partial<Record<VoiceFormat, ReadonlySet<string>>>)[format] : undefined;
  const codecs = trackCodecs(info);
  if (held && codecs.length > 0 && codecs.every((codec) => held.has(codec))) return ['-map', '0:a', '-c:a', 'copy'];
  const encoders = codecs.map((codec) => (format ? losslessCodecFor(format, codec) : null));
  if (codecs.length === 0 || encoders.some((encoder) => encoder === null)) {
    throw new StudioError('MEDIA', `This sound cannot be kept in ${target} as it is.`);
  }
  return ['-map', '0:a', ...encoders.flatMap((encoder, index) => [`-c:a:${index}`, encoder!])];
}

/**
 * Rewrites the file through ffmpeg's muxer without touching the streams. MediaRecorder writes WebM
 * as a live stream (no duration, no cues) and a crash cuts it mid-cluster: the muxer writes both
 * and ffmpeg keeps every whole frame before the damage. `output` may equal `input`.
 *
 * `to` moves a video into another container (a QuickTime `.mov` or a Matroska file into MP4): the
 * picture and its rotation are copied, the first picture and every sound track kept, other tracks
 * (a phone's timed metadata) dropped, and a sound MP4 cannot hold is re-encoded to AAC. For a file
 * of sound alone (a voice import in a container the service does not take, see storedVoiceFormat)
 * every sound track is moved: copied where `to` carries its codec, else encoded losslessly.
 */
export async function remuxFile(job: JobContext, input: string, output: string, to?: MediaContainer): Promise<void> {
  // The streams are what matter here, not the sound's decoded length: that is measured by whoever needs it.
  const info = await probeFile(job.runner, input, { signal: job.signal }, { length: 'header' });
  const target = to ?? info.container;
  const muxer = muxers[target];
  if (!muxer) throw new StudioError('MEDIA', `A ${info.container} file cannot be remuxed.`);
  const moving = target !== info.container;
  const streams = !moving
    ? ['-map', '0', '-c', 'copy']
    : !info.video || target in soundCodecsHeld
      ? soundMoveArgs(info, target)
      : [
          '-map',
          '0:v:0',
          '-map',
          '0:a?',
          '-c:v',
          'copy',
          ...(target === 'mp4' && info.audio && !mp4AudioCodecs.has(info.audio.codec) ? mp4FallbackAudio : ['-c:a', 'copy']),
        ];
  await withPartialOutput(output, async (partial) => {
    await runChecked(
      job,
      {
        program: 'ffmpeg',
        args: [...ffmpegInput({ log: 'errors', regenerateTimestamps: true, tolerant: true }), ...streams, ...muxer, '/out/remuxed'],
        inputs: [{ name: inputName, path: input }],
        outputs: [{ name: 'remuxed', path: partial }],
      },
      { signal: job.signal },
      moving ? `move the ${info.container} file into ${target}` : 'repair the recording',
    );
    const repaired = await probeFile(job.runner, partial, { signal: job.signal }, { length: 'header' });
    if (!repaired.durationMs) throw new StudioError('MEDIA', 'The recording holds no complete frames.');
  });
}

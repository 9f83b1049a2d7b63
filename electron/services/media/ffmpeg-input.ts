/**
 * The start of every ffmpeg command the media engine runs, up to and including its input, so that
 * how a file is read (logging, damaged packets, seeking) is decided in one place for every job.
 */

/** The name every job gives its input inside the engine's file system: `/in/input`. */
export const inputName = 'input';

export type InputOptions = {
  /** The file under `/in/`; `inputName` unless a job reads a file it made itself. */
  name?: string;
  /**
   * `progress`: ffmpeg's `info` log with `-stats`, which carries the time lines read for progress
   * and the summaries filters such as ebur128 print there. `errors`: errors only, for quick jobs.
   */
  log: 'progress' | 'errors';
  /**
   * Decode past damaged packets instead of stopping at the first (`-err_detect ignore_err`): phone
   * files cut short and recordings a crash ended still measure up to the damage.
   */
  tolerant?: boolean;
  /** Make timestamps up where the container lacks them and drop corrupt packets (remuxing). */
  regenerateTimestamps?: boolean;
  /**
   * Where to start, ms. An input option: ffmpeg seeks the container, then decodes from the key
   * frame before and drops up to the exact time, so it is fast and frame-accurate.
   */
  startMs?: number;
  /** How much to read from `startMs`, ms, as an input option (the output then ends there too). */
  lengthMs?: number;
};

/** ffmpeg time arguments in seconds with millisecond precision. */
export function secondsArg(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** `-hide_banner … -i /in/<name>`: the arguments before a job's own mapping, filters and output. */
export function ffmpegInput(options: InputOptions): string[] {
  return [
    '-hide_banner',
    ...(options.log === 'progress' ? ['-loglevel', 'info', '-stats'] : ['-loglevel', 'error', '-nostats']),
    ...(options.regenerateTimestamps ? ['-fflags', '+genpts+discardcorrupt'] : []),
    ...(options.tolerant ? ['-err_detect', 'ignore_err'] : []),
    // A track of 3–8 channels with no layout in its header (a plain PCM WAV) gets its count's
    // standard layout, so the voice fold (voice-source.ts) finds its centre and surround channels.
    '-guess_layout_max',
    '8',
    ...(options.startMs && options.startMs > 0 ? ['-ss', secondsArg(options.startMs)] : []),
    ...(options.lengthMs !== undefined ? ['-t', secondsArg(options.lengthMs)] : []),
    '-i',
    `/in/${options.name ?? inputName}`,
  ];
}

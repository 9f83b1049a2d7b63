/** Reading ffmpeg's own log: progress lines, loudness summaries and the line that explains a failure. */

/** `time=00:01:02.34` in a stats line, as milliseconds; null when the line carries no time. */
export function statsTimeMs(line: string): number | null {
  const match = /time=\s*(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(line);
  if (!match) return null;
  if (match[1] === '-') return 0;
  return Math.round((Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4])) * 1000);
}

/** Lines that are noise rather than explanation: the wasm runtime's exit marker, stats, banners. */
function isNoise(line: string): boolean {
  return (
    line.trim() === '' ||
    line.startsWith('Aborted(') ||
    /^size=|^video:|^\s*(Metadata|Duration|Stream|Input|Output|encoder|ENCODER|DURATION)\b/.test(line) ||
    line.startsWith('Press [q]')
  );
}

/**
 * The most telling lines of a failed run: ffmpeg prints the cause first and generic trailers
 * ("Conversion failed!") last, so the earlier specific lines are kept ahead of those.
 */
export function explainFailure(lines: readonly string[]): string {
  const generic = /^(Conversion failed!|Error while filtering|Exiting normally|Error reinitializing filters!)/;
  const meaningful = lines.filter((line) => !isNoise(line)).map((line) => line.replace(/^\[[^\]]+ @ 0x[0-9a-f]+\]\s*/, '').trim());
  const specific = meaningful.filter((line) => !generic.test(line));
  const chosen = (specific.length > 0 ? specific : meaningful).slice(-3);
  const unique = [...new Set(chosen)];
  return unique.join(' / ') || 'ffmpeg gave no reason';
}

/**
 * Why a file could not be read, in words for the person who brought it. Three kinds: a file cut short
 * (a copy or download that stopped early: an MP4 or MOV without its index, data that ends inside a
 * packet), content in no media format at all (a renamed document), and anything else that fails to
 * decode. `startsLikeMedia` is whether the file's first bytes carry a media format's signature
 * (`startsLikeMedia` in signature.ts): ffmpeg's log alone says "moov atom not found" of a renamed
 * text file and of a half-copied MP4 alike. ffmpeg's own words (`explainFailure`) never reach a message.
 */
export function unreadableReason(lines: readonly string[], startsLikeMedia: boolean): string {
  if (!startsLikeMedia) return 'its content is in no audio, video or picture format, whatever its name says';
  if (cutShortLines.test(lines.join('\n'))) {
    return 'it is cut short, its end missing (as when a copy or download stops early); copy it again from where it was made';
  }
  return 'it is damaged (its content could not be decoded)';
}

/** ffmpeg's words for input that ends too soon: an MP4 or MOV without its index, data ending inside a packet. */
const cutShortLines =
  /moov atom not found|partial file|Truncat|End of file|stream ends prematurely|Invalid NAL unit size|ran out of data|EBML header parsing failed/i;

/** Whether ffmpeg's log blames its input (cut short, not media, damaged) rather than itself: then `unreadableReason` says why. */
export function blamesInput(lines: readonly string[]): boolean {
  const text = lines.join('\n');
  return cutShortLines.test(text) || /Invalid data found|Error while decoding|corrupt|Invalid NAL unit|EBML header/i.test(text);
}

export type LoudnessSummary = {
  /** EBU R128 integrated loudness, LUFS. */
  integratedLufs: number;
  loudnessRangeLu: number;
  /** True peak (dBTP) when the scan ran with peak=true, else null. */
  truePeakDbtp: number | null;
};

/** The `Summary:` block ebur128 prints when it closes. */
export function parseEbur128Summary(lines: readonly string[]): LoudnessSummary | null {
  const start = lines.findIndex((line) => line.includes('Summary:'));
  if (start < 0) return null;
  const block = lines.slice(start).join('\n');
  const integrated = /I:\s*(-?[\d.]+|-inf)\s*LUFS/.exec(block);
  const range = /LRA:\s*(-?[\d.]+)\s*LU/.exec(block);
  const peak = /True peak:\s*Peak:\s*(-?[\d.]+|-inf)\s*dBFS/.exec(block);
  if (!integrated) return null;
  const number = (text: string | undefined) => (text === undefined || text === '-inf' ? -Infinity : Number(text));
  return {
    integratedLufs: number(integrated[1]),
    loudnessRangeLu: range ? Number(range[1]) : 0,
    truePeakDbtp: peak ? number(peak[1]) : null,
  };
}

/** One momentary loudness frame of ebur128: the window's end, ms, and its loudness, LUFS (-Infinity for "-inf"). */
export type MomentaryFrame = { timeMs: number; lufs: number };

/**
 * The momentary loudness (400 ms window) of one of ebur128's per-frame lines, printed every 100 ms
 * ("… t: 0.4  TARGET:-23 LUFS    M: -24.1 S:…"), or null for any other line. The fields are found by
 * position: on a 300 s take's 3,000 lines a first call took 9–14 ms of CPU, a regular expression
 * with a lazy gap 18–32 ms. The media worker reads them as ffmpeg prints them (keepLog 'momentary').
 */
export function momentaryFrame(line: string): MomentaryFrame | null {
  const time = line.indexOf(' t: ');
  if (time < 0) return null;
  const momentary = line.indexOf(' M:', time);
  if (momentary < 0) return null;
  const seconds = Number.parseFloat(line.slice(time + 4, time + 24));
  const value = line.slice(momentary + 3, momentary + 16).trimStart();
  const lufs = value.startsWith('-inf') ? -Infinity : Number.parseFloat(value);
  if (!Number.isFinite(seconds) || Number.isNaN(lufs)) return null;
  return { timeMs: Math.round(seconds * 1000), lufs };
}

/** momentaryFrame of each line that is one, in order. */
export function parseMomentary(lines: readonly string[]): MomentaryFrame[] {
  const frames: MomentaryFrame[] = [];
  for (const line of lines) {
    const frame = momentaryFrame(line);
    if (frame) frames.push(frame);
  }
  return frames;
}

/**
 * Which files a take of each kind may be imported from: one rule, read by the page before a byte is
 * sent (a file whose name says it cannot be used is refused at once, not after a long upload) and
 * by the takes service for its messages. The name is only the first gate: the main process then
 * judges the bytes (ffprobe on the content), whatever the name said.
 */
import { takeStreaming } from './contract/takes';
import { voiceRules } from './requirements';

export type ImportKind = 'voice' | 'video';

export type ImportFormat = {
  /** File name endings accepted, lower case, without the dot. */
  extensions: readonly string[];
  /** What the refusal tells people to bring instead. */
  names: string;
};

/**
 * Names of sound files the service's list of formats does not name, as people's devices give them:
 * ADTS AAC (Android recorders), AIFF and CAF (Macs, GarageBand, Logic), WMA (Windows), AMR and 3GP
 * (phones' voice memos), `.opus` and `.oga` (Ogg, kept as it is), Matroska audio, audiobook M4B, and
 * the sound of a QuickTime, M4V or Matroska video. The content then decides; sound in a container the
 * service does not take is moved into M4A or FLAC on import (voice-formats.ts storedVoiceFormat).
 */
const otherVoiceExtensions = ['aac', 'aif', 'aiff', 'aifc', 'caf', 'wma', 'amr', '3gp', '3ga', 'opus', 'oga', 'mka', 'm4b', 'mov', 'm4v', 'mkv'] as const;

/**
 * Voice: the service's formats, and the names above. Video: the service's MP4 and WebM, plus what
 * phones and cameras write (QuickTime `.mov` from every iPhone, `.m4v`, Matroska `.mkv` from screen
 * recorders), which the studio remuxes into MP4 on import.
 */
export const importFormats: Record<ImportKind, ImportFormat> = {
  voice: {
    extensions: [...voiceRules.formats, ...otherVoiceExtensions],
    names: `${voiceRules.formats.slice(0, -1).join(', ')} or ${voiceRules.formats.at(-1)}, or another sound file (aiff, caf, aac, wma…), kept without further loss`,
  },
  video: { extensions: ['mp4', 'm4v', 'mov', 'qt', 'webm', 'mkv'], names: 'mp4, mov, m4v, webm, mkv' },
};

/** The `accept` attribute of a file picker for this kind: its extensions (and MIME families, for pickers that filter by type). */
export function importAccept(kind: ImportKind): string {
  const types = kind === 'voice' ? ['audio/*'] : ['video/*'];
  return [...types, ...importFormats[kind].extensions.map((extension) => `.${extension}`)].join(',');
}

/** The largest file the takes service takes in as an import of this kind, bytes. */
export function maxImportBytes(kind: ImportKind): number {
  return kind === 'video' ? takeStreaming.maxVideoImportBytes : takeStreaming.maxTakeBytes;
}

/** Why a file with this name and size cannot be imported as a take of `kind`, or null when it may be sent (the content then decides). */
export function importRefusal(kind: ImportKind, fileName: string, bytes: number): string | null {
  const maxBytes = maxImportBytes(kind);
  const dot = fileName.lastIndexOf('.');
  const extension = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  const what = kind === 'voice' ? 'recording' : 'video';
  if (!importFormats[kind].extensions.includes(extension)) {
    const said = extension ? `a .${extension} file` : 'a file without a type in its name';
    return `“${fileName}” is ${said}, which the studio cannot import as a ${what}. Import ${importFormats[kind].names}.`;
  }
  if (bytes === 0) return `“${fileName}” is empty.`;
  if (bytes > maxBytes) {
    const mb = (value: number) => (value >= 2 ** 30 ? `${(value / 2 ** 30).toFixed(1)} GB` : `${Math.round(value / 2 ** 20)} MB`);
    return `“${fileName}” is ${mb(bytes)}: more than the ${mb(maxBytes)} the studio takes in as a ${what}. Import a shorter or more compressed ${what}.`;
  }
  return null;
}

/**
 * Every benchmark `npm run bench` runs, in order. To add one: write a module in scripts/bench/
 * exporting a Benchmark (see types.ts) and add it to this list; its key becomes a key of the JSON.
 */
import { importMemory4h } from './import-memory';
import { videoImportPhone60s, videoPrepare120sMp4, videoPrepare120sWebm, voicePrepare300s } from './media-prepare';
import type { Benchmark } from './types';
import { upload200MB } from './upload-200mb';
import { recordingLongTasks60s, stopToReview300s } from './voice-capture';
import { voiceFormats } from './voice-formats';

export const benchmarks: Benchmark[] = [
  voicePrepare300s,
  videoPrepare120sMp4,
  videoPrepare120sWebm,
  videoImportPhone60s,
  voiceFormats,
  stopToReview300s,
  recordingLongTasks60s,
  upload200MB,
  importMemory4h,
];

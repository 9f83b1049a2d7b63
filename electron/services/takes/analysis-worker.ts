/**
 * The worker thread that analyses a take's sound (shared/audio-analysis.ts), so that a 300 s take's
 * ~14 million samples are never walked on the main thread. Worker-thread code.
 */
import { parentPort } from 'node:worker_threads';
import { analyseAudio } from '../../../shared/audio-analysis';
import type { AnalysisReply, AnalysisRequest } from './audio-analyser';

const port = parentPort;
if (!port) throw new Error('the analysis worker must run in a worker thread');
port.on('message', ({ id, samples, sampleRate }: AnalysisRequest) => {
  try {
    port.postMessage({ id, analysis: analyseAudio(samples, sampleRate) } satisfies AnalysisReply);
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies AnalysisReply);
  }
});

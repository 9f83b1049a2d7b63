/**
 * An AudioWorklet that hands the microphone's samples to the page in small blocks, mixed to mono:
 * every sample reaches the meters (an AnalyserNode only shows snapshots, so it misses peaks).
 * Runs on the audio thread; loaded by URL (see audio-monitor.ts), never inline, for the CSP.
 */

// The worklet scope's globals, which the DOM library does not declare.
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

/** ~21 ms at 48 kHz: fast enough for a meter, few enough messages to leave the page idle. */
const blockLength = 1024;

class PcmTap extends AudioWorkletProcessor {
  private block = new Float32Array(blockLength);
  private filled = 0;

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0] ?? [];
    const first = channels[0];
    if (!first) return true;
    for (let index = 0; index < first.length; index++) {
      let sum = 0;
      for (const channel of channels) sum += channel[index] ?? 0;
      this.block[this.filled++] = sum / channels.length;
      if (this.filled === blockLength) {
        this.port.postMessage(this.block, [this.block.buffer]);
        this.block = new Float32Array(blockLength);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('pcm-tap', PcmTap);

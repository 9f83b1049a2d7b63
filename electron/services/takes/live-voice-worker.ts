/**
 * The worker thread that measures a voice recording while it is recorded: the WebM pieces the page
 * sends are demuxed as they land (ebml), their Opus packets decoded (opus-decoder, libopus in wasm)
 * and the sound measured as a stream (TrackMeasure, the same code that measures a file), so at Stop
 * only the last piece remains. Worker-thread code; the main thread talks to it through LiveVoice.
 */
import { parentPort } from 'node:worker_threads';
import { Decoder, type EbmlTag } from 'ebml';
import { OpusDecoder } from 'opus-decoder';
import { TrackMeasure } from '../media/sound-measure';
import type { LiveVoiceReply, LiveVoiceRequest } from './live-voice';
import { lowerThreadPriority } from '../thread-priority';

/** What a track entry says, gathered between its start and end. */
type TrackEntry = { number: number | null; type: number | null; codecId: string | null; codecPrivate: Uint8Array | null; channels: number | null };

const opusSampleRate = 48000;

class LiveMeasure {
  private readonly ebml = new Decoder();
  private entry: TrackEntry | null = null;
  private audio: { number: number; channels: 1 | 2 } | null = null;
  private unsupported: string | null = null;
  private opus: OpusDecoder | null = null;
  private measure: TrackMeasure | null = null;
  /** Packets not yet decoded, with the samples to drop from their end (Matroska DiscardPadding). */
  private readonly waiting: { packet: Uint8Array; discard: number }[] = [];
  /** A BlockGroup being read: its Block waits for the DiscardPadding that may follow it. */
  private group: { packet: Uint8Array | null; discardNs: number } | null = null;
  private interleaved = new Float32Array(0);
  private corrupt = 0;
  private ready = false;
  private readonly ended: Promise<void>;

  constructor() {
    this.ebml.on('data', ([kind, tag]) => this.element(kind, tag));
    this.ended = new Promise((resolve, reject) => {
      this.ebml.on('end', () => resolve());
      this.ebml.on('error', (error) => reject(error));
    });
  }

  push(bytes: Uint8Array): void {
    // ebml's stream takes Buffers only; this one shares the piece's memory.
    if (!this.unsupported) this.ebml.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  async finish(): Promise<LiveVoiceReply> {
    if (!this.unsupported) {
      this.ebml.end();
      await this.ended;
      if (this.opus) await this.opus.ready;
      this.ready = true;
      this.drain();
    }
    if (this.unsupported) return { type: 'unsupported', reason: this.unsupported };
    if (!this.measure || !this.audio) return { type: 'unsupported', reason: 'no Opus sound arrived' };
    const measured = this.measure.finish();
    return {
      type: 'done',
      channels: this.audio.channels,
      sampleRate: opusSampleRate,
      corruptPackets: this.corrupt,
      measurement: measured,
    };
  }

  private element(kind: 'start' | 'tag' | 'end', tag: EbmlTag): void {
    if (this.unsupported) return;
    if (tag.name === 'TrackEntry') {
      if (kind === 'start') this.entry = { number: null, type: null, codecId: null, codecPrivate: null, channels: null };
      else if (kind === 'end') this.track();
      return;
    }
    if (tag.name === 'BlockGroup') {
      if (kind === 'start') this.group = { packet: null, discardNs: 0 };
      else if (kind === 'end' && this.group?.packet) {
        this.waiting.push({ packet: this.group.packet, discard: Math.round((this.group.discardNs / 1e9) * opusSampleRate) });
        this.group = null;
        this.drain();
      }
      return;
    }
    if (kind !== 'tag') return;
    const entry = this.entry;
    if (entry) {
      if (tag.name === 'TrackNumber') entry.number = Number(tag.value);
      else if (tag.name === 'TrackType') entry.type = Number(tag.value);
      else if (tag.name === 'CodecID') entry.codecId = String(tag.value);
      else if (tag.name === 'CodecPrivate') entry.codecPrivate = tag.data ?? null;
      else if (tag.name === 'Channels') entry.channels = Number(tag.value);
      return;
    }
    const ours = this.audio !== null && tag.track === this.audio.number && tag.payload !== undefined;
    if (tag.name === 'SimpleBlock' && ours) {
      this.waiting.push({ packet: tag.payload!, discard: 0 });
      this.drain();
    } else if (tag.name === 'Block' && ours && this.group) this.group.packet = tag.payload!;
    else if (tag.name === 'DiscardPadding' && this.group) this.group.discardNs = Number(tag.value) || 0;
  }

  /** The first audio track is the recording's sound: Opus in one or two channels is measured here. */
  private track(): void {
    const entry = this.entry;
    this.entry = null;
    if (!entry || entry.type !== 2 || this.audio) return;
    const head = entry.codecPrivate;
    // OpusHead: magic (8 bytes), version, channel count, pre-skip (LE16), input rate, gain, mapping family.
    const channels = head && head.length >= 19 ? head[9]! : (entry.channels ?? 0);
    if (entry.codecId !== 'A_OPUS' || !head || head.length < 19 || head[18] !== 0 || channels < 1 || channels > 2 || entry.number === null) {
      this.unsupported = `the recording's sound is ${entry.codecId ?? 'of no known codec'} in ${channels} channels, measured from the file instead`;
      return;
    }
    const preSkip = head[10]! | (head[11]! << 8);
    this.audio = { number: entry.number, channels: channels as 1 | 2 };
    this.opus = new OpusDecoder({ channels, preSkip });
    this.measure = new TrackMeasure(opusSampleRate, channels as 1 | 2, { lossy: true, mix: null });
    // Until the decoder's wasm has loaded, packets wait in order.
    void this.opus.ready.then(() => {
      this.ready = true;
      this.drain();
    });
  }

  /** Decodes and measures the packets that arrived, once the decoder has loaded. */
  private drain(): void {
    const opus = this.opus;
    const measure = this.measure;
    if (!opus || !measure || !this.ready || this.waiting.length === 0) return;
    const items = this.waiting.splice(0);
    // Packets are decoded together; one with padding to drop (the last, if any) on its own.
    for (let start = 0; start < items.length;) {
      let end = start;
      while (end < items.length && items[end]!.discard === 0) end++;
      if (end > start) this.decode(opus, measure, items.slice(start, end), 0);
      if (end < items.length) this.decode(opus, measure, [items[end]!], items[end]!.discard);
      start = end + 1;
    }
  }

  private decode(opus: OpusDecoder, measure: TrackMeasure, items: { packet: Uint8Array }[], discard: number): void {
    const decoded = opus.decodeFrames(items.map((item) => item.packet));
    this.corrupt += decoded.errors.length;
    const [first, second] = decoded.channelData;
    const count = Math.max(0, decoded.samplesDecoded - discard);
    if (!first || count === 0) return;
    if (!second) {
      measure.push(first.subarray(0, count));
      return;
    }
    if (this.interleaved.length < count * 2) this.interleaved = new Float32Array(count * 2);
    const frames = this.interleaved.subarray(0, count * 2);
    for (let index = 0; index < count; index++) {
      frames[index * 2] = first[index]!;
      frames[index * 2 + 1] = second[index]!;
    }
    measure.push(frames);
  }
}

const port = parentPort;
if (!port) throw new Error('the live voice worker must run in a worker thread');
lowerThreadPriority();
const live = new LiveMeasure();
let failed: string | null = null;
port.on('message', (request: LiveVoiceRequest) => {
  if (request.type === 'bytes') {
    if (failed) return;
    try {
      live.push(request.bytes);
    } catch (error) {
      failed = error instanceof Error ? error.message : String(error);
    }
    return;
  }
  const reply: Promise<LiveVoiceReply> = failed ? Promise.resolve({ type: 'failed', message: failed }) : live.finish();
  void reply
    .catch((error: unknown): LiveVoiceReply => ({ type: 'failed', message: error instanceof Error ? error.message : String(error) }))
    .then((message) => port.postMessage(message, message.type === 'done' ? [message.measurement.peaks.buffer] : []));
});

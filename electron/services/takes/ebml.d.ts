/** The part of `ebml` (node-ebml, CommonJS without types) the live voice measure uses. */
declare module 'ebml' {
  /** One parsed element; a Block or SimpleBlock also carries its track and payload. */
  export type EbmlTag = { name: string; value?: number | string; data?: Uint8Array; payload?: Uint8Array; track?: number };
  /** A Transform stream: EBML bytes in, `['start' | 'tag' | 'end', tag]` pairs out, across any piece boundaries. */
  export class Decoder {
    on(event: 'data', listener: (chunk: ['start' | 'tag' | 'end', EbmlTag]) => void): this;
    on(event: 'end', listener: () => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    write(bytes: Uint8Array): boolean;
    end(): void;
  }
}

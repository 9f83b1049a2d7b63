/** The JSON encoding of the browser host: like JSON, but Uint8Array values (recorded chunks) survive as tagged base64. */
import { fromByteArray, toByteArray } from 'base64-js';

const bytesTag = '$bytes';

/** JSON that keeps Uint8Array values (recorded chunks) as tagged base64. */
export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (item instanceof Uint8Array ? { [bytesTag]: fromByteArray(item) } : item));
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, item: unknown) => {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      const record = item as Record<string, unknown>;
      const encoded = record[bytesTag];
      if (typeof encoded === 'string' && Object.keys(record).length === 1) return toByteArray(encoded);
    }
    return item;
  });
}

/** A fresh job id, in the shape `jobIdSchema` (shared/media.ts) takes: the page names its job so it can follow its progress and cancel it. */
export function newJobId(): string {
  return `j_${Array.from(crypto.getRandomValues(new Uint8Array(8)), (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

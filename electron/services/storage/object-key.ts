/**
 * Object keys and public URLs of uploaded media. A key is the content's SHA-256, so two different
 * files never share a key, the same file uploaded twice lands on the same object, and a key says
 * nothing about the person it belongs to.
 */
const extensionOfType: Record<string, string> = {
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/mp4': 'm4a',
  'audio/flac': 'flac',
  'audio/ogg': 'ogg',
  'audio/webm': 'webm',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'text/plain': 'txt',
};

/** The extension for a content type (the service and CDNs look at it), from the type alone. */
export function extensionFor(contentType: string, fallbackFileName = ''): string {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const known = extensionOfType[type];
  if (known) return known;
  const fromName = /\.([a-z0-9]{1,5})$/i.exec(fallbackFileName)?.[1];
  return fromName ? fromName.toLowerCase() : 'bin';
}

/** `prefix` + `<sha256>.<ext>`; the prefix was normalised to end in `/` (or be empty) by the contract. */
export function objectKey(prefix: string, sha256: string, contentType: string, fileName = ''): string {
  return `${prefix}${sha256}.${extensionFor(contentType, fileName)}`;
}

/** The public URL of a key under a base URL, each path segment encoded. */
export function publicUrlFor(baseUrl: string, key: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return `${base}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

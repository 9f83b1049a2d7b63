/** Hands bytes to the person as a file download (a save dialog in the desktop app). */
export function saveFile(name: string, parts: BlobPart[], type: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Long enough for the browser to have started reading the blob.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The studio's security decisions as pure functions, shared by the Electron shell and the browser
 * host and unit-tested without either: what the page may load, which permissions it gets, which
 * frames may call the API and where it may navigate.
 */

export const appScheme = 'app';
export const appHost = 'studio';
export const appOrigin = `${appScheme}://${appHost}`;

/**
 * No inline script, no eval, nothing from the network: the renderer talks only to its own origin.
 * `mediastream:` and `blob:` are where live previews and recorded takes play from.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  // 'wasm-unsafe-eval' lets the page compile WebAssembly (the face model's TensorFlow.js backend); it allows no eval of script.
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "font-src 'self'",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Headers sent with every response of either host. */
export const securityHeaders: Record<string, string> = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(self), microphone=(self), geolocation=(), usb=(), serial=(), hid=()',
};

export function originOf(url: string | undefined | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    // `new URL('app://studio/x').origin` is "null" for non-special schemes; build it ourselves.
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

export type PermissionRequest = {
  permission: string;
  requestingUrl: string | undefined;
  /** Electron's `details.mediaTypes` for a "media" request. */
  mediaTypes?: readonly string[];
};

/** Camera and microphone for the app's own pages; everything else, for anyone, is refused. */
export function isPermissionAllowed(request: PermissionRequest, ownOrigin: string = appOrigin): boolean {
  if (originOf(request.requestingUrl) !== ownOrigin) return false;
  if (request.permission !== 'media') return false;
  const types = request.mediaTypes ?? [];
  return types.every((type) => type === 'audio' || type === 'video');
}

export type SenderFrame = { url: string | undefined; isMainFrame: boolean };

/** Only the app's own top-level page may call the StudioApi: not an iframe, not a navigated-away page. */
export function isTrustedSender(frame: SenderFrame | null | undefined, ownOrigin: string = appOrigin): boolean {
  if (!frame || !frame.isMainFrame) return false;
  return originOf(frame.url) === ownOrigin;
}

export function isNavigationAllowed(targetUrl: string, ownOrigin: string = appOrigin): boolean {
  return originOf(targetUrl) === ownOrigin;
}

/** Links the user clicks that may open in the system browser instead of inside the app. */
export function isExternalLinkAllowed(targetUrl: string): boolean {
  try {
    return new URL(targetUrl).protocol === 'https:';
  } catch {
    return false;
  }
}

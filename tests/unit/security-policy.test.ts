/** The studio's security decisions, shared by the Electron shell and the browser host. */
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isExternalLinkAllowed, isNavigationAllowed, isPermissionAllowed, isTrustedSender } from '../../electron/security/policy';

describe('permission policy', () => {
  it('grants camera and microphone to the app origin only', () => {
    expect(isPermissionAllowed({ permission: 'media', requestingUrl: 'app://studio/index.html', mediaTypes: ['audio', 'video'] })).toBe(true);
    expect(isPermissionAllowed({ permission: 'media', requestingUrl: 'app://studio/', mediaTypes: [] })).toBe(true);
    expect(isPermissionAllowed({ permission: 'media', requestingUrl: 'https://evil.example/', mediaTypes: ['audio'] })).toBe(false);
    expect(isPermissionAllowed({ permission: 'media', requestingUrl: 'app://other/', mediaTypes: ['audio'] })).toBe(false);
    expect(isPermissionAllowed({ permission: 'media', requestingUrl: undefined })).toBe(false);
  });

  it('denies every other permission, even to the app', () => {
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'midi', 'openExternal', 'display-capture', 'hid']) {
      expect(isPermissionAllowed({ permission, requestingUrl: 'app://studio/index.html' })).toBe(false);
    }
    expect(isPermissionAllowed({ permission: 'media', requestingUrl: 'app://studio/', mediaTypes: ['screen'] })).toBe(false);
  });
});

describe('senders, navigation and links', () => {
  it('trusts only the app’s own top-level frame', () => {
    expect(isTrustedSender({ url: 'app://studio/index.html', isMainFrame: true })).toBe(true);
    expect(isTrustedSender({ url: 'app://studio/index.html', isMainFrame: false })).toBe(false);
    expect(isTrustedSender({ url: 'https://studio/index.html', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ url: 'not a url', isMainFrame: true })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });

  it('keeps the window on the app and opens only https links outside', () => {
    expect(isNavigationAllowed('app://studio/index.html#/settings')).toBe(true);
    expect(isNavigationAllowed('https://example.com/')).toBe(false);
    expect(isNavigationAllowed('file:///etc/passwd')).toBe(false);
    expect(isExternalLinkAllowed('https://companion-api.napster.com/docs')).toBe(true);
    expect(isExternalLinkAllowed('http://example.com/')).toBe(false);
    expect(isExternalLinkAllowed('file:///bin/sh')).toBe(false);
    expect(isExternalLinkAllowed('javascript:alert(1)')).toBe(false);
  });

  it('allows no inline script, eval or remote content', () => {
    expect(contentSecurityPolicy).toContain("default-src 'none'");
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).not.toMatch(/'unsafe-inline'|'unsafe-eval'|https?:/);
  });
});

/**
 * wavesurfer.js under the studio's strict CSP (`style-src 'self'`, no inline styles). WaveSurfer
 * writes its layout rules as an inline <style> into its shadow root, which the CSP blocks (and
 * reports as a violation). Before the shadow root is attached to the page, the <style> is taken
 * out and the same rules are adopted as a constructed stylesheet: styles built by our own script
 * through the CSSOM, like the `element.style` WaveSurfer already uses everywhere, which the CSP
 * governs no more than it governs script. The policy stays as strict as it is; nothing inline runs.
 */
import WaveSurfer from 'wavesurfer.js/dist/wavesurfer.js';
import Renderer from 'wavesurfer.js/dist/renderer.js';

type InitHtml = () => [HTMLElement, ShadowRoot];
const prototype = Renderer.prototype as unknown as { initHtml: InitHtml; __studioCsp?: boolean };

if (!prototype.__studioCsp) {
  const original = prototype.initHtml;
  prototype.initHtml = function initHtmlWithoutInlineStyle(this: unknown) {
    const [container, shadow] = original.call(this);
    const inline = shadow.querySelector('style');
    if (inline) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(inline.textContent ?? '');
      inline.remove();
      shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, sheet];
    }
    return [container, shadow];
  };
  prototype.__studioCsp = true;
}

export { WaveSurfer };
export type { WaveSurferOptions } from 'wavesurfer.js';

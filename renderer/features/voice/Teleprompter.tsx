/**
 * A teleprompter beside the recorder: a passage in large type that scrolls at a chosen reading
 * pace, starting and pausing with the take. A reading line marks where the eyes should be.
 */
import { useEffect, useRef, useState } from 'react';
import { passages, wordCount } from './passages';

const paces = [
  { wpm: 110, label: 'Slow · 110 wpm' },
  { wpm: 130, label: 'Relaxed · 130 wpm' },
  { wpm: 150, label: 'Conversational · 150 wpm' },
  { wpm: 170, label: 'Brisk · 170 wpm' },
] as const;

export function Teleprompter({ recording }: { recording: boolean }) {
  const [passageId, setPassageId] = useState<string>(passages[0]!.id);
  const [wpm, setWpm] = useState<number>(130);
  const [scrolling, setScrolling] = useState(recording);
  const viewport = useRef<HTMLDivElement>(null);
  const passage = passages.find((item) => item.id === passageId) ?? passages[0]!;
  const minutes = wordCount(passage.text) / wpm;

  // The prompter follows the take: it rolls when recording starts and halts when it stops or pauses.
  const [followed, setFollowed] = useState(recording);
  if (followed !== recording) {
    setFollowed(recording);
    setScrolling(recording);
  }

  useEffect(() => {
    const element = viewport.current;
    if (element) element.scrollTop = 0;
  }, [passageId]);

  useEffect(() => {
    const element = viewport.current;
    if (!scrolling || !element) return;
    // Layout is read once (and again on resize or a manual scroll), never per frame: a per-frame
    // read of scrollHeight forces a layout while the live waveform redraws, which costs real time.
    let travel = element.scrollHeight - element.clientHeight;
    let position = element.scrollTop;
    let written = Math.round(position);
    let rebase = false;
    const onManual = () => (rebase = true);
    const resize = new ResizeObserver(() => (travel = element.scrollHeight - element.clientHeight));
    resize.observe(element);
    element.addEventListener('wheel', onManual, { passive: true });
    element.addEventListener('keydown', onManual);
    element.addEventListener('pointerdown', onManual);
    let frame = 0;
    let previous = performance.now();
    const step = (time: number) => {
      if (rebase) {
        rebase = false;
        position = element.scrollTop;
        written = Math.round(position);
      }
      position = Math.min(travel, position + (travel / (minutes * 60_000)) * (time - previous));
      previous = time;
      // scrollTop is whole pixels: write only when the pixel changes, keeping the fraction here.
      if (Math.round(position) !== written) {
        written = Math.round(position);
        element.scrollTop = written;
      }
      if (position >= travel) {
        setScrolling(false);
        return;
      }
      frame = window.requestAnimationFrame(step);
    };
    frame = window.requestAnimationFrame(step);
    return () => {
      window.cancelAnimationFrame(frame);
      resize.disconnect();
      element.removeEventListener('wheel', onManual);
      element.removeEventListener('keydown', onManual);
      element.removeEventListener('pointerdown', onManual);
    };
  }, [scrolling, minutes]);

  return (
    <section className="panel teleprompter" aria-labelledby="prompter-title">
      <header className="panel-header">
        <h3 id="prompter-title">Teleprompter</h3>
        <span className="muted small">about {Math.round(minutes * 60)} s at this pace</span>
      </header>
      <div className="prompter-controls">
        <div className="field">
          <label htmlFor="prompter-passage">Passage</label>
          <select id="prompter-passage" className="input" value={passageId} onChange={(event) => setPassageId(event.target.value)}>
            {passages.map((item) => (
              <option key={item.id} value={item.id}>
                {item.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="prompter-pace">Pace</label>
          <select id="prompter-pace" className="input" value={wpm} onChange={(event) => setWpm(Number(event.target.value))}>
            {paces.map((pace) => (
              <option key={pace.wpm} value={pace.wpm}>
                {pace.label}
              </option>
            ))}
          </select>
        </div>
        <div className="prompter-buttons">
          <button type="button" className="button" onClick={() => setScrolling((value) => !value)} aria-pressed={scrolling}>
            {scrolling ? 'Pause scrolling' : 'Scroll'}
          </button>
          <button
            type="button"
            className="button button-quiet-neutral"
            onClick={() => {
              if (viewport.current) viewport.current.scrollTop = 0;
            }}
          >
            Back to top
          </button>
        </div>
      </div>
      <div className="prompter-frame">
        <div className="prompter-viewport" ref={viewport} tabIndex={0} aria-label={`Text to read: ${passage.title}`} data-testid="prompter">
          {passage.text.split('\n\n').map((paragraph, index) => (
            <p key={index}>{paragraph}</p>
          ))}
        </div>
        <div className="prompter-line" aria-hidden="true" />
      </div>
      <p className="hint">Read naturally, as if talking to one person. Pauses between sentences are fine; a minute or more of speech is needed, up to five.</p>
    </section>
  );
}

// V8 flags of every process that stands for the studio's main process: Electron's main process
// (`npm start`, and the Linux desktop entry of a packaged app), the browser host, and the benchmark
// that runs the media engine as the main process does. V8 reads them only before it starts, so each
// launch passes them on its command line (Electron as `--js-flags`); package.json's scripts and
// electron-builder.yml repeat them, and tests/unit/launch-flags.test.ts holds every copy to this one.

/**
 * `--no-memory-reducer`: V8's memory reducer collects the whole heap, compacting, three times in a
 * row once the loop has gone quiet after a full collection, to hand memory back. A media job leaves
 * the main loop quiet while both cores are busy, so those collections land inside it: under a video
 * preparation they held the main process's loop for 14–38 ms each (`--trace-gc`), the whole of its
 * excess over an idle process's 17–19 ms. Without it the heap keeps its high-water mark (tens of MB).
 */
/**
 * `--max-semi-space-size=2` (MB): V8 grows the young generation with the allocation rate, up to 16 MB
 * a semi-space here, and a scavenge copies every young object still alive. While a take was
 * recorded (chunks arriving, draft reads, the wire's decoding) the semi-space grew until single
 * scavenges promoted 3.5 MB and held the loop 22–39 ms (`--trace-gc-nvp`), at Stop among them.
 * Capped at 2 MB, scavenges come more often and each moves less: over a take and its Stop none
 * held the loop 6 ms.
 */
export const mainV8Flags = ['--no-memory-reducer', '--max-semi-space-size=2'];

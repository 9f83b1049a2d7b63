/** See main-process-flags.mjs. */
export declare const mainV8Flags: readonly string[];

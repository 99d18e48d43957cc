/** Debian's Chromium (`apt-get install chromium`). */
export declare const CHROMIUM: string;
/** The flags every browser test launches it with (scripts/chromium.mjs says why each). */
export declare const CHROMIUM_ARGS: readonly string[];

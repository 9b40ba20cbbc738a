declare const __VERSION__: string;

/** The package version, written in at build time. */
export const SDK_VERSION: string = __VERSION__;
export const SDK_NAME = 'tracebeam';

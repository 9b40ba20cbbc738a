/**
 * Replaced at build time (rollup.config.mjs; `define` in the test configs): true in the development
 * build (`dist/*.development.mjs`, the `development` export condition), false in every other. Code
 * behind `if (__DEV__)` is dead in a production build and its strings go with it.
 */
declare const __DEV__: boolean;

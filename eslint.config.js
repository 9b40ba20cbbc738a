// ESLint: the recommended rules of ESLint and typescript-eslint, and a few more that catch real bugs
// in an SDK that must never throw into the page. Formatting is prettier's (.prettierrc.json).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', 'test-results/', 'playwright-report/', 'demo/dist/', '.demo-logs/', '.bench/', '**/node_modules/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      // Browser, worker and Node code live side by side; the type check (tsconfig.json) says which
      // runs where, and typescript-eslint turns no-undef off in .ts files for that reason.
      globals: { ...globals.browser, ...globals.node },
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `x == null` (null or undefined) is the idiom; any other loose comparison is a bug waiting.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // `a(), b()` as a statement is hand-minification; the minifier does it.
      'no-sequences': 'error',
      // The wrappers of native functions (fetch, XMLHttpRequest, the snippet's stubs) pass their
      // `arguments` on as given: how many there are changes what the native function does
      // (`open(m, u)` is async, `open(m, u, undefined)` sync), and rest parameters would change `length`.
      'prefer-rest-params': 'off',
      // `cond && run()` as a statement hides a branch; an `if` says it.
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: false, allowTernary: false, allowTaggedTemplates: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      'no-self-compare': 'error',
      'no-template-curly-in-string': 'error',
      'no-unreachable-loop': 'error',
      'no-constructor-return': 'error',
      'array-callback-return': 'error',
    },
  },
  {
    files: ['test/**'],
    rules: {
      // Tests reach into pages and untyped globals (`window.tracebeam`, a bundler's output).
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);

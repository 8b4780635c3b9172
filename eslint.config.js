// Lint: typed rules for promise safety and imports, size limits as smells (house style rule 4),
// and the one-way dependency direction of ARCHITECTURE.md §2.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const boundaries = {
  storage: ['@mlrun/proto', '@mlrun/receiver', '@mlrun/query', '@mlrun/cli', '@mlrun/bench'],
  proto: ['@mlrun/storage', '@mlrun/receiver', '@mlrun/query', '@mlrun/cli', '@mlrun/bench'],
  receiver: ['@mlrun/query', '@mlrun/cli', '@mlrun/bench'],
  // The query service reads storage; it never reaches into ingest.
  query: ['@mlrun/proto', '@mlrun/receiver', '@mlrun/cli', '@mlrun/bench'],
  // The two entry points sit at the top: nothing imports them, and they do not import each other.
  cli: ['@mlrun/bench'],
  bench: ['@mlrun/cli'],
  // The TypeScript SDK runs inside users' apps and talks to MLRun only over OTLP: none of the server is in it.
  instrumentation: ['@mlrun/proto', '@mlrun/storage', '@mlrun/receiver', '@mlrun/query', '@mlrun/cli', '@mlrun/bench', '@mlrun/ui'],
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'sdk-python/.venv/**', 'proto/gen/**', '**/*.js', '**/*.cjs', '**/*.mjs', '.tap/**'] },
  {
    // ui/: only the pure logic modules (plain TS, no DOM, no SvelteKit) and ui/test are in the typed program
    // (tsconfig.test.json `files`, the same list); components, routes, the API client and what uses it need
    // DOM types and SvelteKit's aliases, and are checked by svelte-check with ui's own tsconfig.
    ignores: [
      'ui/**/*',
      '!ui/src/',
      '!ui/src/lib/',
      '!ui/src/lib/{numbers,smoothing,series,format,url-state,colors,config-tree,filter-complete,parallel,columns,series-sections,plot,trace-tree}.ts',
      '!ui/test/',
      '!ui/test/**/*.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // One root program over every package's src and test files (tsconfig.test.json); packages' own
      // tsconfigs build src only, so test files would otherwise have no project.
      parserOptions: { project: ['./tsconfig.test.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'Name your exports (no export *).' }],
      'max-lines': ['warn', { max: 300, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['warn', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['*/src/**/*.ts'],
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // House rule 7: configuration is parsed once, by cli's loadConfig, from values its caller passes in
    // (cli/bin/mlrun.js). Libraries take settings as parameters. (bench/ is a tool with its own arguments.)
    files: ['proto/src/**/*.ts', 'storage/src/**/*.ts', 'receiver/src/**/*.ts', 'cli/src/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through loadConfig (cli/src/config.ts), not process.env.' },
        { object: 'process', property: 'argv', message: 'Read configuration through loadConfig (cli/src/config.ts), not process.argv.' },
      ],
    },
  },
  ...Object.entries(boundaries).map(([pkg, banned]) => ({
    files: [`${pkg}/src/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { patterns: banned.map((group) => ({ group: [group, `${group}/*`], message: `${pkg} must not depend on ${group} (ARCHITECTURE.md §2).` })) }],
    },
  })),
  {
    files: ['*/test/**/*.ts'],
    rules: {
      // tap tracks the promise `t.test()` returns (subtests run in order, failures are reported), so a
      // top-level `t.test(...)` is not a floating promise; every other promise in a test still must be handled.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: '@tapjs/test', name: ['test', 'todo', 'skip'] }] },
      ],
      // `async (t) => {...}` is the uniform shape of a tap test, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'Name your exports (no export *).' },
        { selector: "CallExpression[callee.property.name='only']", message: 'No .only in committed tests: it silently skips the rest (house rule 10).' },
      ],
      'max-lines-per-function': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);

// Lint: typed rules for promise safety and imports, size limits as smells (house style rule 4),
// and the one-way dependency direction of ARCHITECTURE.md §2.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const boundaries = {
  storage: ['@mlrun/proto', '@mlrun/receiver', '@mlrun/cli', '@mlrun/bench'],
  proto: ['@mlrun/storage', '@mlrun/receiver', '@mlrun/cli', '@mlrun/bench'],
  receiver: ['@mlrun/cli', '@mlrun/bench'],
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'proto/gen/**', '**/*.js', '**/*.cjs', '**/*.mjs', '.tap/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*/test/*.ts', '*/test/**/*.ts'] }, tsconfigRootDir: import.meta.dirname },
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
  ...Object.entries(boundaries).map(([pkg, banned]) => ({
    files: [`${pkg}/src/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { patterns: banned.map((group) => ({ group: [group, `${group}/*`], message: `${pkg} must not depend on ${group} (ARCHITECTURE.md §2).` })) }],
    },
  })),
  {
    files: ['*/test/**/*.ts'],
    rules: {
      'max-lines-per-function': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);

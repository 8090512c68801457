import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // gpu-bundle/ and .tmp/ hold built bundles (npm run gpu:bundle and its test), not sources.
    ignores: [
      'node_modules/**',
      '**/dist/**',
      'test-results/**',
      'test/artifacts/**',
      'gpu-bundle/**',
      'gpu-results/**',
      '.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The layering of docs/ARCHITECTURE.md: layer specs are pure (tfjs types only; the builder gets
    // tfjs passed in) and know no exporter; exporters find layers by registry lookups.
    files: ['engine/layers/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@tensorflow/tfjs', allowTypeImports: true, message: 'Layer specs get tfjs passed in.' },
          ],
          patterns: [
            {
              group: [
                '**/onnx/**',
                '**/pytorch/**',
                '**/export/**',
                '**/import/**',
                'onnx-proto',
                'onnxruntime*',
              ],
              message:
                'Layers never import exporters or importers: they register by type name from their side.',
            },
            {
              group: ['**/compile/**', '**/train/**', '**/service*', '@tensorflow/tfjs-*'],
              message: 'Layer specs are pure: no tfjs runtime, training or service code.',
            },
          ],
        },
      ],
    },
  },
  {
    // engine/ is pure: no host, renderer or UI framework.
    files: ['engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/renderer/**',
                '**/electron/**',
                '**/server/**',
                'react',
                'react-dom',
                '@xyflow/*',
                'zustand',
                'electron',
              ],
              message: 'engine/ knows nothing of hosts or UI; they reach it through EngineApi.',
            },
          ],
        },
      ],
    },
  },
);

// Builds the renderer (one React app for both hosts) into renderer/dist. The bundle must never pull
// the engine's heavy runtime (tfjs, onnxruntime, the ONNX protobuf library) or Node built-ins: the renderer only imports the
// pure engine modules (shape inference, layer registry) and reaches everything else over EngineApi.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

const FORBIDDEN = [
  /^@tensorflow\//,
  /^onnxruntime/,
  /^onnx-proto$/,
  /^protobufjs/,
  /^node:/,
  /^electron$/,
  /^ws$/,
];
const NODE_BUILTINS = new Set(builtinModules);

function forbidEngineRuntime(): Plugin {
  return {
    name: 'netwright-forbid-engine-runtime',
    enforce: 'pre',
    resolveId(source, importer) {
      if (FORBIDDEN.some((re) => re.test(source)) || NODE_BUILTINS.has(source)) {
        throw new Error(
          `The renderer bundle must not import "${source}" (imported from ${importer ?? '?'}); ` +
            'reach the engine through EngineApi instead.',
        );
      }
      return null;
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [forbidEngineRuntime(), react()],
  build: {
    // NW_NOMINIFY=1 keeps names readable for profiling (bench/ui-bench.ts with PROFILE=1).
    minify: process.env.NW_NOMINIFY ? false : undefined,
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
  },
  server: { port: 5173, strictPort: false },
});

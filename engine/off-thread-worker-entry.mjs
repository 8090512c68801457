// Plain-JS entry of the engine's work thread: registers tsx in this thread (loader flags in a
// worker's execArgv do not apply to its entry module on Node 20), then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./off-thread-worker.ts');

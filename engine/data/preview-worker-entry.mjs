// Plain-JS entry of the preview worker: registers tsx in this thread (loader flags in a worker's
// execArgv do not apply to its entry module on Node 20), then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./preview-worker.ts');

// Plain-JS entry of a data-parallel replica worker: registers tsx in this thread (as
// ../worker-entry.mjs does), then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./replica-worker.ts');

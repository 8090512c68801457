// Worker entry when running from TypeScript sources (tests, development): loads tsx's hooks in this
// thread, then the real worker. The built app uses electron/dist/engine-worker.cjs instead.
import { register } from 'tsx/esm/api';

register();
await import('./engine-worker.ts');

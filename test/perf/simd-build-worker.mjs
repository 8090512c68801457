// A worker thread for test/perf/mat-tn.test.ts: reports which kernels.wat build it runs
// (engine/kernels/simd/module.ts simdBuild), as a replica worker would pick it.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { simdBuild } = await import('../../engine/kernels/simd/module.ts');
parentPort.postMessage(simdBuild());

import { runTfjs } from './tfjs-run.ts';
import { WORKLOADS } from './workloads.ts';
const w = WORKLOADS.find((x) => x.id === process.argv[2])!;
try {
  const r = await runTfjs(w, 'wasm', process.argv[3] === 'dp' ? true : process.argv[3] === 'one' ? false : undefined, { samples: 256, timedEpochs: 1 });
  console.log(r);
} catch (e) { console.log('ERR', e); }

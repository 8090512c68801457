// Writes every engine/kernels/simd/*.wat's generated *.wasm.ts (scripts/assemble-wat.mts). Run after
// editing a .wat:
//   npm run build:kernels
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { assembleAll } from './assemble-wat.mts';

for (const { target, text, sizes } of await assembleAll()) {
  writeFileSync(target, text);
  const bytes = Object.entries(sizes).map(([constant, n]) => `${constant} ${n} bytes`);
  console.log(`${path.basename(fileURLToPath(target))}: ${bytes.join(', ')}`);
}

// End to end in the real desktop app (Playwright's _electron): open the template, train a few
// epochs, export ONNX. It needs an Electron binary; where none is installed (an offline install:
// electron's binary downloads from outside the npm registry) it is skipped, and says so.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, EXAMPLE } from './helpers.ts';
// @ts-expect-error plain JS module without types
import { electronBinary } from '../../scripts/start.mjs';

const binary = electronBinary() as string | null;
const distBuilt = await fs.stat(path.join(REPO, 'renderer/dist/index.html')).then(
  () => true,
  () => false,
);
const skipReason = !binary
  ? 'SKIPPED: no Electron binary is installed (node_modules/electron/dist is missing and ELECTRON_OVERRIDE_DIST_PATH is unset), so the desktop app cannot launch on this machine.'
  : !distBuilt
    ? 'SKIPPED: renderer/dist is not built (run npm run build).'
    : null;
if (skipReason) console.log(`test/electron/e2e.test.ts ${skipReason}`);

describe('desktop app end to end', () => {
  it.skipIf(skipReason !== null)(
    'opens the template, trains a few epochs and exports a verified ONNX file',
    async () => {
      const { _electron } = await import('playwright-core');
      const { buildElectron } = (await import(path.join(REPO, 'electron/build.mjs'))) as {
        buildElectron(o: { quiet: boolean }): Promise<void>;
      };
      await buildElectron({ quiet: true });
      const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-e2e-'));
      const project = path.join(tmp, 'iris.netwright.json');
      const doc = JSON.parse(await fs.readFile(EXAMPLE, 'utf8'));
      doc.training.epochs = 3;
      await fs.writeFile(project, JSON.stringify(doc));
      const onnx = path.join(tmp, 'iris.onnx');
      const app = await _electron.launch({
        executablePath: binary!,
        args: [REPO, project],
        env: { ...process.env, NETWRIGHT_HOME: path.join(tmp, 'home') },
      });
      try {
        // The OS save dialog cannot be clicked by Playwright: answer it with the chosen path.
        await app.evaluate(({ dialog }, file) => {
          dialog.showSaveDialog = (async () => ({
            canceled: false,
            filePath: file,
          })) as typeof dialog.showSaveDialog;
        }, onnx);
        const page = await app.firstWindow();
        await page.getByTestId('node-d1').waitFor({ timeout: 30_000 });
        await page.getByTestId('train-button').click();
        await expect
          .poll(async () => (await page.getByTestId('train-status').textContent()) ?? '', {
            timeout: 120_000,
          })
          .toMatch(/complete|finished|done/i);
        await page.getByTestId('export-onnx-button').click();
        await expect
          .poll(async () => (await page.getByTestId('export-result').textContent()) ?? '', {
            timeout: 120_000,
          })
          .toMatch(/parity|max/i);
        expect((await fs.stat(onnx)).size).toBeGreaterThan(100);
      } finally {
        await app.close();
        await fs.rm(tmp, { recursive: true, force: true });
      }
    },
  );
});

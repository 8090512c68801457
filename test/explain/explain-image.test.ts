// Explaining an image run: a small CNN trained on the synthetic defect images, whose generator
// knows each defect's box. Grad-CAM's hottest region is compared with that box on every correctly
// classified defective test image; the figures are printed.
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDefects } from '../../engine/data/builtin/defects.ts';
import { loadDataset } from '../../engine/data/index.ts';
import { explainRun } from '../../engine/explain/explain-run.ts';
import { boxIoU, hottestBox } from '../../engine/explain/heatmap.ts';
import type { HeatMap, ImageResult } from '../../engine/explain/types.ts';
import { projectFromJson } from '../../engine/project/load.ts';
import type { Project } from '../../engine/project/schema.ts';
import { loadContextFor, splitsFor } from '../../engine/train/data-context.ts';
import { trainProject } from '../../engine/train/train-project.ts';
import { netwright } from '../cli/run-cli.ts';
import { defectProject } from './defects.ts';

let dir: string;
let project: Project;
const run = () => path.join(dir, 'run');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nw-explain-image-'));
  const parsed = projectFromJson(defectProject());
  if (!parsed.ok) throw new Error(parsed.problems[0].message);
  project = parsed.project;
  const trained = await trainProject({ project, outDir: run() });
  expect(trained.status, trained.message).toBe('complete');
}, 240_000);

/** Each test sample's defect box (null for ok parts), from the generator with the run's seed. */
async function testBoxes() {
  const seed = project.training!.seed!;
  const ds = await loadDataset(project.data!, loadContextFor(project, process.cwd(), seed));
  const { boxes } = generateDefects(250, 32, 32, 1, seed);
  return splitsFor(ds, project, seed).indices.test.map((i) => boxes[i]);
}

const inside = (b: { x0: number; y0: number; x1: number; y1: number }, x: number, y: number) =>
  x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1;

function meanInside(map: HeatMap, b: { x0: number; y0: number; x1: number; y1: number }, want: boolean) {
  let sum = 0;
  let count = 0;
  map.values.forEach((v, p) => {
    if (inside(b, p % map.width, Math.floor(p / map.width)) !== want) return;
    sum += v;
    count++;
  });
  return sum / Math.max(1, count);
}

describe('explain on an image run', () => {
  it("Grad-CAM's hottest region overlaps the defect's box", async () => {
    const boxes = await testBoxes();
    const examples = boxes.map((_, i) => i);
    const { result } = await explainRun({ runDir: run(), examples });
    const cam = result as ImageResult;
    expect(cam.method).toBe('gradCam');
    expect(cam.layer).toBe('conv3');
    expect(cam.layers).toEqual(['conv1', 'conv2', 'conv3']);
    const tally: Record<string, { n: number; iou: number; centre: number }> = {};
    cam.examples.forEach((e, i) => {
      const box = boxes[i];
      if (!box || e.predicted !== e.actual) return;
      const hot = hottestBox(e.heatmap);
      const t = (tally[e.actual!] ??= { n: 0, iou: 0, centre: 0 });
      t.n++;
      if (boxIoU(hot, box) >= 0.5) t.iou++;
      if (inside(hot, (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)) t.centre++;
    });
    const all = Object.values(tally).reduce((a, t) => ({ n: a.n + t.n, iou: a.iou + t.iou }), {
      n: 0,
      iou: 0,
    });
    const line = (name: string) => `${name} ${tally[name].iou}/${tally[name].n}`;
    console.log(
      `Grad-CAM (conv3): hottest region IoU ≥ 0.5 with the defect box on ${all.iou}/${all.n} = ${((100 * all.iou) / all.n).toFixed(0)}% of correctly classified defective test images (${line('crack')}, ${line('scratch')}, ${line('spot')}); spot centre inside the hottest region ${tally.spot.centre}/${tally.spot.n}`,
    );
    expect(all.n).toBeGreaterThanOrEqual(100);
    // Cracks and scratches are longer than a conv3 cell (4 px): their boxes are found.
    const lines = { n: tally.crack.n + tally.scratch.n, iou: tally.crack.iou + tally.scratch.iou };
    expect(lines.iou / lines.n).toBeGreaterThanOrEqual(0.8);
    // Spots (3–8 px boxes) are smaller than what the 8×8 map resolves: the hottest region surrounds
    // the spot, centred on it, but is larger, so its IoU stays below 0.5.
    expect(tally.spot.centre / tally.spot.n).toBeGreaterThanOrEqual(0.8);
    expect(all.iou / all.n).toBeGreaterThanOrEqual(0.5);
  }, 120_000);

  it('saliency and SmoothGrad are hotter on the defect than around it', async () => {
    const boxes = await testBoxes();
    const defective = boxes
      .map((b, i) => (b ? i : -1))
      .filter((i) => i >= 0)
      .slice(0, 40);
    for (const method of ['saliency', 'smoothGrad'] as const) {
      const r = (await explainRun({ runDir: run(), method, examples: defective })).result as ImageResult;
      expect(r.method).toBe(method);
      const hotter = r.examples.filter((e, k) => {
        const box = boxes[defective[k]]!;
        return meanInside(e.heatmap, box, true) > meanInside(e.heatmap, box, false);
      }).length;
      console.log(
        `${method}: mean heat inside the defect box above outside on ${hotter}/${r.examples.length} images`,
      );
      expect(hotter / r.examples.length).toBeGreaterThanOrEqual(0.8);
    }
  }, 120_000);

  it('the CLI writes overlay PNGs, honours --layer and --class, and refuses what does not fit', async () => {
    const out = path.join(dir, 'png');
    const r = await netwright(
      'explain',
      run(),
      '--example',
      '0',
      '--example',
      '1',
      '--layer',
      'conv2',
      '--class',
      'spot',
      '--out',
      out,
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as ImageResult;
    expect(result.layer).toBe('conv2');
    expect(result.examples.map((e) => e.target.name)).toEqual(['spot', 'spot']);
    expect((await readdir(out)).sort()).toEqual(['gradCam-test-0.png', 'gradCam-test-1.png']);
    const png = PNG.sync.read(await readFile(path.join(out, 'gradCam-test-0.png')));
    expect([png.width, png.height]).toEqual([256, 256]);
    const text = await netwright('explain', run(), '--example', '3', '--method', 'smoothGrad');
    expect(text.stdout).toMatch(
      /^test 3: explains \w+; predicted \w+ \(probability \d\.\d{3}\), actual \w+$/m,
    );
    const layer = await netwright('explain', run(), '--layer', 'probs');
    expect(layer.code).toBe(1);
    expect(layer.stderr).toMatch(
      /^netwright: --layer must name a layer with an image-shaped output, e\.g\. "conv1", "conv2", "conv3"; "probs" is not one\.$/m,
    );
    const perm = await netwright('explain', run(), '--method', 'permutation');
    expect(perm.code).toBe(1);
    expect(perm.stderr).toMatch(/^netwright: permutation explains table and series models; .*gradCam/m);
  }, 120_000);
});

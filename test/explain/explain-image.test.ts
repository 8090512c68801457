// Explaining an image run: small CNNs trained on the synthetic defect images, whose generator knows
// each defect's box. On the full-resolution CNN with one class map per class, the hottest region of
// Grad-CAM and of Layer-CAM averaged over mirror images (and, printed for comparison, of the others)
// is compared with that box on every correctly classified defective test image; docs/EXPLAIN.md has
// the figures per training seed and the designs tried before.
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainRun } from '../../engine/explain/explain-run.ts';
import type { HeatMap, ImageResult } from '../../engine/explain/types.ts';
import { projectFromJson } from '../../engine/project/load.ts';
import type { Project } from '../../engine/project/schema.ts';
import { trainProject } from '../../engine/train/train-project.ts';
import { netwright } from '../cli/run-cli.ts';
import { localised, testBoxes as boxesOf } from './cam-localisation.ts';
import { defectProject } from './defects.ts';

let dir: string;
let project: Project;
/** The pooled CNN's run; the full-resolution class-map one's for the CAM figures. */
const run = () => path.join(dir, 'run');
const fullRun = () => path.join(dir, 'full');

async function train(layout: 'pooled' | 'classMaps', outDir: string) {
  const parsed = projectFromJson(defectProject(layout));
  if (!parsed.ok) throw new Error(parsed.problems[0].message);
  const trained = await trainProject({ project: parsed.project, outDir });
  expect(trained.status, trained.message).toBe('complete');
  return parsed.project;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nw-explain-image-'));
  project = await train('pooled', run());
  await train('classMaps', fullRun());
}, 400_000);

const testBoxes = () => boxesOf(project);

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
  it("the hottest Grad-CAM region overlaps the defect's box on ≥ 80% of correctly classified defective images", async () => {
    const boxes = await testBoxes();
    const examples = boxes.map((_, i) => i);
    const explain = async (method: 'gradCam' | 'layerCam', mirrors: boolean, layer?: string) =>
      (await explainRun({ runDir: fullRun(), examples, method, mirrors, layer })).result as ImageResult;
    const gradCam = await explain('gradCam', false);
    expect(gradCam.method).toBe('gradCam');
    expect(gradCam.layer).toBe('classMaps');
    expect(gradCam.layers).toEqual(['conv1', 'conv2', 'conv3', 'classMaps']);
    const mirrored = await explain('layerCam', true);
    expect(mirrored.mirrors).toBe(true);
    const figure = localised(gradCam, boxes);
    const mirroredFigure = localised(mirrored, boxes);
    const others = [
      ['Layer-CAM', await explain('layerCam', false)],
      ['Grad-CAM averaged over mirror images', await explain('gradCam', true)],
      ['Grad-CAM at conv3', await explain('gradCam', false, 'conv3')],
    ] as const;
    console.log(
      [
        `Hottest region (≥ half the peak, around it) with IoU ≥ 0.5 with the defect box, of the correctly classified defective test images, full-resolution CNN with class maps, layer classMaps:`,
        `  Grad-CAM: ${figure.text}`,
        `  Layer-CAM averaged over mirror images: ${mirroredFigure.text}`,
        ...others.map(([name, r]) => `  ${name}: ${localised(r, boxes).text}`),
      ].join('\n'),
    );
    expect(figure.n).toBeGreaterThanOrEqual(100);
    expect(figure.share).toBeGreaterThanOrEqual(0.8);
    expect(mirroredFigure.share).toBeGreaterThanOrEqual(0.8);
  }, 240_000);

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
    const mirrored = await netwright('explain', run(), '--example', '0', '--method', 'layerCam', '--mirrors');
    expect(mirrored.stdout).toMatch(
      /^Layer-CAM on layer conv3 \(of conv1, conv2, conv3\), averaged over the mirror images$/m,
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

// The CAM localisation figures of docs/EXPLAIN.md per training seed: trains the explain test's
// full-resolution class-map CNN (test/explain/defects.ts) once per seed (the seed also draws the
// images) and prints, for Grad-CAM and Layer-CAM with and without mirror averaging, the share of
// correctly classified defective test images whose hottest region has IoU ≥ 0.5 with the defect box.
// Usage: npx tsx bench/explain-cam-seeds.ts [seed ...]   (default: 42 1 2026 7 123)
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { explainRun } from '../engine/explain/explain-run.ts';
import type { ImageMethod, ImageResult } from '../engine/explain/types.ts';
import { projectFromJson } from '../engine/project/load.ts';
import { trainProject } from '../engine/train/train-project.ts';
import { localised, testBoxes } from '../test/explain/cam-localisation.ts';
import { defectProject } from '../test/explain/defects.ts';

const seeds = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [42, 1, 2026, 7, 123];
const methods: [string, ImageMethod, boolean, string?][] = [
  ['Grad-CAM', 'gradCam', false],
  ['Layer-CAM', 'layerCam', false],
  ['Grad-CAM + mirrors', 'gradCam', true],
  ['Layer-CAM + mirrors', 'layerCam', true],
  ['Grad-CAM at conv3', 'gradCam', false, 'conv3'],
];

for (const seed of seeds) {
  const json = defectProject('classMaps') as { training: Record<string, unknown> };
  json.training.seed = seed;
  const parsed = projectFromJson(json);
  if (!parsed.ok) throw new Error(parsed.problems[0].message);
  const dir = await mkdtemp(path.join(os.tmpdir(), `nw-cam-seed-${seed}-`));
  try {
    const trained = await trainProject({ project: parsed.project, outDir: dir });
    if (trained.status !== 'complete') throw new Error(`seed ${seed}: ${trained.message}`);
    const boxes = await testBoxes(parsed.project);
    const examples = boxes.map((_, i) => i);
    const lines: string[] = [];
    let accuracy = 0;
    for (const [name, method, mirrors, layer] of methods) {
      const r = (await explainRun({ runDir: dir, examples, method, mirrors, layer })).result as ImageResult;
      accuracy = r.examples.filter((e) => e.predicted === e.actual).length / r.examples.length;
      lines.push(`  ${name} (layer ${r.layer}): ${localised(r, boxes).text}`);
    }
    console.log(`seed ${seed}: test accuracy ${accuracy.toFixed(3)}\n${lines.join('\n')}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

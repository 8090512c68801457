// How well an image explanation finds the synthetic defects (not a test file itself; used by
// explain-image.test.ts and bench/explain-cam-seeds.ts): each test sample's known defect box, and
// the share of correctly classified defective images whose hottest region (hottestBox, never told
// the box) has IoU ≥ 0.5 with it.
import { generateDefects, type DefectBox } from '../../engine/data/builtin/defects.ts';
import { loadDataset } from '../../engine/data/index.ts';
import { boxIoU, hottestBox } from '../../engine/explain/heatmap.ts';
import type { ImageResult } from '../../engine/explain/types.ts';
import type { Project } from '../../engine/project/schema.ts';
import { loadContextFor, splitsFor } from '../../engine/train/data-context.ts';

/** Each test sample's defect box (null for ok parts), from the generator with the run's seed. */
export async function testBoxes(project: Project): Promise<(DefectBox | null)[]> {
  const seed = project.training!.seed!;
  const ds = await loadDataset(project.data!, loadContextFor(project, process.cwd(), seed));
  const { boxes } = generateDefects(Math.ceil(ds.y.shape[0] / 4), 32, 32, 1, seed);
  return splitsFor(ds, project, seed).indices.test.map((i) => boxes[i]);
}

/** Correctly classified defective images whose hottest region has IoU ≥ 0.5 with the defect box, per class. */
export function localised(result: ImageResult, boxes: (DefectBox | null)[]) {
  const tally: Record<string, { n: number; hit: number }> = {};
  result.examples.forEach((e, i) => {
    const box = boxes[i];
    if (!box || e.predicted !== e.actual) return;
    const t = (tally[e.actual!] ??= { n: 0, hit: 0 });
    t.n++;
    if (boxIoU(hottestBox(e.heatmap), box) >= 0.5) t.hit++;
  });
  const all = Object.values(tally).reduce((a, t) => ({ n: a.n + t.n, hit: a.hit + t.hit }), { n: 0, hit: 0 });
  const classes = Object.keys(tally)
    .sort()
    .map((c) => `${c} ${tally[c].hit}/${tally[c].n}`)
    .join(', ');
  return {
    share: all.hit / all.n,
    n: all.n,
    text: `${all.hit}/${all.n} = ${((100 * all.hit) / all.n).toFixed(0)}% (${classes})`,
  };
}

// Training data from an image folder too large to decode up front (engine/data/stream/image-folder.ts):
// validation and test in memory as usual, the training split as a RowSource that decodes each
// batch's images from disk (docs/DATA.md, "Large image folders").
import { applyPreprocessing } from '../data/index.ts';
import type { DataSpec, LoadContext } from '../data/types.ts';
import { streamImageSplits, type StreamedImageFolder } from '../data/stream/image-folder.ts';
import type { Project } from '../project/schema.ts';
import { splitRecord, type SplitRecord } from '../runs/split-record.ts';
import { splitOptionsOf, type StreamedTraining } from './streamed-data.ts';

export async function prepareStreamedImages(
  project: Project,
  images: StreamedImageFolder,
  ctx: LoadContext,
  signal?: AbortSignal,
): Promise<Omit<StreamedTraining, 'samples' | 'dispose' | 'split'> & { split: SplitRecord }> {
  const opts = splitOptionsOf(project, ctx.seed);
  const s = await streamImageSplits(images, project.data as DataSpec, ctx, opts, true, signal);
  const prep = s.prep!;
  const validation = s.validation ? applyPreprocessing(prep, s.validation) : null;
  const { meta } = s;
  return {
    prep,
    train: {
      samples: s.indices.train.length,
      xShape: meta.x[0].shape.slice(1),
      yShape: meta.y.shape.slice(1),
      take: s.take,
      close: () => {},
    },
    validation,
    test: s.test,
    testX: applyPreprocessing(prep, s.test).x,
    warnings: meta.warnings,
    // Recorded as for a folder in memory: an image folder holds at most MAX_IMAGES samples.
    split: splitRecord({ ...meta, y: { ...meta.y, shape: [s.samples, ...meta.y.shape.slice(1)] } }, s, opts),
  };
}

// Each method's honest limit in one line, shown beside its result in the CLI and the Explain tab
// and listed in docs/EXPLAIN.md.
import type { ExplainMethod } from './types.ts';

export const CAVEATS: Record<ExplainMethod, string> = {
  permutation:
    'Shuffling one column breaks its link to the others too, so correlated columns share (and can hide) their importance; it ranks columns for this model, not causes in the world.',
  integratedGradients:
    'Attributions are measured against one baseline (the average training row, or a black image); another baseline gives other numbers.',
  gradCam:
    'The map has the resolution of the chosen conv layer (coarse for the last one), and shows where the evidence is, not what it is.',
  layerCam:
    "Per-position gradient weights give finer maps than Grad-CAM, still at the chosen conv layer's resolution; positive evidence only, so what speaks against the class is not shown.",
  saliency:
    'Raw gradients are noisy and local: they say which pixels would change the score most, not which ones produced it.',
  smoothGrad:
    'Averages gradients over noisy copies of the image: smoother than saliency, but the noise level changes the picture.',
};

// Small CNNs on the builtin synthetic defect images for the explain tests (not a test file itself):
// three 3×3 conv layers (8, 16, 16 filters), global average pooling and a softmax, the
// class-activation-map design of Zhou et al. (2016). 'pooled' halves the resolution twice between
// the conv layers (the usual small CNN); 'full' keeps all three at the image's 32×32, as Zhou et al.
// drop pooling layers to keep the maps fine: spot defects are 4–10 px across, and after two 2×2
// poolings the last conv layer's cells (4 px) are as large as a spot (docs/EXPLAIN.md).
const conv = (id: string, filters: number) => ({
  id,
  type: 'Conv2D',
  params: { filters, kernelSize: 3, padding: 'same', activation: 'relu' },
});

const pool = (id: string) => ({ id, type: 'MaxPooling2D', params: { poolSize: 2 } });

export function defectProject(layout: 'pooled' | 'full' = 'pooled'): Record<string, unknown> {
  const pools = layout === 'pooled';
  const nodes = [
    { id: 'in', type: 'Input', params: { shape: [32, 32, 1] } },
    conv('conv1', 8),
    ...(pools ? [pool('pool1')] : []),
    conv('conv2', 16),
    ...(pools ? [pool('pool2')] : []),
    conv('conv3', 16),
    { id: 'gap', type: 'GlobalAveragePooling2D', params: {} },
    { id: 'probs', type: 'Dense', params: { units: 4, activation: 'softmax' } },
    { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
  ];
  return {
    format: 'netwright',
    version: 1,
    name: 'Defect CNN (explain test)',
    graph: {
      nodes,
      edges: nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i].id, target: n.id })),
    },
    data: { source: 'builtin:defects', samples: 1000, testSplit: 0.2 },
    training: {
      optimizer: { type: 'adam', learningRate: 0.003 },
      epochs: 15,
      batchSize: 32,
      validationSplit: 0.1,
      seed: 42,
    },
  };
}

// A small CNN on the builtin synthetic defect images for the explain tests (not a test file
// itself). Global average pooling before the classifier, so Grad-CAM at the last conv layer is the
// class activation map of Zhou et al. (2016).
const conv = (id: string, filters: number) => ({
  id,
  type: 'Conv2D',
  params: { filters, kernelSize: 3, padding: 'same', activation: 'relu' },
});

export function defectProject(): Record<string, unknown> {
  const nodes = [
    { id: 'in', type: 'Input', params: { shape: [32, 32, 1] } },
    conv('conv1', 8),
    { id: 'pool1', type: 'MaxPooling2D', params: { poolSize: 2 } },
    conv('conv2', 16),
    { id: 'pool2', type: 'MaxPooling2D', params: { poolSize: 2 } },
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

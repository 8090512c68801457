// Small CNNs on the builtin synthetic defect images for the explain tests (not a test file itself):
// three 3×3 conv layers (8, 16, 16 filters), global average pooling and a softmax, the
// class-activation-map design of Zhou et al. (2016).
// 'pooled': a Dense softmax after the pooling, and the resolution halved twice between the conv
// layers (the usual small CNN).
// 'classMaps': all three conv layers at the image's 32×32 (Zhou et al. drop pooling layers to keep
// the maps fine: spot defects are 4–10 px across, and after two 2×2 poolings the last conv layer's
// cells, 4 px, are as large as a spot), then a 1×1 conv with one softplus map per class, global
// average pooling and a softmax: the all-convolutional head of Network-in-Network, whose class
// maps end in a non-negative activation (softplus rather than ReLU, so no class map can die in
// training). A class's logit is then the mean of its own non-negative evidence map, so the model
// cannot let evidence against a class cancel its evidence where the defect is, and Grad-CAM at
// the last conv layer is that map (docs/EXPLAIN.md).
const conv = (id: string, filters: number, kernelSize = 3, activation = 'relu') => ({
  id,
  type: 'Conv2D',
  params: { filters, kernelSize, padding: 'same', activation },
});

const pool = (id: string) => ({ id, type: 'MaxPooling2D', params: { poolSize: 2 } });

const gap = { id: 'gap', type: 'GlobalAveragePooling2D', params: {} };

export function defectProject(layout: 'pooled' | 'classMaps' = 'pooled'): Record<string, unknown> {
  const layers =
    layout === 'pooled'
      ? [
          conv('conv1', 8),
          pool('pool1'),
          conv('conv2', 16),
          pool('pool2'),
          conv('conv3', 16),
          gap,
          { id: 'probs', type: 'Dense', params: { units: 4, activation: 'softmax' } },
        ]
      : [
          conv('conv1', 8),
          conv('conv2', 16),
          conv('conv3', 16),
          conv('classMaps', 4, 1, 'softplus'),
          gap,
          { id: 'probs', type: 'Activation', params: { activation: 'softmax' } },
        ];
  const nodes = [
    { id: 'in', type: 'Input', params: { shape: [32, 32, 1] } },
    ...layers,
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

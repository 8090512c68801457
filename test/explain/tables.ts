// Synthetic tables with a known answer for the explain tests (not a test file itself): 8 feature
// columns c0…c7 (c7 categorical), and a label that depends on c2 and c5 only.
import { writeFile } from 'node:fs/promises';
import { createRng, gaussian } from '../../engine/random.ts';

export const COLUMNS = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];

/** CSV text of `n` rows; label "yes" when c2 + c5 > 0. `withLabel: false` leaves the label out. */
export function syntheticCsv(n: number, seed: number, withLabel = true): string {
  const rng = createRng(seed);
  const lines = [[...COLUMNS, ...(withLabel ? ['label'] : [])].join(',')];
  for (let r = 0; r < n; r++) {
    const v = Array.from({ length: 7 }, () => Number(gaussian(rng).toFixed(4)));
    const cat = ['a', 'b', 'c'][Math.floor(rng() * 3)];
    const label = v[2] + v[5] > 0 ? 'yes' : 'no';
    lines.push([...v, cat, ...(withLabel ? [label] : [])].join(','));
  }
  return lines.join('\n') + '\n';
}

const dense = (id: string, units: number, activation: string) => ({
  id,
  type: 'Dense',
  params: { units, activation },
});

/** A project on data.csv: one Input of all columns (c7 one-hot: 10 slots), or two Inputs of 4 columns each. */
export function tableProject(twoInputs = false): Record<string, unknown> {
  const nodes = twoInputs
    ? [
        { id: 'left', type: 'Input', params: { shape: [4] } },
        { id: 'right', type: 'Input', params: { shape: [6] } },
        dense('ld', 8, 'relu'),
        dense('rd', 8, 'relu'),
        { id: 'join', type: 'Concatenate', params: { axis: -1 } },
        dense('h', 16, 'relu'),
        dense('p', 2, 'softmax'),
        { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
      ]
    : [
        { id: 'in', type: 'Input', params: { shape: [10] } },
        dense('h', 16, 'relu'),
        dense('p', 2, 'softmax'),
        { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
      ];
  const edges = twoInputs
    ? [
        ['left', 'ld'],
        ['right', 'rd'],
        ['ld', 'join', 0],
        ['rd', 'join', 1],
        ['join', 'h'],
        ['h', 'p'],
        ['p', 'out'],
      ]
    : [
        ['in', 'h'],
        ['h', 'p'],
        ['p', 'out'],
      ];
  return {
    format: 'netwright',
    version: 1,
    name: twoInputs ? 'Known answer, two inputs' : 'Known answer',
    graph: {
      nodes,
      edges: edges.map(([source, target, port], i) => ({
        id: `e${i}`,
        source,
        target,
        ...(port !== undefined ? { targetPort: port } : {}),
      })),
    },
    data: {
      source: 'csv:data.csv',
      target: 'label',
      testSplit: 0.25,
      ...(twoInputs ? { inputs: { left: ['c0', 'c1', 'c2', 'c3'], right: ['c4', 'c5', 'c6', 'c7'] } } : {}),
    },
    training: {
      optimizer: { type: 'adam', learningRate: 0.02 },
      epochs: 25,
      batchSize: 32,
      validationSplit: 0,
      seed: 5,
    },
  };
}

export async function writeProject(
  dir: string,
  project: Record<string, unknown>,
  file: string,
): Promise<void> {
  await writeFile(`${dir}/${file}`, JSON.stringify(project, null, 2));
}

// An error thrown inside tfjs during training reaches the user as one sentence naming the node and
// what to change, never tfjs's text: through the real `netwright train` (Embedding ids outside its
// vocabulary: tfjs says "GatherV2: the index value 9 is not in [0, 4]"), and for a layer tfjs can
// run but not differentiate (a plain tfjs dilated convolution, which Netwright itself never builds).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { runCli, STACK_TRACE } from '../reliability/helpers/cli.ts';
import { explainTrainingError } from '../../engine/train/failure-diagnosis.ts';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-train-errors-'));
  await tf.setBackend('cpu');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('errors from inside tfjs during training', () => {
  it('netwright train: Embedding ids beyond inputDim → exit 1 and one sentence naming the node', async () => {
    const nodes = [
      { id: 'ids', type: 'Input', params: { shape: [3] } },
      { id: 'emb', type: 'Embedding', params: { inputDim: 5, outputDim: 2 } },
      { id: 'flat', type: 'Flatten', params: {} },
      { id: 'head', type: 'Dense', params: { units: 1 } },
      { id: 'out', type: 'Output', params: { loss: 'meanSquaredError' } },
    ];
    const project = {
      format: 'netwright',
      version: 1,
      name: 'ids out of range',
      graph: {
        nodes,
        edges: nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i].id, target: n.id })),
      },
      data: { source: 'csv:data.csv', target: 'y', testSplit: 0.2 },
      training: { epochs: 1, batchSize: 4, seed: 1 },
    };
    const rows = Array.from(
      { length: 20 },
      (_, i) => `${i % 5},${(i * 3) % 5},${i === 7 ? 9 : i % 4},${i % 2}`,
    );
    await fs.writeFile(path.join(dir, 'data.csv'), ['a,b,c,y', ...rows].join('\n'));
    const file = path.join(dir, 'p.netwright.json');
    await fs.writeFile(file, JSON.stringify(project));
    const r = await runCli(['train', file, '--out', path.join(dir, 'run'), '--backend', 'js'], {
      timeoutMs: 60_000,
    });
    const context = `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
    expect(r.code, context).toBe(1);
    const last = r.stderr.trim().split('\n').pop() ?? '';
    expect(last, context).toMatch(/^netwright: Training failed at node "emb" \(Embedding\): .*inputDim/);
    expect(r.stderr + r.stdout, context).not.toMatch(STACK_TRACE);
    expect(r.stderr + r.stdout, context).not.toMatch(/GatherV2|index value|tfjs/);
    const info = JSON.parse(await fs.readFile(path.join(dir, 'run', 'run.json'), 'utf8')) as {
      status: string;
      message: string;
    };
    expect(info.status).toBe('failed');
    expect(info.message).toBe(last.replace(/^netwright: /, ''));
  });

  it('a layer tfjs cannot differentiate is named, with the gradient as the reason', async () => {
    const input = tf.input({ shape: [6, 6, 1] });
    const conv = tf.layers.conv2d({
      name: 'atrous',
      filters: 2,
      kernelSize: 3,
      dilationRate: 2,
      activation: 'relu',
    });
    const flat = tf.layers.flatten({ name: 'flat' });
    const model = tf.model({ inputs: input, outputs: flat.apply(conv.apply(input)) as tf.SymbolicTensor });
    const x = { data: Float32Array.from({ length: 72 }, (_, i) => Math.sin(i)), shape: [2, 6, 6, 1] };
    let thrown: unknown;
    try {
      tf.variableGrads(() => tf.sum(model.apply(tf.tensor(x.data, x.shape)) as tf.Tensor) as tf.Scalar);
    } catch (err) {
      thrown = err;
    }
    expect(String(thrown)).toMatch(/dilation rates greater than 1/);
    const explained = explainTrainingError(tf, model, [x], thrown);
    expect(explained.nodeId).toBe('atrous');
    expect(explained.message).toBe(
      'Training failed at node "atrous" (Conv2D): TensorFlow.js cannot compute its gradient with these parameters; change them or replace the layer.',
    );
    expect(explained.cause).toBe(thrown);
    model.dispose();
  });
});

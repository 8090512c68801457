// Shared by the PyTorch tests: real tfjs models with every weight randomised, their model.py and
// weights written by the exporter, and one python3 + torch 1.13 process that runs many of them.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { InspectResult } from '../../engine/graph/inspect.ts';
import { liveNodes } from '../../engine/graph/live-nodes.ts';
import { encodeNpy } from '../../engine/pytorch/npy.ts';
import { writeModelFiles } from '../../engine/pytorch/model-files.ts';
import { mulberry32 } from '../../engine/random.ts';

await tf.setBackend('cpu');
export { tf };

/** Debian's interpreter, where python3-torch and python3-numpy are installed. */
export const PYTHON = '/usr/bin/python3';

/** Random weights: kernels and biases uniform ±0.5, variances in [0.5, 1.5], so no part hides behind 0 or 1. */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  const rng = mulberry32(seed);
  const values = model.weights.map((w) => {
    const n = w.shape.reduce((a: number, b) => a * (b as number), 1);
    const data = new Float32Array(n);
    const variance = w.originalName.endsWith('moving_variance');
    for (let i = 0; i < n; i++) data[i] = variance ? 0.5 + rng() : rng() - 0.5;
    return tf.tensor(data, w.shape as number[]);
  });
  model.setWeights(values);
  tf.dispose(values);
}

/** Seeded inputs for every model input: Gaussian-ish floats, or token ids below the Embedding's vocabulary; sizes -1 become 5. */
export function sampleInputs(inspection: InspectResult, batch: number, seed: number): tf.Tensor[] {
  const rng = mulberry32(seed);
  const nodes = liveNodes(inspection);
  return nodes
    .filter((n) => n.type === 'Input')
    .map((input) => {
      const shape = [batch, ...(input.outputShape ?? []).slice(1).map((d) => d ?? 5)];
      const size = shape.reduce((a, b) => a * b, 1);
      const vocab = nodes
        .filter((n) => n.type === 'Embedding' && n.inputs.includes(input.id))
        .map((n) => Number(n.params.inputDim));
      const data = Float32Array.from({ length: size }, () =>
        vocab.length ? Math.floor(rng() * Math.min(...vocab)) : (rng() + rng() + rng() - 1.5) * 2,
      );
      return tf.tensor(data, shape);
    });
}

export interface ParityCase {
  label: string;
  model: tf.LayersModel;
  inspection: InspectResult;
}

export interface ParityResult {
  label: string;
  maxAbs: number;
  /** max |torch − tfjs| / max(1, |tfjs|) */
  maxRel: number;
  /** Names model.py imports and never uses. */
  unusedImports: string[];
  longestLine: number;
  error?: string;
}

const CHECK_SCRIPT = `
import ast, importlib.util, json, os, sys
import numpy as np
import torch

torch.set_grad_enabled(False)
root = sys.argv[1]


def unused_imports(source):
    tree = ast.parse(source)
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imported.update((a.asname or a.name).split(".")[0] for a in node.names)
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return sorted(imported - used)


for name in sorted(os.listdir(root)):
    folder = os.path.join(root, name)
    meta = json.load(open(os.path.join(folder, "case.json")))
    try:
        spec = importlib.util.spec_from_file_location("model_" + name, os.path.join(folder, "model.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        model = module.build_model()
        model.eval()
        inputs = [torch.from_numpy(np.load(os.path.join(folder, "input%d.npy" % i))) for i in range(meta["inputs"])]
        outputs = model(*inputs)
        outputs = outputs if isinstance(outputs, tuple) else (outputs,)
        max_abs, max_rel = 0.0, 0.0
        for i, got in enumerate(outputs):
            expected = np.load(os.path.join(folder, "expected%d.npy" % i))
            if tuple(got.shape) != expected.shape:
                raise ValueError("output %d has shape %s, tfjs %s" % (i, tuple(got.shape), expected.shape))
            diff = np.abs(got.numpy() - expected)
            max_abs = max(max_abs, float(diff.max(initial=0)))
            max_rel = max(max_rel, float((diff / np.maximum(1, np.abs(expected))).max(initial=0)))
        source = open(os.path.join(folder, "model.py")).read()
        print(json.dumps({
            "label": meta["label"], "maxAbs": max_abs, "maxRel": max_rel,
            "unusedImports": unused_imports(source),
            "longestLine": max(len(line) for line in source.splitlines()),
        }))
    except Exception as err:
        print(json.dumps({"label": meta["label"], "maxAbs": -1, "maxRel": -1, "error": repr(err)}))
`;

/** Export every case, run each in PyTorch on the same inputs as tfjs, all in one python process. */
export async function torchParity(cases: ParityCase[], batch = 3): Promise<ParityResult[]> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'nw-torch-parity-'));
  for (const [i, c] of cases.entries()) {
    const dir = path.join(root, `case${String(i).padStart(3, '0')}`);
    mkdirSync(dir);
    await writeModelFiles(dir, c.inspection, c.model, `Case ${i}`);
    const inputs = sampleInputs(c.inspection, batch, 1000 + i);
    const out = c.model.apply(inputs.length === 1 ? inputs[0] : inputs, { training: false });
    const outputs = (Array.isArray(out) ? out : [out]) as tf.Tensor[];
    inputs.forEach((t, k) =>
      writeFileSync(
        path.join(dir, `input${k}.npy`),
        encodeNpy({ data: t.dataSync() as Float32Array, shape: t.shape }),
      ),
    );
    outputs.forEach((t, k) =>
      writeFileSync(
        path.join(dir, `expected${k}.npy`),
        encodeNpy({ data: t.dataSync() as Float32Array, shape: t.shape }),
      ),
    );
    writeFileSync(path.join(dir, 'case.json'), JSON.stringify({ label: c.label, inputs: inputs.length }));
    tf.dispose([...inputs, ...outputs]);
  }
  const text = execFileSync(PYTHON, ['-c', CHECK_SCRIPT, root], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ParityResult);
}

/** A TCP port free right now on 127.0.0.1, for a process group's MASTER_PORT. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export interface PyRun {
  code: number | null;
  output: string;
}

/** python3 <args> in `cwd` with extra environment variables; resolves when it exits. */
export function runPython(cwd: string, args: string[], env: Record<string, string> = {}): Promise<PyRun> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, args, { cwd, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** train.py as torchrun would start it: one process per rank with MASTER_ADDR/PORT, RANK, WORLD_SIZE, LOCAL_RANK. */
export async function launchRanks(packageDir: string, worldSize: number, args: string[]): Promise<PyRun[]> {
  const port = await freePort();
  return Promise.all(
    Array.from({ length: worldSize }, (_, rank) =>
      runPython(packageDir, ['train.py', ...args], {
        MASTER_ADDR: '127.0.0.1',
        MASTER_PORT: String(port),
        RANK: String(rank),
        WORLD_SIZE: String(worldSize),
        LOCAL_RANK: String(rank),
      }),
    ),
  );
}

/** The JSON lines train.py appended to <out>/metrics.jsonl. */
export function metricsLines(packageDir: string): Record<string, number>[] {
  return readFileSync(path.join(packageDir, 'output', 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, number>);
}

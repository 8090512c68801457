// model.py: the graph as one nn.Module (named submodules, a forward that follows the graph in
// topological order), the helper classes its layers need, and the weight files' loader. Tensors
// are channels-last as in tfjs at the inputs and outputs; a channels-first run (convolutions,
// poolings, BatchNorm) is entered and left with one permute each (docs/SCALE-OUT.md).
import type { Layout, TorchNode } from './emitter-types.ts';
import { PY_HELPERS } from './helpers-py.ts';
import type { TorchGraph } from './torch-graph.ts';

interface Value {
  name: string;
  layout: Layout;
  /** Axes with the batch. */
  rank: number;
}

/** The permute that changes a tensor of `rank` axes from one layout to the other. */
function convert(name: string, rank: number, to: Layout): string {
  if (rank === 3) return `${name}.transpose(1, 2)`;
  const rest = Array.from({ length: rank - 2 }, (_, i) => i + 1);
  const perm = to === 'cf' ? [0, rank - 1, ...rest] : [0, ...rest.map((a) => a + 1), 1];
  return `${name}.permute(${perm.join(', ')})`;
}

/** "Iris MLP" → "IrisMLP"; a class name for the model. */
export function className(projectName: string): string {
  const words = projectName.match(/[A-Za-z0-9]+/g) ?? [];
  const name = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(name) ? name : `Net${name}`;
}

function forwardLines(g: TorchGraph): { lines: string[]; returns: string[] } {
  const values = new Map<string, Value>();
  const converted = new Map<string, string>();
  const lines: string[] = [];

  const inLayout = (id: string, want: Layout): string => {
    const v = values.get(id)!;
    if (v.rank <= 2 || v.layout === want) return v.name;
    const key = `${id}:${want}`;
    if (!converted.has(key)) {
      const name = `${v.name.replace(/_+$/, '')}_${want === 'cf' ? 'nchw' : 'nhwc'}`;
      lines.push(`${name} = ${convert(v.name, v.rank, want)}`);
      converted.set(key, name);
    }
    return converted.get(key)!;
  };

  const returns: string[] = [];
  for (const node of g.nodes) {
    const sources = g.sources.get(node.id) ?? [];
    if (node.type === 'Input') {
      values.set(node.id, { name: node.attr, layout: 'tf', rank: node.outputShape.length + 1 });
      continue;
    }
    if (node.type === 'Output') {
      returns.push(inLayout(sources[0], 'tf'));
      continue;
    }
    const emitter = g.emitters.get(node.id)!;
    const asked = emitter.inputLayout(node);
    const want: Layout = asked === 'keep' ? values.get(sources[0])!.layout : asked;
    const inputs = sources.map((s) => inLayout(s, want));
    const result = emitter.forward(node, inputs, want);
    const rank = node.outputShape.length + 1;
    const layout = rank <= 2 ? 'tf' : (result.layout ?? want);
    lines.push(`${node.attr} = ${result.expr}`);
    values.set(node.id, { name: node.attr, layout, rank });
  }
  return { lines, returns };
}

/** Black's style for a call too long for one line: its arguments on their own indented line. */
function wrapCall(line: string, indent: string): string[] {
  const open = line.indexOf('(');
  if (indent.length + line.length <= 88 || open < 0 || !line.endsWith(')')) return [indent + line];
  return [indent + line.slice(0, open + 1), `${indent}    ${line.slice(open + 1, -1)}`, `${indent})`];
}

/** Submodules of the nodes marked `trainable: false` in the project. */
function frozenModules(g: TorchGraph): string[] {
  return g.nodes
    .filter((n) => n.frozen)
    .flatMap((n) => g.emitters.get(n.id)?.modules?.(n) ?? [])
    .map((m) => `self.${m.name}`);
}

/** Frozen layers: no gradient, and always in inference mode (a frozen BatchNorm keeps its statistics). */
function frozenLines(g: TorchGraph): string[] {
  const modules = frozenModules(g);
  if (!modules.length) return [];
  return [
    '    def frozen(self):',
    '        """The layers marked trainable: false in Netwright."""',
    `        return [${modules.join(', ')}]`,
    '',
    '    def train(self, mode=True):',
    '        super().train(mode)',
    '        for module in self.frozen():',
    '            module.eval()',
    '        return self',
    '',
  ];
}

function regularizationLines(g: TorchGraph): string[] {
  const terms: string[] = [];
  for (const node of g.nodes) {
    const r = g.emitters.get(node.id)?.regularizer?.(node);
    if (!r) continue;
    if (r.l1) terms.push(`${r.l1} * self.${r.param}.abs().sum()`);
    if (r.l2) terms.push(`${r.l2} * self.${r.param}.pow(2).sum()`);
  }
  return terms.length ? [`return ${terms.join(' + ')}`] : ['return 0.0'];
}

const WEIGHT_IO = `def load_weights(model, folder=WEIGHTS_DIR):
    """Set every parameter and buffer from <folder>/<state_dict key>.npy."""
    state = {}
    for key, tensor in model.state_dict().items():
        if key.endswith("num_batches_tracked"):
            state[key] = tensor
            continue
        array = np.load(os.path.join(folder, key + ".npy"))
        state[key] = torch.from_numpy(array).reshape(tensor.shape)
    model.load_state_dict(state)


def save_weights(model, folder):
    """Write every parameter and buffer as <folder>/<state_dict key>.npy (float32)."""
    os.makedirs(folder, exist_ok=True)
    for key, tensor in model.state_dict().items():
        if key.endswith("num_batches_tracked"):
            continue
        array = tensor.detach().cpu().numpy().astype(np.float32)
        np.save(os.path.join(folder, key + ".npy"), array)
`;

/** Helper classes used by the module source, with what they need, in PY_HELPERS order. */
function helpersFor(source: string): string[] {
  const used = new Set(
    PY_HELPERS.filter((h) => new RegExp(`\\b${h.name}\\(`).test(source)).map((h) => h.name),
  );
  for (const h of PY_HELPERS) if (used.has(h.name)) h.needs.forEach((n) => used.add(n));
  return PY_HELPERS.filter((h) => used.has(h.name)).map((h) => h.code);
}

export function modelPy(g: TorchGraph, projectName: string): { source: string; className: string } {
  const name = className(projectName);
  const modules = g.nodes.flatMap((n: TorchNode) => g.emitters.get(n.id)?.modules?.(n) ?? []);
  const { lines, returns } = forwardLines(g);
  const args = g.inputs.map((n) => n.attr).join(', ');
  const body = [
    `class ${name}(nn.Module):`,
    `    """${projectName.replace(/"/g, "'")}, drawn in Netwright.`,
    '',
    '    Inputs and outputs are channels-last (batch, ..., features), as in tfjs.',
    '    """',
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...modules.flatMap((m) => [
      ...wrapCall(`self.${m.name} = ${m.init}`, '        '),
      ...(m.setup ?? []).map((line) => `        ${line}`),
    ]),
    ...(modules.length ? [] : ['        pass']),
    ...(frozenModules(g).length
      ? ['        for module in self.frozen():', '            module.requires_grad_(False)']
      : []),
    '',
    `    def forward(self, ${args}):`,
    ...lines.flatMap((l) => wrapCall(l, '        ')),
    `        return ${returns.join(', ')}`,
    '',
    ...frozenLines(g),
    '    def regularization_loss(self):',
    '        """The L1/L2 penalties of the kernel regularisers (Keras semantics), added to the loss."""',
    ...regularizationLines(g).map((l) => `        ${l}`),
    '',
  ].join('\n');
  const helpers = helpersFor(body);
  const usesF = /\bF\./.test(body + helpers.join(''));
  const header = [
    '"""A Netwright project\'s network as a PyTorch module.',
    '',
    `Project: ${projectName.replace(/"/g, "'")}`,
    '"""',
    'import os',
    '',
    'import numpy as np',
    'import torch',
    ...(usesF ? ['import torch.nn.functional as F'] : []),
    'from torch import nn',
    '',
    'WEIGHTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "weights")',
    '',
  ].join('\n');
  const build = `def build_model(weights=WEIGHTS_DIR):
    """The network with the weights in \`weights\` (Netwright's export, or a checkpoint's)."""
    model = ${name}()
    load_weights(model, weights)
    return model
`;
  const source = [header, ...helpers, body, WEIGHT_IO, build].join('\n\n').replace(/\n{3,}/g, '\n\n\n');
  return { source, className: name };
}

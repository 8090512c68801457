// Small graph builders for engine tests (not a test file itself).
import type { Graph } from '../../engine/project/schema.ts';
import { getLayer } from '../../engine/layers/registry.ts';
import { portAt } from '../../engine/layers/ports.ts';

export type LayerParams = Record<string, unknown>;

/** Input(s) → one layer → Output; every input feeds the layer on its own port, in port order. */
export function singleLayerGraph(inputShapes: number[][], type: string, params: LayerParams): Graph {
  const inputs = inputShapes.map((shape, i) => ({ id: `in${i}`, type: 'Input', params: { shape } }));
  return {
    nodes: [
      ...inputs,
      { id: 'layer', type, params },
      { id: 'out', type: 'Output', params: { loss: 'meanSquaredError' } },
    ],
    edges: [
      ...inputs.map((n, i) => {
        const port = getLayer(type) && portAt(getLayer(type)!, i);
        return { id: `e${i}`, source: n.id, target: 'layer', ...(port ? { port } : {}) };
      }),
      { id: 'eo', source: 'layer', target: 'out' },
    ],
  } as Graph;
}

/** A straight chain Input → layers… → Output; node ids are n0, n1, … */
export function chainGraph(
  shape: number[],
  layers: [string, LayerParams][],
  loss = 'categoricalCrossentropy',
): Graph {
  const nodes = [
    { id: 'in', type: 'Input', params: { shape } },
    ...layers.map(([type, params], i) => ({ id: `n${i}`, type, params })),
    { id: 'out', type: 'Output', params: { loss } },
  ];
  const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i].id, target: n.id }));
  return { nodes, edges } as Graph;
}

/**
 * A graph from a compact description: nodes as [id, type, params], edges as [source, target, port?]
 * (a number is a merge's ordered port in<n>).
 */
export function dag(
  nodes: [string, string, LayerParams][],
  edges: [string, string, (number | string)?][],
): Graph {
  return {
    nodes: nodes.map(([id, type, params]) => ({ id, type, params })),
    edges: edges.map(([source, target, port], i) => ({
      id: `e${i}`,
      source,
      target,
      ...(port === undefined ? {} : { port: typeof port === 'number' ? `in${port}` : port }),
    })),
  } as Graph;
}

// The small graph the editor-store tests edit: Input → Dense 8 relu → Dense 3 softmax → Output.
import type { Project } from '../../engine/project/schema.ts';

export function denseChain(
  name: string,
  { inputShape = [4], version = 1, d2x = 0 }: { inputShape?: number[]; version?: number; d2x?: number } = {},
): Project {
  return {
    format: 'netwright',
    version,
    name,
    graph: {
      nodes: [
        { id: 'in', type: 'Input', params: { shape: inputShape }, position: { x: 0, y: 0 } },
        { id: 'd1', type: 'Dense', params: { units: 8, activation: 'relu' }, position: { x: 0, y: 120 } },
        {
          id: 'd2',
          type: 'Dense',
          params: { units: 3, activation: 'softmax' },
          position: { x: d2x, y: 240 },
        },
        {
          id: 'out',
          type: 'Output',
          params: { loss: 'categoricalCrossentropy' },
          position: { x: 0, y: 360 },
        },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'd1' },
        { id: 'e2', source: 'd1', target: 'd2' },
        { id: 'e3', source: 'd2', target: 'out' },
      ],
    },
  } as Project;
}

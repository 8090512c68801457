// A node's input handles, one per port (docs/ARCHITECTURE.md, "Named ports"): a named port shows its
// name; a merge shows its ordered ports in use plus a free one to connect the next input to; any
// other layer has the single handle "in".
import { memo } from 'react';
import { Handle, Position } from '@xyflow/react';
import type { LayerSpec } from '../../../engine/layers/types.ts';
import { freePort, portStyle, SINGLE_PORT } from '../../../engine/layers/ports.ts';
import { useEditor } from '../state/editor-store.ts';
import type { FlowEdge } from '../state/graph-model.ts';

/**
 * The ports in use on every node, as one string per node, computed once per edges array: every store
 * update runs each node's selector, and scanning all edges in each of them cost 300 × 300 steps on
 * the 300-node graph.
 */
const portsCache = new WeakMap<readonly FlowEdge[], Map<string, string>>();
function portsInUse(edges: readonly FlowEdge[]): Map<string, string> {
  let used = portsCache.get(edges);
  if (!used) {
    used = new Map();
    for (const e of edges) {
      const port = e.data?.port ?? SINGLE_PORT;
      const before = used.get(e.target);
      used.set(e.target, before === undefined ? port : `${before}\n${port}`);
    }
    portsCache.set(edges, used);
  }
  return used;
}

interface Port {
  name: string;
  title: string;
  labelled: boolean;
}

/** The ports of a merge node: those its edges use (sorted by number) and the next free one. */
function orderedPorts(spec: LayerSpec, used: string[]): Port[] {
  const names = [...new Set(used)];
  names.push(freePort(spec, used)!);
  const num = (p: string) => (p === SINGLE_PORT ? 0 : Number(p.slice(2)));
  return names
    .sort((a, b) => num(a) - num(b))
    .map((name) => ({ name, title: `input ${name}`, labelled: true }));
}

function InputHandlesImpl({ id, spec }: { id: string; spec: LayerSpec | undefined }) {
  // A string, so the node re-renders only when its set of incoming ports changes.
  const usedKey = useEditor((s) => portsInUse(s.edges).get(id) ?? '');
  const style = spec ? portStyle(spec) : 'single';
  const ports: Port[] =
    style === 'named'
      ? spec!.ports!.map((p) => ({
          name: p.name,
          title: `${p.name}${p.optional ? ' (optional)' : ''}: ${p.help}`,
          labelled: true,
        }))
      : style === 'ordered'
        ? orderedPorts(spec!, usedKey ? usedKey.split('\n') : [])
        : [{ name: SINGLE_PORT, title: 'input', labelled: false }];
  return (
    <>
      {ports.map((p, i) => {
        const left = `${((i + 1) * 100) / (ports.length + 1)}%`;
        return (
          <Handle
            key={p.name}
            type="target"
            position={Position.Top}
            id={p.name}
            style={{ left }}
            title={p.title}
            aria-label={`${p.labelled ? `${p.name} ` : ''}input of ${id}`}
            data-testid={`handle-${id}-${p.name}`}
          >
            {p.labelled && <span className="port-label">{p.name}</span>}
          </Handle>
        );
      })}
    </>
  );
}

export const InputHandles = memo(InputHandlesImpl);

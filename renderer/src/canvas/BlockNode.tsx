// A block on the canvas (docs/ARCHITECTURE.md, "Blocks"): collapsed, one card with the shapes that
// enter and leave it and the parameters inside; expanded, a frame behind its nodes with the way back.
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { useShallow } from 'zustand/react/shallow';
import { useEditor } from '../state/editor-store.ts';
import { blockFacts } from '../state/blocks.ts';
import { useUserBlocks } from '../state/user-blocks-store.ts';
import { formatParams } from '../format-count.ts';
import type { BlockFlowNode, BlockFrameNode } from './block-view.ts';

const noFacts = { inShapes: '—', outShapes: '—', params: 0, count: 0, errors: 0 };

function BlockNodeImpl({ data, selected }: NodeProps<BlockFlowNode>) {
  const { blockId, name } = data;
  const facts = useEditor(
    useShallow((s) => {
      const block = s.blocks.find((b) => b.id === blockId);
      return block ? blockFacts(block, s.edges, s.inspection.views) : noFacts;
    }),
  );
  const expand = () => useEditor.getState().setBlockCollapsed(blockId, false);
  return (
    <div
      className={`block-node ${selected ? 'is-selected' : ''} ${facts.errors ? 'has-error' : ''}`}
      data-testid={`block-${blockId}`}
      aria-label={`Block ${name}: ${facts.count} layers, in ${facts.inShapes}, out ${facts.outShapes}, ${facts.params} parameters`}
      onDoubleClick={expand}
    >
      <Handle type="target" position={Position.Top} id="in" aria-label={`input of block ${name}`} />
      <div className="block-node__head">
        <span className="block-node__name" title={name}>
          {name}
        </span>
        <span className="block-node__count">
          {facts.count} layer{facts.count === 1 ? '' : 's'}
          {facts.errors ? ` · ${facts.errors} error${facts.errors === 1 ? '' : 's'}` : ''}
        </span>
      </div>
      <div className="block-node__shapes">
        <span title="Input shape (? is the batch)">
          in <b data-testid={`block-in-${blockId}`}>{facts.inShapes}</b>
        </span>
        <span title="Output shape (? is the batch)">
          out <b data-testid={`block-out-${blockId}`}>{facts.outShapes}</b>
        </span>
      </div>
      <div className="block-node__foot">
        <span data-testid={`block-params-${blockId}`} title={`${facts.params} parameters in the block`}>
          {formatParams(facts.params)}
        </span>
        <span className="block-node__actions">
          <button
            className="btn btn--ghost nodrag"
            onClick={expand}
            data-testid={`block-expand-${blockId}`}
            aria-label={`Expand block ${name}`}
          >
            Expand
          </button>
          <button
            className="btn btn--ghost nodrag"
            onClick={() => void useUserBlocks.getState().save(blockId)}
            data-testid={`block-save-${blockId}`}
            aria-label={`Save block ${name} to My blocks`}
            title="Save to My blocks (palette), for any project"
          >
            Save
          </button>
        </span>
      </div>
      <Handle type="source" position={Position.Bottom} id="out" aria-label={`output of block ${name}`} />
    </div>
  );
}

export const BlockNode = memo(BlockNodeImpl);

function BlockFrameImpl({ data }: NodeProps<BlockFrameNode>) {
  const { blockId, name } = data;
  const editor = useEditor.getState;
  return (
    <div
      className="block-frame"
      data-testid={`block-frame-${blockId}`}
      aria-label={`Block ${name}, expanded`}
    >
      <div className="block-frame__head">
        <span className="block-frame__name">{name}</span>
        <button
          className="btn btn--ghost nodrag"
          onClick={() => editor().setBlockCollapsed(blockId, true)}
          data-testid={`block-collapse-${blockId}`}
          aria-label={`Collapse block ${name}`}
        >
          Collapse
        </button>
        <button
          className="btn btn--ghost nodrag"
          onClick={() => editor().ungroup(blockId)}
          data-testid={`block-ungroup-${blockId}`}
          aria-label={`Ungroup block ${name}`}
        >
          Ungroup
        </button>
      </div>
    </div>
  );
}

export const BlockFrame = memo(BlockFrameImpl);

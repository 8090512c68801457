// The one store of the editor (docs/ARCHITECTURE.md, "Layering"): graph, derived inspection, snapshot history for undo/redo,
// clipboard, and the project document around the graph. Every edit goes through `commit`, which
// records the previous graph, so undo/redo never leaves the graph half-changed.
import { create } from 'zustand';
import {
  applyEdgeChanges,
  applyNodeChanges,
  type EdgeChange,
  type NodeChange,
  type XYPosition,
} from '@xyflow/react';
import { inspectGraph } from '../../../engine/graph/inspect.ts';
import { getLayer } from '../../../engine/layers/registry.ts';
import {
  CURRENT_VERSION,
  type Project,
  type ProjectBlock,
  type ProjectData,
  type TrainingConfig,
} from '../../../engine/project/schema.ts';
import {
  freshId,
  graphOf,
  snapshotOf,
  toFlowEdge,
  toFlowNode,
  toProjectEdge,
  toProjectNode,
  type FlowEdge,
  type FlowNode,
  type GraphSnapshot,
} from './graph-model.ts';
import { buildInspectionView, type InspectionView } from './node-views.ts';
import { connectionProblem, portForConnection } from './connection-rules.ts';
import { BLOCK_NODE_PREFIX, blockEnds, isCanvasOnlyId, pruneBlocks } from './blocks.ts';
import type { PretrainedBlockInfo, UserBlock } from '../../../engine/api.ts';
import { blockInsert } from './insert-block.ts';

const HISTORY_LIMIT = 200;
/** Edits of the same field within this window merge into one undo step (typing a number). */
const COALESCE_MS = 1200;

/** The project without its graph; unknown top-level keys are kept for the round trip. */
export interface ProjectMeta {
  format: 'netwright';
  version: number;
  name: string;
  data?: ProjectData;
  training?: TrainingConfig;
  graphExtra?: Record<string, unknown>;
  [key: string]: unknown;
}

interface HistoryEntry {
  label: string;
  snapshot: GraphSnapshot;
  /** Set by edits outside the graph (name, data, training settings): the project's meta before the step. */
  meta?: ProjectMeta;
}

export interface EditorState {
  nodes: FlowNode[];
  edges: FlowEdge[];
  /** Named groups of nodes (docs/ARCHITECTURE.md, "Blocks"); part of every undo step. */
  blocks: ProjectBlock[];
  /** The collapsed block selected on the canvas (blocks are not React Flow selections of layers). */
  selectedBlock: string | null;
  inspection: InspectionView;
  past: HistoryEntry[];
  future: HistoryEntry[];
  lastCommit: { key: string; at: number } | null;
  clipboard: GraphSnapshot | null;
  meta: ProjectMeta;
  projectPath: string | null;
  /** Bumped by every change that should be saved; compared with savedRevision for the dirty marker. */
  revision: number;
  savedRevision: number;
  /** A one-line message for the user (refused connection, paste…), with a time to expire it. */
  notice: { text: string; tone: 'info' | 'error'; at: number } | null;

  loadProject(project: Project, path: string | null, opts?: { dirty?: boolean }): void;
  toProject(): Project;
  markSaved(path: string): void;
  /** An undo step; `label` defaults to a description of what changed. */
  setMeta(update: Partial<ProjectMeta>, label?: string): void;
  /** Replace the project's data section as one undo step (e.g. which columns each Input gets). */
  setData(data: ProjectData | undefined, label: string): void;
  notify(text: string, tone?: 'info' | 'error'): void;

  onNodesChange(changes: NodeChange<FlowNode>[]): void;
  onEdgesChange(changes: EdgeChange<FlowEdge>[]): void;
  beginMove(): void;
  endMove(): void;
  addNode(layerType: string, position: XYPosition): string;
  /** Insert a pretrained block with its startFrom entry as one undo step; returns the new node ids. */
  insertPretrained(block: PretrainedBlockInfo, position: XYPosition): string[];
  /** `handle`: the input handle dropped on (a port name); the first free port when left out. */
  connect(source: string, target: string, handle?: string | null): string | null;
  setParam(nodeId: string, name: string, value: unknown): void;
  /** Freeze (false) or unfreeze a node's weights; an undo step. */
  setTrainable(nodeId: string, trainable: boolean): void;
  deleteSelection(): void;
  copySelection(): void;
  paste(offset?: XYPosition): void;
  duplicateSelection(): void;
  selectAll(): void;
  selectOnly(nodeId: string): void;
  /** Move nodes (and collapsed blocks' cards) as one undo step, e.g. an auto layout. */
  applyPositions(
    positions: ReadonlyMap<string, XYPosition>,
    label: string,
    blockPositions?: ReadonlyMap<string, XYPosition>,
  ): void;
  /** Group the selected nodes into a collapsed block; returns the problem when it can't. */
  groupSelection(name: string): string | null;
  setBlockCollapsed(blockId: string, collapsed: boolean): void;
  ungroup(blockId: string): void;
  /** Select a collapsed block; `keepNodes` when React Flow itself says which nodes stay selected (Shift-click). */
  selectBlock(blockId: string | null, keepNodes?: boolean): void;
  /** Move a collapsed block (a drag step): its hidden nodes move with it. */
  moveBlock(blockId: string, position: XYPosition): void;
  /** A layer id for a connection end on a block node: its entry (as target) or exit (as source). */
  connectionEnd(id: string, as: 'source' | 'target'): string;
  /** The block's nodes and the edges between them, for the user's palette. */
  blockContent(blockId: string): UserBlock | null;
  /** Add a saved block's nodes (fresh ids) as a collapsed block at `position`. */
  insertBlock(block: UserBlock, position: XYPosition): string;
  undo(): void;
  redo(): void;
}

const META_LABELS: Record<string, string> = {
  name: 'Rename the project',
  data: 'Change the data settings',
  training: 'Change the training settings',
};

function metaEditLabel(update: Partial<ProjectMeta>): string {
  const keys = Object.keys(update);
  return keys.length === 1 ? (META_LABELS[keys[0]] ?? `Change ${keys[0]}`) : 'Change the project settings';
}

/** Edits of the same field (the name, or one training/data setting) coalesce while typing. */
function metaEditKey(before: ProjectMeta, update: Partial<ProjectMeta>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(update)) {
    const old = before[key];
    if (value && typeof value === 'object' && old && typeof old === 'object' && !Array.isArray(value)) {
      const changed = Object.keys({ ...old, ...value }).filter(
        (k) =>
          JSON.stringify((old as Record<string, unknown>)[k]) !==
          JSON.stringify((value as Record<string, unknown>)[k]),
      );
      parts.push(`${key}.${changed.sort().join('+')}`);
    } else parts.push(key);
  }
  return `meta:${parts.sort().join(',')}`;
}

const emptyMeta = (): ProjectMeta => ({ format: 'netwright', version: CURRENT_VERSION, name: 'Untitled' });

function inspect(nodes: FlowNode[], edges: FlowEdge[], previous?: InspectionView): InspectionView {
  return buildInspectionView(inspectGraph(graphOf(nodes, edges)), previous);
}

function defaultParams(layerType: string): Record<string, unknown> {
  const spec = getLayer(layerType);
  const params: Record<string, unknown> = {};
  for (const def of spec?.params ?? []) params[def.name] = structuredClone(def.default);
  return params;
}

export const useEditor = create<EditorState>()((set, get) => {
  /** Replace the graph, recording the previous one as an undo step. */
  const commit = (
    label: string,
    nodes: FlowNode[],
    edges: FlowEdge[],
    coalesceKey?: string,
    blocks?: ProjectBlock[],
  ) => {
    const s = get();
    const now = Date.now();
    const merge = coalesceKey && s.lastCommit?.key === coalesceKey && now - s.lastCommit.at < COALESCE_MS;
    const past = merge
      ? s.past
      : [...s.past, { label, snapshot: snapshotWithBlocks(s) }].slice(-HISTORY_LIMIT);
    // A deleted node leaves its block; a block left empty is gone.
    const nextBlocks = blocks ?? s.blocks;
    const kept =
      nextBlocks.length && nodes.length < s.nodes.length
        ? pruneBlocks(nextBlocks, new Set(nodes.map((n) => n.id)))
        : nextBlocks;
    set({
      nodes,
      edges,
      blocks: kept,
      selectedBlock: kept.some((b) => b.id === s.selectedBlock && b.collapsed) ? s.selectedBlock : null,
      inspection: inspect(nodes, edges, s.inspection),
      past,
      future: [],
      lastCommit: coalesceKey ? { key: coalesceKey, at: now } : null,
      revision: s.revision + 1,
    });
  };

  /** Replace the project's meta (name, data, training) as an undo step; typing in one field is one step. */
  const commitMeta = (meta: ProjectMeta, label: string, coalesceKey?: string) => {
    const s = get();
    const now = Date.now();
    const merge = coalesceKey && s.lastCommit?.key === coalesceKey && now - s.lastCommit.at < COALESCE_MS;
    const past = merge
      ? s.past
      : [...s.past, { label, snapshot: snapshotWithBlocks(s), meta: s.meta }].slice(-HISTORY_LIMIT);
    set({
      meta,
      past,
      future: [],
      lastCommit: coalesceKey ? { key: coalesceKey, at: now } : null,
      revision: s.revision + 1,
    });
  };

  /** The redo steps a drag start cleared, restored when the drag turns out to be a plain click. */
  let futureBeforeMove: HistoryEntry[] | null = null;

  const restore = (snapshot: GraphSnapshot) => {
    const s = get();
    const selected = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
    const nodes = snapshot.nodes.map((n) => toFlowNode(n, selected.has(n.id)));
    const edges = snapshot.edges.map((e) => toFlowEdge(e));
    set({
      nodes,
      edges,
      blocks: snapshot.blocks ?? [],
      selectedBlock: null,
      inspection: inspect(nodes, edges, s.inspection),
      revision: s.revision + 1,
      lastCommit: null,
    });
  };

  return {
    nodes: [],
    edges: [],
    blocks: [],
    selectedBlock: null,
    inspection: inspect([], []),
    past: [],
    future: [],
    lastCommit: null,
    clipboard: null,
    meta: emptyMeta(),
    projectPath: null,
    revision: 0,
    savedRevision: 0,
    notice: null,

    loadProject(project, path, opts) {
      const { graph, blocks, ...meta } = project;
      const { nodes: pn, edges: pe, ...graphExtra } = graph;
      const nodes = pn.map((n) => toFlowNode(n));
      const edges = pe.map((e) => toFlowEdge(e));
      const revision = get().revision + 1;
      set({
        nodes,
        edges,
        blocks: blocks ?? [],
        selectedBlock: null,
        inspection: inspect(nodes, edges),
        past: [],
        future: [],
        lastCommit: null,
        meta: {
          ...(meta as ProjectMeta),
          graphExtra: Object.keys(graphExtra).length ? graphExtra : undefined,
        },
        projectPath: path,
        revision,
        savedRevision: opts?.dirty ? revision - 1 : revision,
      });
    },
    toProject() {
      const { nodes, edges, meta, blocks } = get();
      const { graphExtra, ...rest } = meta;
      return {
        ...rest,
        graph: { ...(graphExtra ?? {}), nodes: nodes.map(toProjectNode), edges: edges.map(toProjectEdge) },
        ...(blocks.length ? { blocks } : {}),
      } as Project;
    },
    markSaved(path) {
      set({ projectPath: path, savedRevision: get().revision });
    },
    setMeta(update, label) {
      commitMeta(
        { ...get().meta, ...update },
        label ?? metaEditLabel(update),
        metaEditKey(get().meta, update),
      );
    },
    setData(data, label) {
      commitMeta({ ...get().meta, data }, label);
    },
    notify(text, tone = 'info') {
      set({ notice: { text, tone, at: Date.now() } });
    },

    onNodesChange(all) {
      // Changes to the canvas-only block nodes move or select the block; the graph has no such node.
      const changes = all.filter((c) => !('id' in c) || !isCanvasOnlyId(c.id));
      for (const c of all) {
        if (!('id' in c) || !c.id.startsWith(BLOCK_NODE_PREFIX)) continue;
        const blockId = c.id.slice(BLOCK_NODE_PREFIX.length);
        if (c.type === 'position' && c.position) get().moveBlock(blockId, c.position);
        else if (c.type === 'select') {
          if (c.selected) get().selectBlock(blockId, true);
          else if (get().selectedBlock === blockId) get().selectBlock(null);
        }
      }
      const removals = changes.filter((c) => c.type === 'remove');
      const rest = changes.filter((c) => c.type !== 'remove');
      if (rest.length) set({ nodes: applyNodeChanges(rest, get().nodes) });
      if (removals.length) {
        const ids = new Set(removals.map((c) => c.id));
        const s = get();
        commit(
          'Delete',
          s.nodes.filter((n) => !ids.has(n.id)),
          s.edges.filter((e) => !ids.has(e.source) && !ids.has(e.target)),
        );
      }
    },
    onEdgesChange(changes) {
      const removals = changes.filter((c) => c.type === 'remove');
      const rest = changes.filter((c) => c.type !== 'remove');
      if (rest.length) set({ edges: applyEdgeChanges(rest, get().edges) });
      if (removals.length) {
        const ids = new Set(removals.map((c) => c.id));
        const s = get();
        commit(
          'Delete connection',
          s.nodes,
          s.edges.filter((e) => !ids.has(e.id)),
        );
      }
    },
    beginMove() {
      const s = get();
      futureBeforeMove = s.future;
      set({
        past: [...s.past, { label: 'Move', snapshot: snapshotWithBlocks(s) }].slice(-HISTORY_LIMIT),
        future: [],
        lastCommit: null,
      });
    },
    endMove() {
      const s = get();
      const last = s.past[s.past.length - 1];
      // A click without movement is not an edit: drop the step recorded by beginMove.
      const moved =
        last?.label !== 'Move' ||
        last.snapshot.nodes.some((p) => {
          const n = s.nodes.find((x) => x.id === p.id);
          return (
            n &&
            (Math.abs(n.position.x - (p.position?.x ?? 0)) > 0.5 ||
              Math.abs(n.position.y - (p.position?.y ?? 0)) > 0.5)
          );
        });
      // A click must not cost the redo steps either: give back what beginMove cleared.
      if (moved) set({ revision: s.revision + 1 });
      else set({ past: s.past.slice(0, -1), future: futureBeforeMove ?? s.future });
      futureBeforeMove = null;
    },
    addNode(layerType, position) {
      const s = get();
      const id = freshId(layerType, new Set(s.nodes.map((n) => n.id)));
      const node: FlowNode = {
        id,
        type: 'layer',
        position,
        data: { layerType, params: defaultParams(layerType) },
        selected: true,
      };
      commit(
        `Add ${layerType}`,
        [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node],
        s.edges,
      );
      return id;
    },
    connect(source, target, handle) {
      const s = get();
      const graph = graphOf(s.nodes, s.edges);
      const problem = connectionProblem(graph, source, target, handle, s.inspection.outputShapes);
      if (problem) {
        get().notify(`Connection refused: ${problem}`, 'error');
        return problem;
      }
      const port = portForConnection(graph, target, handle);
      const id = freshId(`e_${source}_${target}_`, new Set(s.edges.map((e) => e.id)));
      commit('Connect', s.nodes, [
        ...s.edges,
        toFlowEdge({ id, source, target, ...(port !== undefined ? { port } : {}) }),
      ]);
      return null;
    },
    setParam(nodeId, name, value) {
      const s = get();
      const nodes = s.nodes.map((n) =>
        n.id === nodeId ? { ...n, data: { ...n.data, params: { ...n.data.params, [name]: value } } } : n,
      );
      commit(`Change ${name}`, nodes, s.edges, `param:${nodeId}:${name}`);
    },
    setTrainable(nodeId, trainable) {
      const s = get();
      const nodes = s.nodes.map((n) => {
        if (n.id !== nodeId) return n;
        const { trainable: _old, ...rest } = n.data.extra ?? {};
        const extra = trainable ? rest : { ...rest, trainable: false };
        return { ...n, data: { ...n.data, extra: Object.keys(extra).length ? extra : undefined } };
      });
      commit(trainable ? 'Unfreeze' : 'Freeze', nodes, s.edges);
    },
    insertPretrained(block, position) {
      const s = get();
      const ins = blockInsert(
        block,
        s.nodes.map((n) => n.id),
        s.edges.map((e) => e.id),
        position,
      );
      const nodes = [
        ...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)),
        ...ins.nodes.map((n) => toFlowNode(n, true)),
      ];
      const edges = [...s.edges, ...ins.edges.map((e) => toFlowEdge(e))];
      const startFrom = [...((s.meta.startFrom as unknown[] | undefined) ?? []), ins.startFrom];
      set({
        nodes,
        edges,
        inspection: inspect(nodes, edges, s.inspection),
        meta: { ...s.meta, startFrom },
        past: [
          ...s.past,
          { label: `Insert ${block.label}`, snapshot: snapshotWithBlocks(s), meta: s.meta },
        ].slice(-HISTORY_LIMIT),
        future: [],
        lastCommit: null,
        revision: s.revision + 1,
      });
      return ins.nodes.map((n) => n.id);
    },
    deleteSelection() {
      const s = get();
      const ids = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
      for (const id of s.blocks.find((b) => b.id === s.selectedBlock)?.nodes ?? []) ids.add(id);
      const edges = s.edges.filter((e) => !e.selected && !ids.has(e.source) && !ids.has(e.target));
      if (!ids.size && edges.length === s.edges.length) return;
      commit(
        'Delete',
        s.nodes.filter((n) => !ids.has(n.id)),
        edges,
      );
    },
    copySelection() {
      const s = get();
      const ids = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
      if (!ids.size) return;
      const snap = snapshotOf(
        s.nodes.filter((n) => ids.has(n.id)),
        s.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
      );
      set({ clipboard: snap });
      get().notify(`Copied ${ids.size} node${ids.size === 1 ? '' : 's'}.`);
    },
    paste(offset = { x: 40, y: 40 }) {
      const s = get();
      const clip = s.clipboard;
      if (!clip?.nodes.length) return;
      const taken = new Set(s.nodes.map((n) => n.id));
      const rename = new Map(clip.nodes.map((n) => [n.id, freshId(n.type, taken)]));
      const edgeIds = new Set(s.edges.map((e) => e.id));
      const pasted = clip.nodes.map((n) =>
        toFlowNode(
          {
            ...structuredClone(n),
            id: rename.get(n.id)!,
            position: { x: (n.position?.x ?? 0) + offset.x, y: (n.position?.y ?? 0) + offset.y },
          },
          true,
        ),
      );
      const pastedEdges = clip.edges.map((e) =>
        toFlowEdge({
          ...e,
          id: freshId(`e_${rename.get(e.source)}_${rename.get(e.target)}_`, edgeIds),
          source: rename.get(e.source)!,
          target: rename.get(e.target)!,
        }),
      );
      commit(
        'Paste',
        [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted],
        [...s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)), ...pastedEdges],
      );
      // Paste again lands further along, not on top of the previous copy.
      set({
        clipboard: {
          nodes: clip.nodes.map((n) => ({
            ...n,
            position: { x: (n.position?.x ?? 0) + offset.x, y: (n.position?.y ?? 0) + offset.y },
          })),
          edges: clip.edges,
        },
      });
    },
    duplicateSelection() {
      const keep = get().clipboard;
      get().copySelection();
      get().paste();
      set({ clipboard: keep, notice: null });
    },
    selectAll() {
      set({ nodes: get().nodes.map((n) => ({ ...n, selected: true })) });
    },
    selectOnly(nodeId) {
      set({
        nodes: get().nodes.map((n) =>
          n.selected !== (n.id === nodeId) ? { ...n, selected: n.id === nodeId } : n,
        ),
        edges: get().edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
      });
    },
    applyPositions(positions, label, blockPositions) {
      const s = get();
      commit(
        label,
        s.nodes.map((n) => (positions.has(n.id) ? { ...n, position: positions.get(n.id)! } : n)),
        s.edges,
        undefined,
        blockPositions?.size
          ? s.blocks.map((b) =>
              blockPositions.has(b.id) ? { ...b, position: blockPositions.get(b.id)! } : b,
            )
          : undefined,
      );
    },
    groupSelection(name) {
      const s = get();
      const title = name.trim();
      if (!title) return 'Give the block a name.';
      // A selected collapsed block brings all its nodes; the new block may hold whole blocks or sit
      // inside one (docs/ARCHITECTURE.md, "Blocks"), never take part of one.
      const ids = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
      for (const id of s.blocks.find((b) => b.id === s.selectedBlock)?.nodes ?? []) ids.add(id);
      if (!ids.size) return 'Select the nodes to group first.';
      for (const b of s.blocks) {
        const inside = b.nodes.reduce((k, id) => (ids.has(id) ? k + 1 : k), 0);
        if (inside === b.nodes.length && inside === ids.size)
          return `These nodes already make up block "${b.name}".`;
        if (inside && inside !== b.nodes.length && inside !== ids.size)
          return `The selection holds part of block "${b.name}": select all of it (its card, or every node in its frame) or only nodes inside it.`;
      }
      const picked = s.nodes.filter((n) => ids.has(n.id));
      const id = freshId('block', new Set(s.blocks.map((b) => b.id)));
      const block: ProjectBlock = {
        id,
        name: title,
        nodes: picked.map((n) => n.id),
        collapsed: true,
        position: topLeft(picked),
      };
      commit(
        `Group into block "${title}"`,
        s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)),
        s.edges,
        undefined,
        [...s.blocks, block],
      );
      set({ selectedBlock: id });
      return null;
    },
    setBlockCollapsed(blockId, collapsed) {
      const s = get();
      const block = s.blocks.find((b) => b.id === blockId);
      if (!block || !!block.collapsed === collapsed) return;
      const members = s.nodes.filter((n) => block.nodes.includes(n.id));
      const blocks = s.blocks.map((b) =>
        b.id === blockId ? { ...b, collapsed, ...(collapsed ? { position: topLeft(members) } : {}) } : b,
      );
      // Collapsed, the card is the selection: nodes hidden in it must never be deleted or copied unseen.
      commit(
        `${collapsed ? 'Collapse' : 'Expand'} block "${block.name}"`,
        collapsed ? s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)) : s.nodes,
        s.edges,
        undefined,
        blocks,
      );
      set({ selectedBlock: collapsed ? blockId : null });
    },
    ungroup(blockId) {
      const s = get();
      const block = s.blocks.find((b) => b.id === blockId);
      if (!block) return;
      commit(
        `Ungroup block "${block.name}"`,
        s.nodes,
        s.edges,
        undefined,
        s.blocks.filter((b) => b.id !== blockId),
      );
    },
    selectBlock(blockId, keepNodes) {
      const s = get();
      if (s.selectedBlock === blockId) return;
      set({
        selectedBlock: blockId,
        ...(blockId && !keepNodes
          ? { nodes: s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)) }
          : {}),
      });
    },
    moveBlock(blockId, position) {
      const s = get();
      const block = s.blocks.find((b) => b.id === blockId);
      if (!block) return;
      const from = block.position ?? topLeft(s.nodes.filter((n) => block.nodes.includes(n.id)));
      const dx = position.x - from.x;
      const dy = position.y - from.y;
      const members = new Set(block.nodes);
      const inside = (b: ProjectBlock) => b.id !== blockId && b.nodes.every((id) => members.has(id));
      set({
        blocks: s.blocks.map((b) =>
          b.id === blockId
            ? { ...b, position }
            : b.position && inside(b)
              ? { ...b, position: { x: b.position.x + dx, y: b.position.y + dy } }
              : b,
        ),
        nodes: s.nodes.map((n) =>
          members.has(n.id) ? { ...n, position: { x: n.position.x + dx, y: n.position.y + dy } } : n,
        ),
      });
    },
    connectionEnd(id, as) {
      const s = get();
      const block = s.blocks.find((b) => BLOCK_NODE_PREFIX + b.id === id);
      if (!block) return id;
      const ends = blockEnds(block, s.edges);
      return as === 'source' ? ends.exit : ends.entry;
    },
    blockContent(blockId) {
      const s = get();
      const block = s.blocks.find((b) => b.id === blockId);
      if (!block) return null;
      const members = new Set(block.nodes);
      const origin = topLeft(s.nodes.filter((n) => members.has(n.id)));
      const snap = snapshotOf(
        s.nodes.filter((n) => members.has(n.id)),
        s.edges.filter((e) => members.has(e.source) && members.has(e.target)),
      );
      const nested = s.blocks
        .filter((b) => b.id !== blockId && b.nodes.every((id) => members.has(id)))
        .map((b) => ({ name: b.name, nodes: b.nodes, collapsed: !!b.collapsed }));
      return {
        name: block.name,
        nodes: snap.nodes.map((n) => ({
          ...n,
          position: { x: (n.position?.x ?? 0) - origin.x, y: (n.position?.y ?? 0) - origin.y },
        })),
        edges: snap.edges,
        ...(nested.length ? { blocks: nested } : {}),
      };
    },
    insertBlock(saved, position) {
      const s = get();
      const taken = new Set(s.nodes.map((n) => n.id));
      const rename = new Map(saved.nodes.map((n) => [n.id, freshId(n.type, taken)]));
      const edgeIds = new Set(s.edges.map((e) => e.id));
      const nodes = saved.nodes.map((n) =>
        toFlowNode({
          ...structuredClone(n),
          id: rename.get(n.id)!,
          position: { x: (n.position?.x ?? 0) + position.x, y: (n.position?.y ?? 0) + position.y },
        }),
      );
      const edges = saved.edges
        .filter((e) => rename.has(e.source) && rename.has(e.target))
        .map((e) =>
          toFlowEdge({
            ...e,
            id: freshId(`e_${rename.get(e.source)}_${rename.get(e.target)}_`, edgeIds),
            source: rename.get(e.source)!,
            target: rename.get(e.target)!,
          }),
        );
      const blockIds = new Set(s.blocks.map((b) => b.id));
      const id = freshId('block', blockIds);
      const nested = (saved.blocks ?? []).map((b) => {
        const nestedId = freshId('block', blockIds);
        return {
          id: nestedId,
          name: b.name,
          nodes: b.nodes.map((n) => rename.get(n)!),
          collapsed: b.collapsed,
        };
      });
      commit(
        `Add block "${saved.name}"`,
        [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...nodes],
        [...s.edges, ...edges],
        undefined,
        [
          ...s.blocks,
          { id, name: saved.name, nodes: nodes.map((n) => n.id), collapsed: true, position },
          ...nested,
        ],
      );
      set({ selectedBlock: id });
      return id;
    },
    undo() {
      const s = get();
      const entry = s.past[s.past.length - 1];
      if (!entry) return;
      const current: HistoryEntry = { label: entry.label, snapshot: snapshotWithBlocks(s) };
      if (entry.meta) current.meta = s.meta;
      set({ past: s.past.slice(0, -1), future: [...s.future, current] });
      if (entry.meta) set({ meta: entry.meta });
      restore(entry.snapshot);
    },
    redo() {
      const s = get();
      const entry = s.future[s.future.length - 1];
      if (!entry) return;
      const current: HistoryEntry = { label: entry.label, snapshot: snapshotWithBlocks(s) };
      if (entry.meta) current.meta = s.meta;
      set({ future: s.future.slice(0, -1), past: [...s.past, current] });
      if (entry.meta) set({ meta: entry.meta });
      restore(entry.snapshot);
    },
  };
});

export const isDirty = (s: EditorState) => s.revision !== s.savedRevision;

/** The graph and its blocks, as an undo step records them. */
function snapshotWithBlocks(s: EditorState): GraphSnapshot {
  const snap = snapshotOf(s.nodes, s.edges);
  return s.blocks.length ? { ...snap, blocks: s.blocks } : snap;
}

/** The top-left corner of some nodes (where their block sits when collapsed). */
function topLeft(nodes: FlowNode[]): XYPosition {
  if (!nodes.length) return { x: 0, y: 0 };
  return {
    x: Math.min(...nodes.map((n) => n.position.x)),
    y: Math.min(...nodes.map((n) => n.position.y)),
  };
}

// The graph layout the editor and the importer share (elkjs, layered, top to bottom), so an imported
// graph opens looking as the editor's own Layout button would arrange it.
export const LAYERED_LAYOUT: Readonly<Record<string, string>> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.spacing.nodeNode': '40',
  'elk.layered.spacing.nodeNodeBetweenLayers': '56',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
};

/** A node's size when it has not been measured on screen (the editor's default card). */
export const DEFAULT_NODE_SIZE = { width: 190, height: 80 } as const;

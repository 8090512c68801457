// The user's saved blocks ("My blocks" in the palette), read from and saved through EngineApi so the
// host decides where they live (docs/ARCHITECTURE.md, "Blocks").
import { create } from 'zustand';
import type { UserBlock } from '../../../engine/api.ts';
import { engine, errorMessage } from '../engine/client.ts';
import { useEditor } from './editor-store.ts';

interface UserBlocksState {
  blocks: UserBlock[];
  loaded: boolean;
  refresh(): Promise<void>;
  /** Save a block of the canvas to the palette; says so (or why not) in the status line. */
  save(blockId: string): Promise<void>;
}

export const useUserBlocks = create<UserBlocksState>((set, get) => ({
  blocks: [],
  loaded: false,
  async refresh() {
    try {
      set({ blocks: await engine().listUserBlocks(), loaded: true });
    } catch {
      set({ loaded: true });
    }
  },
  async save(blockId) {
    const editor = useEditor.getState();
    const content = editor.blockContent(blockId);
    if (!content) return;
    try {
      await engine().saveUserBlock(content);
      await get().refresh();
      editor.notify(`Saved block "${content.name}" to My blocks.`);
    } catch (err) {
      editor.notify(`The block was not saved: ${errorMessage(err)}`, 'error');
    }
  },
}));

// The user's palette of saved blocks ("My blocks", docs/ARCHITECTURE.md "Blocks"): one JSON file per
// block in a per-user folder the host chooses (web mode: the workspace's .netwright/blocks; the
// desktop app: its userData folder), so a block saved in one project can be used in any other.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EngineError, type UserBlock } from '../api.ts';
import { edgeSchema, nodeSchema } from './schema.ts';
import { writeFileAtomic } from './files.ts';

const BLOCK_EXTENSION = '.block.json';
/** Blocks kept per user: a palette section, not a library. */
const MAX_USER_BLOCKS = 500;

const userBlockSchema = z.object({
  name: z.string().trim().min(1, 'a block needs a name').max(200),
  nodes: z.array(nodeSchema).min(1, 'a block holds at least one node').max(10000),
  edges: z.array(edgeSchema).max(40000),
  blocks: z
    .array(
      z.object({
        name: z.string().trim().min(1, 'a block needs a name').max(200),
        nodes: z.array(z.string().min(1).max(200)).min(1).max(10000),
        collapsed: z.boolean().optional(),
      }),
    )
    .max(1000)
    .optional(),
  savedAt: z.string().max(100).optional(),
});

/** A file name for a block's name: letters and digits kept, the rest one "-", so any name is safe. */
function fileNameOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .toLowerCase();
  const hash = [...name].reduce((h, c) => (h * 31 + c.codePointAt(0)!) >>> 0, 7).toString(36);
  return `${slug || 'block'}-${hash}${BLOCK_EXTENSION}`;
}

export async function listUserBlocks(dir: string): Promise<UserBlock[]> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith(BLOCK_EXTENSION));
  } catch {
    return [];
  }
  const blocks: UserBlock[] = [];
  for (const name of names.slice(0, MAX_USER_BLOCKS)) {
    try {
      const parsed = userBlockSchema.safeParse(JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')));
      // A file that is not a block (edited by hand, from another tool) is left out, not fatal.
      if (parsed.success) blocks.push(parsed.data as UserBlock);
    } catch {
      continue;
    }
  }
  return blocks.sort((a, b) => a.name.localeCompare(b.name));
}

export async function saveUserBlock(dir: string, block: UserBlock): Promise<void> {
  const parsed = userBlockSchema.safeParse(block);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EngineError({
      code: 'invalid',
      message: `The block can't be saved: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}.`,
    });
  }
  const ids = new Set(parsed.data.nodes.map((n) => n.id));
  const loose = parsed.data.edges.find((e) => !ids.has(e.source) || !ids.has(e.target));
  if (loose)
    throw new EngineError({
      code: 'invalid',
      message: `The block can't be saved: its edge "${loose.id}" leads outside the block.`,
    });
  const stray = parsed.data.blocks?.find((b) => b.nodes.some((id) => !ids.has(id)));
  if (stray)
    throw new EngineError({
      code: 'invalid',
      message: `The block can't be saved: the block "${stray.name}" inside it holds a node outside it.`,
    });
  await fs.mkdir(dir, { recursive: true });
  const record = { ...parsed.data, savedAt: new Date().toISOString() };
  await writeFileAtomic(
    path.join(dir, fileNameOf(parsed.data.name)),
    JSON.stringify(record, null, 2) + '\n',
    {
      backup: false,
    },
  );
}

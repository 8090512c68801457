// The data preview of a CSV too large to read whole: a table of its first rows, read with bounded
// bytes (a few MB whatever the file's size), and the file's row count estimated from the bytes per
// row seen. Its statistics describe those rows only, and the preview says so.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { decodeCsvBytes, parseCsvText, type Table } from '../table.ts';

/** Bytes read from the start of the file. */
export const PREVIEW_HEAD_BYTES = 1 << 20;

export interface SampledTable {
  table: Table;
  /** The file's data rows, estimated from its size and the head's bytes per row. */
  estimatedRows: number;
  fileBytes: number;
}

export async function sampledCsvTable(file: string, header?: boolean): Promise<SampledTable> {
  const name = path.basename(file);
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(Math.min(PREVIEW_HEAD_BYTES, size));
    await handle.read(head, 0, head.length, 0);
    // Cut at the last line break: the read may end inside a row (or a multi-byte character).
    const end = head.lastIndexOf(0x0a);
    const bytes = end >= 0 ? head.subarray(0, end + 1) : head;
    const table = parseCsvText(decodeCsvBytes(bytes, name, file), name, header);
    return {
      table,
      estimatedRows: Math.max(table.rows.length, Math.round((size / bytes.length) * table.rows.length)),
      fileBytes: size,
    };
  } finally {
    await handle.close();
  }
}

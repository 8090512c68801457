// A CSV file read as a stream of row chunks, so files of any size are parsed with bounded memory:
// the same decoding, delimiter, header and row rules as the in-memory reader (engine/data/table.ts),
// applied chunk by chunk. Rows are numbered as there (the file's line of the row, header = line 1).
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { detectDelimiter } from '../csv-delimiter.ts';
import { detectHeader, tableRow, uniqueNames, utf16Encoding } from '../table.ts';
import { DataError } from '../types.ts';

export interface CsvHead {
  /** File name, for messages. */
  name: string;
  columns: string[];
  hasHeader: boolean;
  delimiter: string;
}

/** Rows of one chunk: cells (missing = null) and each row's line number. */
export type RowsHandler = (rows: (string | null)[][], lines: number[]) => void;

/** Bytes looked at to choose the encoding and the delimiter. */
const HEAD_BYTES = 65536;
/** Rows looked at (besides the first) to tell a header row from data, as the in-memory reader does. */
const HEADER_SAMPLE_ROWS = 200;

async function readHead(file: string, name: string): Promise<{ bytes: Uint8Array; size: number }> {
  let handle: fs.FileHandle;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new DataError(`${name} is not a file.`, 'unreadable', { file });
    handle = await fs.open(file, 'r');
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`The data file ${name} does not exist or cannot be read.`, 'unreadable', { file });
  }
  try {
    const { size } = await handle.stat();
    const buf = new Uint8Array(Math.min(HEAD_BYTES, size));
    await handle.read(buf, 0, buf.length, 0);
    return { bytes: buf, size };
  } finally {
    await handle.close();
  }
}

/** The file's text, decoded strictly (invalid bytes are refused, never turned into U+FFFD). */
async function* decodedText(
  file: string,
  encoding: string,
  name: string,
  beforeRead?: () => Promise<void>,
): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  const notText = () =>
    new DataError(
      `${name} is not ${encoding === 'utf-8' ? 'UTF-8' : 'UTF-16'} text; save it as "CSV UTF-8" (in a spreadsheet: Save As → CSV UTF-8) and try again.`,
      'unreadable',
      { file: name },
    );
  let first = true;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    await beforeRead?.();
    let text: string;
    try {
      text = decoder.decode(chunk as Buffer, { stream: true });
    } catch {
      throw notText();
    }
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    if (text) yield text;
  }
  let tail: string;
  try {
    tail = decoder.decode();
  } catch {
    throw notText();
  }
  if (tail) yield tail;
}

/**
 * Reads `file` chunk by chunk: `onHead` once the header is known, then `onRows` for each chunk of
 * data rows (synchronously: the next chunk is parsed after it returns). Resolves to the number of
 * data rows; rejects with the first DataError (or whatever a handler threw), or the signal's reason
 * once it is aborted (a run cancelled while its data loads). `beforeRead`, awaited before each
 * further megabyte of the file is parsed, lets a consumer slower than parsing (predicting each
 * chunk) hold the reading back, so no more than a megabyte of rows waits for it.
 */
export async function streamCsv(
  file: string,
  header: boolean | undefined,
  onHead: (head: CsvHead) => void,
  onRows: RowsHandler,
  signal?: AbortSignal,
  beforeRead?: () => Promise<void>,
): Promise<number> {
  const name = path.basename(file);
  const { bytes } = await readHead(file, name);
  const utf16 = utf16Encoding(bytes);
  if (utf16 === 'utf-16be')
    throw new DataError(
      `${name} is UTF-16 (big-endian) text, which Netwright reads only from files it can hold in memory; save it as "CSV UTF-8" and try again.`,
      'unreadable',
      { file: name },
    );
  if (!utf16 && bytes.includes(0))
    throw new DataError(
      `${name} looks like a binary file, not CSV text; choose a comma-separated text file.`,
      'unreadable',
      { file: name },
    );
  const encoding = utf16 ?? 'utf-8';
  // The head may end inside a character: decode leniently, it only picks the delimiter.
  let headText = new TextDecoder(encoding).decode(bytes);
  if (headText.charCodeAt(0) === 0xfeff) headText = headText.slice(1);
  if (headText.trim() === '') throw new DataError(`${name} is empty.`, 'invalid', { file: name });
  const delimiter = detectDelimiter(headText.slice(0, headText.lastIndexOf('\n') + 1) || headText);

  let head: CsvHead | null = null;
  /** Rows read before the header could be judged. */
  let pending: { cells: string[]; line: number }[] = [];
  let lineBase = 0;
  let dataRows = 0;

  const emit = (raw: { cells: string[]; line: number }[]) => {
    if (!head || raw.length === 0) return;
    const h = head;
    const rows = raw.map((r) => tableRow(r.cells, r.line, h.columns, h.hasHeader, name));
    dataRows += rows.length;
    onRows(
      rows,
      raw.map((r) => r.line),
    );
  };
  const judgeHeader = () => {
    const hasHeader = header ?? detectHeader(pending.map((r) => r.cells));
    const first = pending[0].cells;
    head = {
      name,
      columns: hasHeader ? uniqueNames(first) : first.map((_, i) => `column${i + 1}`),
      hasHeader,
      delimiter,
    };
    onHead(head);
    const body = hasHeader ? pending.slice(1) : pending;
    pending = [];
    emit(body);
  };

  await new Promise<void>((resolve, reject) => {
    let failed = false;
    Papa.parse<string[]>(Readable.from(decodedText(file, encoding, name, beforeRead)) as unknown as File, {
      delimiter,
      skipEmptyLines: false,
      chunk(results, parser) {
        if (failed) return;
        try {
          signal?.throwIfAborted();
          const fatal = results.errors.find((e) => e.type === 'Quotes');
          if (fatal) {
            const line = lineBase + (fatal.row ?? 0) + 1;
            throw new DataError(`${name} row ${line} has a quote that is never closed.`, 'unreadable', {
              file: name,
              row: line,
            });
          }
          const raw: { cells: string[]; line: number }[] = [];
          results.data.forEach((cells, i) => {
            if (cells.length === 1 && cells[0].trim() === '') return; // blank line
            raw.push({ cells, line: lineBase + i + 1 });
          });
          lineBase += results.data.length;
          if (head) emit(raw);
          else {
            for (const r of raw) pending.push(r);
            if (pending.length > HEADER_SAMPLE_ROWS) judgeHeader();
          }
        } catch (err) {
          failed = true;
          parser.abort();
          reject(err);
        }
      },
      complete() {
        if (failed) return;
        try {
          if (!head) {
            if (pending.length === 0) throw new DataError(`${name} is empty.`, 'invalid', { file: name });
            judgeHeader();
          }
          resolve();
        } catch (err) {
          reject(err);
        }
      },
      error(err: Error) {
        if (failed) return;
        failed = true;
        reject(err instanceof DataError ? err : new DataError(`${name} could not be read.`, 'unreadable'));
      },
    });
  });
  if (dataRows === 0)
    throw new DataError(`${name} has a header row but no data rows.`, 'invalid', { file: name });
  return dataRows;
}

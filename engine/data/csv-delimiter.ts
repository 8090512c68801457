// Which character separates the cells of a CSV file. Papaparse's own guess prefers "," when a
// semicolon file has decimal commas ("21,5;1013,2"), so the candidates are tried on the first lines:
// the delimiter that gives every line the header's number of cells (two or more) wins; "" (papaparse's
// guess) when none does, so that ragged files still get their row-by-row message.
import Papa from 'papaparse';

const CANDIDATES = [',', ';', '\t', '|'];
const SAMPLE_LINES = 50;

export function detectDelimiter(text: string): string {
  const consistent = CANDIDATES.filter((delimiter) => {
    const rows = Papa.parse<string[]>(text, { delimiter, preview: SAMPLE_LINES, skipEmptyLines: true }).data;
    const width = rows[0]?.length ?? 0;
    return width >= 2 && rows.every((r) => r.length === width);
  });
  return consistent.length === 1 ? consistent[0] : '';
}

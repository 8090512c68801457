// Real-world number formats in CSV files (#13): thousands separators and decimal commas are read per
// column when only one reading fits, by the file's convention (another column, else the ";" or ","
// delimiter) when both fit with different values, and left as text with a warning when nothing says
// which. Then the same through the real CLI: a semicolon file with decimal commas trains, and predict
// reads a file written that way exactly as the same rows written plainly.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../../engine/data/table.ts';
import { commaReadingOfPlain, parseWithMark } from '../../engine/data/number-format.ts';
import { mulberry32 } from '../../engine/random.ts';
import { netwright } from '../cli/run-cli.ts';

const column = (text: string, name: string) => {
  const t = parseCsvText(text, 'data.csv');
  const c = t.columns.indexOf(name);
  return { values: t.rows.map((r) => r[c]), notes: t.notes ?? [] };
};

describe('number formats per column', () => {
  it('reads decimal commas in a semicolon file', () => {
    const { values, notes } = column('a;b\n1,5;x\n2,25;y\n-0,75;z\n', 'a');
    expect(values).toEqual(['1.5', '2.25', '-0.75']);
    expect(notes).toEqual(['Column "a" is read as numbers with a decimal comma (e.g. "1,5").']);
  });

  it('reads thousands separators with a decimal point, and with a decimal comma', () => {
    expect(column('price,qty\n"1,234.5",1\n"12,000.75",2\n', 'price').values).toEqual(['1234.5', '12000.75']);
    expect(column('price;qty\n1.234,5;1\n12.000,75;2\n', 'price').values).toEqual(['1234.5', '12000.75']);
    expect(column('price;qty\n1 234,5;1\n12 000;2\n', 'price').values).toEqual(['1234.5', '12000']);
  });

  it('settles "1.234" by the file: another column with decimal commas, else the delimiter', () => {
    expect(column('a\tb\n1,5\t1.234\n2,5\t2.500\n', 'b').values).toEqual(['1234', '2500']);
    expect(column('b;c\n1.234;x\n2.500;y\n', 'b').values).toEqual(['1234', '2500']);
    expect(column('b,c\n1.234,x\n2.500,y\n', 'b').values).toEqual(['1.234', '2.500']);
  });

  it('leaves ambiguous numbers as text with a sentence naming the column when nothing says which', () => {
    const { values, notes } = column('b\tc\n1,234\tx\n5,678\ty\n', 'b');
    expect(values).toEqual(['1,234', '5,678']);
    expect(notes).toEqual([
      'Column "b" holds numbers like "1,234" that read differently with a decimal point and with a decimal comma, and nothing else in the file says which; it is treated as text (write the numbers without thousands separators).',
    ]);
  });

  it('leaves plain numbers, dates and text alone, without notes', () => {
    const t = parseCsvText('a,b,c\n1.5,2020-01-03,red\n-2e3,2020-01-04,blue\n', 'data.csv');
    expect(t.rows).toEqual([
      ['1.5', '2020-01-03', 'red'],
      ['-2e3', '2020-01-04', 'blue'],
    ]);
    expect(t.notes).toEqual([]);
  });
});

describe('the fast reading of plain numbers with a decimal comma', () => {
  it('equals the regular-expression reading on every kind of plain number', () => {
    // Cells of the shape PLAIN accepts: sign, digits, one ".", an exponent, in every combination.
    const rng = mulberry32(9);
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rng() * 10)).join('');
    const cells = [
      '0',
      '7',
      '.5',
      '5.',
      '1.234',
      '12.345',
      '123.456',
      '1234.567',
      '1.23',
      '1.2345',
      '-1.234',
      '+12.345e3',
      '1.234E-2',
      '999.999e308',
      '-0.000',
    ];
    for (let i = 0; i < 20_000; i++) {
      const sign = ['', '-', '+'][Math.floor(rng() * 3)];
      const before = digits(Math.floor(rng() * 5));
      const dot = rng() < 0.8 ? '.' : '';
      const after = dot ? digits(Math.floor(rng() * 5)) : '';
      const exp =
        rng() < 0.2
          ? `${rng() < 0.5 ? 'e' : 'E'}${['', '-', '+'][Math.floor(rng() * 3)]}${digits(1 + Math.floor(rng() * 3))}`
          : '';
      const cell = `${sign}${before}${dot}${after}${exp}`;
      if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell)) cells.push(cell);
    }
    expect(cells.length).toBeGreaterThan(10_000);
    const differ = cells.filter((c) => !Object.is(commaReadingOfPlain(c), parseWithMark(c, ',')));
    expect(differ).toEqual([]);
  });
});

describe('through the CLI', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nw-number-format-'));
  const rows = Array.from({ length: 60 }, (_, i) => {
    const t = 15 + ((i * 7) % 15) + 0.5;
    const revenue = 1000 + ((i * 7919) % 90000) + 0.25;
    return { t, revenue, quality: t < 22 ? 'ok' : 'bad' };
  });
  const eu = (v: number) => {
    const [int, dec] = v.toFixed(2).split('.');
    return `${int.replace(/\B(?=(\d{3})+$)/g, '.')},${dec}`;
  };
  const graph = {
    nodes: [
      { id: 'in', type: 'Input', params: { shape: [2] } },
      { id: 'd', type: 'Dense', params: { units: 2, activation: 'softmax' } },
      { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
    ],
    edges: [
      { id: 'a', source: 'in', target: 'd' },
      { id: 'b', source: 'd', target: 'out' },
    ],
  };

  it('trains on a semicolon file with decimal commas and says how each column was read', async () => {
    writeFileSync(
      path.join(dir, 'plant.csv'),
      'temperature;revenue;quality\n' +
        rows.map((r) => `${eu(r.t)};${eu(r.revenue)};${r.quality}`).join('\n') +
        '\n',
    );
    const project = path.join(dir, 'plant.netwright.json');
    writeFileSync(
      project,
      JSON.stringify({
        format: 'netwright',
        version: 1,
        name: 'Plant',
        graph,
        data: { source: 'csv:plant.csv', target: 'quality' },
      }),
    );
    const run = path.join(dir, 'run');
    const r = await netwright('train', project, '--out', run, '--epochs', '1', '--backend', 'js');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^warning: Column "temperature" is read as numbers with a decimal comma \(e\.g\. "15,50"\)\.$/m,
    );
    expect(r.stderr).toMatch(
      /^warning: Column "revenue" is read as numbers with a decimal comma and thousands separators/m,
    );

    writeFileSync(path.join(dir, 'eu-rows.csv'), 'temperature;revenue\n16,25;1.234,50\n27,00;45.000,00\n');
    writeFileSync(path.join(dir, 'plain-rows.csv'), 'temperature,revenue\n16.25,1234.5\n27,45000\n');
    const a = await netwright('predict', run, path.join(dir, 'eu-rows.csv'), '--json', '--backend', 'js');
    const b = await netwright('predict', run, path.join(dir, 'plain-rows.csv'), '--json', '--backend', 'js');
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(b.stdout));
  });

  it('a refusal for lack of features names each column left out and why', async () => {
    writeFileSync(
      path.join(dir, 'ids.csv'),
      'id;label\n' + rows.map((r, i) => `item-${i};${r.quality}`).join('\n') + '\n',
    );
    const project = path.join(dir, 'ids.netwright.json');
    writeFileSync(
      project,
      JSON.stringify({
        format: 'netwright',
        version: 1,
        name: 'Ids',
        graph,
        data: { source: 'csv:ids.csv', target: 'label' },
      }),
    );
    const r = await netwright(
      'train',
      project,
      '--out',
      path.join(dir, 'ids-run'),
      '--epochs',
      '1',
      '--backend',
      'js',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /ids\.csv has no usable feature columns besides the target "label": column "id" is left out because it has 60 different text values/,
    );
  });
});

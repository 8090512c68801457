// Bad input through the real CLI: every case gets a clear sentence on stderr and a non-zero exit,
// never a stack trace, never a hang, never a written (let alone half-written) file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { STACK_TRACE, listTree, runCli, type CliResult } from './helpers/cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-badcli-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const valid = () => ({
  format: 'netwright',
  version: 1,
  name: 'T',
  graph: {
    nodes: [
      { id: 'in', type: 'Input', params: { shape: [2] } },
      { id: 'd', type: 'Dense', params: { units: 1 } },
      { id: 'out', type: 'Output', params: { loss: 'meanSquaredError' } },
    ],
    edges: [
      { id: 'e1', source: 'in', target: 'd' },
      { id: 'e2', source: 'd', target: 'out' },
    ],
  },
  data: { source: 'csv:data.csv', target: 'y', testSplit: 0.2 },
  training: { epochs: 1, batchSize: 4, seed: 1 },
});

function expectCleanFailure(r: CliResult, exit: number | number[], message: RegExp): void {
  const context = `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
  expect(r.timedOut, context).toBe(false);
  expect(r.signal, context).toBeNull();
  if (Array.isArray(exit)) expect(exit, context).toContain(r.code);
  else expect(r.code, context).toBe(exit);
  expect(r.stderr, context).toMatch(message);
  expect(r.stderr + r.stdout, context).not.toMatch(STACK_TRACE);
  expect(r.stderr, context).not.toMatch(/internal error|unknown command/i);
  // The last line is the summary sentence: "netwright: <one sentence>."
  const last = r.stderr.trim().split('\n').pop() ?? '';
  expect(last, context).toMatch(/^(netwright|error): .+[.)]$/);
}

/** Write `content` as a project, run `inspect` on it, and prove the folder was left untouched. */
async function inspectCase(
  name: string,
  content: string | Uint8Array,
  timeoutMs?: number,
): Promise<CliResult> {
  const caseDir = path.join(dir, name);
  await fs.mkdir(caseDir, { recursive: true });
  const file = path.join(caseDir, 'p.netwright.json');
  await fs.writeFile(file, content);
  const before = await listTree(caseDir);
  const r = await runCli(['inspect', file], { timeoutMs });
  expect(await listTree(caseDir)).toEqual(before);
  expect(Buffer.compare(await fs.readFile(file), Buffer.from(content))).toBe(0);
  return r;
}

describe('netwright inspect on bad project files', () => {
  it('malformed JSON: exit 2, says so', async () => {
    const r = await inspectCase('malformed', '{"format": "netwright", "version": 1, "graph": {');
    expectCleanFailure(r, 2, /is not valid JSON/);
  });

  it('an empty file: exit 2', async () => {
    expectCleanFailure(await inspectCase('empty', ''), 2, /not valid JSON/);
  });

  it('wrong types: names the node and the parameter', async () => {
    const p = valid();
    (p.graph.nodes[1].params as Record<string, unknown>).units = 'sixteen';
    const r = await inspectCase('wrong-type', JSON.stringify(p));
    expectCleanFailure(r, 1, /d: Dense: "units" must be a whole number/);
  });

  it('wrong types in the document structure: JSON path of the field', async () => {
    const p = valid() as Record<string, unknown>;
    (p.graph as Record<string, unknown>).edges = 'e1';
    expectCleanFailure(
      await inspectCase('wrong-structure', JSON.stringify(p)),
      1,
      /graph\.edges: .*expected array/,
    );
  });

  it('huge numbers: says the limit', async () => {
    const p = valid();
    p.graph.nodes[0].params = { shape: [1e308] } as never;
    (p.graph.nodes[1].params as Record<string, unknown>).units = 1e300;
    const r = await inspectCase('huge', JSON.stringify(p));
    expectCleanFailure(r, 1, /"shape" sizes must be at most 2,147,483,647/);
    expect(r.stderr).toMatch(/"units" must be at most/);
    expect(r.stdout).not.toMatch(/Infinity|NaN/);
  });

  it('numbers JSON cannot hold (1e999): refused as a non-finite value', async () => {
    const text = JSON.stringify(valid()).replace('"units":1', '"units":1e999');
    expectCleanFailure(await inspectCase('infinite', text), 1, /graph\.nodes\[1\]\.params\.units/);
  });

  it('missing fields: names the field', async () => {
    const p = valid() as Record<string, unknown>;
    delete p.graph;
    expectCleanFailure(
      await inspectCase('missing', JSON.stringify(p)),
      1,
      /graph: "graph" is missing; it must be an object/,
    );
  });

  it('not a project at all (format) and a newer version', async () => {
    expectCleanFailure(
      await inspectCase('format', JSON.stringify({ hello: 1 })),
      1,
      /"format" must be "netwright"/,
    );
    const p = { ...valid(), version: 99 };
    expectCleanFailure(
      await inspectCase('newer', JSON.stringify(p)),
      [1, 2],
      /newer Netwright \(format version 99\)/,
    );
  });

  it('unknown layer type: names the node and the type', async () => {
    const p = valid();
    p.graph.nodes[1].type = 'Conv9D';
    expectCleanFailure(
      await inspectCase('unknown-type', JSON.stringify(p)),
      1,
      /d: Unknown layer type "Conv9D"/,
    );
  });

  it('duplicate node ids', async () => {
    const p = valid();
    p.graph.nodes[1].id = 'in';
    expectCleanFailure(
      await inspectCase('dup-ids', JSON.stringify(p)),
      1,
      /Node id "in" is used more than once/,
    );
  });

  it('edges to missing nodes', async () => {
    const p = valid();
    p.graph.edges.push({ id: 'e3', source: 'd', target: 'ghost' });
    expectCleanFailure(
      await inspectCase('dangling', JSON.stringify(p)),
      1,
      /Edge "e3" ends at node "ghost", which does not exist/,
    );
  });

  it('a million-node file answers within a minute with the 100,000-node limit', async () => {
    const nodes = Array.from({ length: 1_000_000 }, (_, i) => ({
      id: `n${i}`,
      type: 'Dense',
      params: { units: 4 },
    }));
    const text = JSON.stringify({ format: 'netwright', version: 1, graph: { nodes, edges: [] } });
    const r = await inspectCase('million', text, 60_000);
    expectCleanFailure(r, 1, /graph\.nodes: a graph may hold at most 100,000 nodes/);
  });

  it('a file over the 64 MB project limit is refused before it is read', async () => {
    const caseDir = path.join(dir, 'too-big');
    await fs.mkdir(caseDir);
    const file = path.join(caseDir, 'p.netwright.json');
    await fs.writeFile(file, '');
    await fs.truncate(file, 65 * 1024 * 1024); // sparse: costs no disk
    expectCleanFailure(await runCli(['inspect', file]), 2, /project files are limited to 64 MB/);
  });

  it('binary junk and non-UTF-8 text: exit 2, says it is not UTF-8', async () => {
    const junk = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256);
    expectCleanFailure(await inspectCase('binary', junk), 2, /is not UTF-8 text/);
    const latin1 = Buffer.from(JSON.stringify({ ...valid(), name: 'Caf\u00e9' }), 'latin1');
    expectCleanFailure(await inspectCase('latin1', latin1), 2, /is not UTF-8 text/);
  });

  it('a missing file, a folder: exit 2', async () => {
    expectCleanFailure(await runCli(['inspect', path.join(dir, 'nope.netwright.json')]), 2, /Cannot find/);
    expectCleanFailure(await runCli(['inspect', dir]), 2, /is a folder, not a project file/);
  });
});

// ---------- training inputs: need `netwright train` (training engineer) ----------

/** A folder with a project whose data is `csv:data.csv` (or `source`), and `files` beside it. */
async function trainCase(
  name: string,
  files: Record<string, string | Uint8Array>,
  source = 'csv:data.csv',
  project = valid(),
): Promise<{ caseDir: string; r: CliResult; out: string }> {
  const caseDir = path.join(dir, 'train', name);
  await fs.mkdir(caseDir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(caseDir, rel)), { recursive: true });
    await fs.writeFile(path.join(caseDir, rel), content);
  }
  project.data = { ...project.data, source };
  const file = path.join(caseDir, 'p.netwright.json');
  await fs.writeFile(file, JSON.stringify(project));
  const out = path.join(caseDir, 'run');
  const r = await runCli(['train', file, '--out', out, '--epochs', '1', '--backend', 'js'], {
    timeoutMs: 90_000,
  });
  return { caseDir, r, out };
}

/** A failed run leaves no run folder, or one whose every JSON file parses and says "failed". */
async function expectNoHalfWrittenRun(out: string): Promise<void> {
  const exists = await fs.stat(out).then(
    () => true,
    () => false,
  );
  if (!exists) return;
  for (const rel of await listTree(out)) {
    if (rel.endsWith('.json')) JSON.parse(await fs.readFile(path.join(out, rel), 'utf8')); // throws on a torn file
  }
  const info = JSON.parse(await fs.readFile(path.join(out, 'run.json'), 'utf8')) as {
    status: string;
    message?: string;
  };
  expect(info.status).toBe('failed');
  expect(info.message).toBeTruthy();
}

describe('netwright train on bad data', () => {
  it('a data path outside the project folder is refused', async () => {
    const { r, out } = await trainCase('outside', {}, 'csv:../../../../../../etc/passwd');
    expectCleanFailure(r, 1, /points outside the project's folder/);
    await expectNoHalfWrittenRun(out);
  });

  it('binary junk where a CSV should be', async () => {
    const junk = Uint8Array.from({ length: 2048 }, (_, i) => (i * 31) % 256);
    const { r, out } = await trainCase('binary-csv', { 'data.csv': junk });
    expectCleanFailure(r, 2, /data\.csv looks like a binary file/);
    await expectNoHalfWrittenRun(out);
  });

  it('non-UTF-8 CSV text', async () => {
    const { r, out } = await trainCase('latin1-csv', {
      'data.csv': Buffer.from('a,b,y\n1,2,caf\u00e9\n3,4,th\u00e9\n', 'latin1'),
    });
    expectCleanFailure(r, 2, /data\.csv is not UTF-8 text/);
    await expectNoHalfWrittenRun(out);
  });

  it('a CSV over the streaming threshold that is not text is refused from its first bytes', async () => {
    const caseDir = path.join(dir, 'train', 'huge-csv');
    await fs.mkdir(caseDir, { recursive: true });
    const csv = path.join(caseDir, 'data.csv');
    await fs.writeFile(csv, 'a,b,y\n');
    await fs.truncate(csv, 101 * 1024 * 1024); // sparse
    const { r, out } = await trainCase('huge-csv', {});
    expectCleanFailure(r, 2, /data\.csv looks like a binary file/);
    await expectNoHalfWrittenRun(out);
  });

  // Exit codes follow what the problem is, not the words of its message: a column whose name reads
  // like a file error is still a wrong value in the project (1), a missing data file is unreadable (2).
  it('exit 1 for data that was read but is wrong, exit 2 for data that cannot be read', async () => {
    const p = valid();
    p.data.target = 'file not found';
    const wrong = await trainCase('odd-column', { 'data.csv': 'a,b,y\n1,2,3\n4,5,6\n' }, 'csv:data.csv', p);
    expectCleanFailure(wrong.r, 1, /data\.target names "file not found", which is not a column of data\.csv/);
    await expectNoHalfWrittenRun(wrong.out);
    const missing = await trainCase('missing-csv', {}, 'csv:absent.csv');
    expectCleanFailure(missing.r, 2, /absent\.csv does not exist or cannot be read/);
    await expectNoHalfWrittenRun(missing.out);
  });

  it('binary junk where an image should be names the file', async () => {
    const p = valid();
    p.graph.nodes[0].params = { shape: [8, 8, 1] } as never;
    p.graph.nodes.splice(1, 0, { id: 'f', type: 'Flatten', params: {} } as never);
    p.graph.edges = [
      { id: 'e0', source: 'in', target: 'f' },
      { id: 'e1', source: 'f', target: 'd' },
      { id: 'e2', source: 'd', target: 'out' },
    ];
    p.graph.nodes[2].params = { units: 2, activation: 'softmax' } as never;
    p.graph.nodes[3].params = { loss: 'categoricalCrossentropy' } as never;
    const png = new PNG({ width: 8, height: 8 });
    png.data.fill(128);
    const good = PNG.sync.write(png);
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 4; i++) {
      files[`img/cat/${i}.png`] = good;
      files[`img/dog/${i}.png`] = good;
    }
    files['img/dog/broken.png'] = Uint8Array.from({ length: 300 }, (_, i) => (i * 13) % 256);
    const { r, out } = await trainCase('junk-image', files, 'images:img', p);
    expectCleanFailure(r, 2, /broken\.png (is not a PNG or JPEG file|cannot be decoded)/);
    await expectNoHalfWrittenRun(out);
  });
});

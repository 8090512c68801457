// `netwright inspect` run as a real child process on project files in a temp folder: every invalid
// graph exits 1 with a diagnostic on the right node; unreadable files exit 2 with one sentence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { netwright, type CliRun as Run } from './run-cli.ts';

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nw-inspect-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const runCli = (args: string[]): Promise<Run> => netwright(...args);

type N = [id: string, type: string, params?: Record<string, unknown>];
type E = [source: string, target: string, port?: number];

function project(nodes: N[], edges: E[]): string {
  return JSON.stringify({
    format: 'netwright',
    version: 1,
    name: 'test',
    graph: {
      nodes: nodes.map(([id, type, params]) => ({ id, type, params: params ?? {} })),
      edges: edges.map(([source, target, port], i) => ({
        id: `e${i}`,
        source,
        target,
        ...(port === undefined ? {} : { targetPort: port }),
      })),
    },
  });
}

async function inspectJson(name: string, text: string) {
  const file = path.join(dir, `${name}.netwright.json`);
  await writeFile(file, text);
  const run = await runCli(['inspect', file, '--json']);
  return { run, json: run.stdout ? JSON.parse(run.stdout) : null };
}

const OUT: N = ['out', 'Output', { loss: 'meanSquaredError' }];

// [case, nodes, edges, node id expected on an error diagnostic (null = the whole graph), message pattern]
const INVALID: [string, N[], E[], string | null, RegExp][] = [
  [
    'a cycle',
    [
      ['in', 'Input', { shape: [4] }],
      ['add', 'Add'],
      ['d1', 'Dense', { units: 4 }],
      ['d2', 'Dense', { units: 4 }],
      OUT,
    ],
    [
      ['in', 'add', 0],
      ['d2', 'add', 1],
      ['add', 'd1'],
      ['d1', 'd2'],
      ['d1', 'out'],
    ],
    'add',
    /cycle/,
  ],
  [
    'an unconnected layer input',
    [['in', 'Input', { shape: [4] }], ['d1', 'Dense', { units: 2 }], OUT],
    [['d1', 'out']],
    'd1',
    /has no input; connect/,
  ],
  [
    'two inputs into a Dense',
    [['a', 'Input', { shape: [4] }], ['b', 'Input', { shape: [4] }], ['d1', 'Dense', { units: 2 }], OUT],
    [
      ['a', 'd1'],
      ['b', 'd1'],
      ['d1', 'out'],
    ],
    'd1',
    /takes exactly 1 input but has 2/,
  ],
  [
    'one input into an Add',
    [['in', 'Input', { shape: [4] }], ['add', 'Add'], OUT],
    [
      ['in', 'add'],
      ['add', 'out'],
    ],
    'add',
    /at least 2 inputs/,
  ],
  ['no Input', [['d1', 'Dense', { units: 2 }], OUT], [['d1', 'out']], null, /no Input node/],
  [
    'no Output',
    [
      ['in', 'Input', { shape: [4] }],
      ['d1', 'Dense', { units: 2 }],
    ],
    [['in', 'd1']],
    null,
    /no Output node/,
  ],
  [
    'Conv2D fed a rank-1 tensor',
    [['in', 'Input', { shape: [784] }], ['conv', 'Conv2D', { filters: 8 }], ['f', 'Flatten'], OUT],
    [
      ['in', 'conv'],
      ['conv', 'f'],
      ['f', 'out'],
    ],
    'conv',
    /Conv2D expects an image \[height, width, channels\].*input is \[784\].*Reshape to \[28, 28, 1\]/,
  ],
  [
    'Add of [8] and [4]',
    [
      ['in', 'Input', { shape: [3] }],
      ['d8', 'Dense', { units: 8 }],
      ['d4', 'Dense', { units: 4 }],
      ['sum', 'Add'],
      OUT,
    ],
    [
      ['in', 'd8'],
      ['in', 'd4'],
      ['d8', 'sum', 0],
      ['d4', 'sum', 1],
      ['sum', 'out'],
    ],
    'sum',
    /identical shape.*\[8\], \[4\]/,
  ],
  [
    'Concatenate with mismatched non-axis sizes',
    [
      ['a', 'Input', { shape: [4, 3] }],
      ['b', 'Input', { shape: [5, 3] }],
      ['cat', 'Concatenate', { axis: -1 }],
      OUT,
    ],
    [
      ['a', 'cat', 0],
      ['b', 'cat', 1],
      ['cat', 'out'],
    ],
    'cat',
    /every other size to match/,
  ],
  [
    'Flatten of an unknown size',
    [['in', 'Input', { shape: [-1, 8] }], ['flat', 'Flatten'], OUT],
    [
      ['in', 'flat'],
      ['flat', 'out'],
    ],
    'flat',
    /Flatten needs every size of its input known/,
  ],
  [
    'units 0',
    [['in', 'Input', { shape: [4] }], ['d1', 'Dense', { units: 0 }], OUT],
    [
      ['in', 'd1'],
      ['d1', 'out'],
    ],
    'd1',
    /"units" must be at least 1/,
  ],
  [
    'units -3',
    [['in', 'Input', { shape: [4] }], ['r', 'LSTM', { units: -3 }], OUT],
    [
      ['in', 'r'],
      ['r', 'out'],
    ],
    'r',
    /"units" must be at least 1/,
  ],
  [
    'dropout rate 1',
    [['in', 'Input', { shape: [4] }], ['drop', 'Dropout', { rate: 1 }], OUT],
    [
      ['in', 'drop'],
      ['drop', 'out'],
    ],
    'drop',
    /"rate" must be below 1/,
  ],
  [
    'dropout rate -0.1',
    [['in', 'Input', { shape: [4] }], ['drop', 'Dropout', { rate: -0.1 }], OUT],
    [
      ['in', 'drop'],
      ['drop', 'out'],
    ],
    'drop',
    /"rate" must be at least 0/,
  ],
  [
    "a kernel larger than its input with 'valid'",
    [['in', 'Input', { shape: [2, 2, 1] }], ['conv', 'Conv2D', { filters: 4, kernelSize: 3 }], OUT],
    [
      ['in', 'conv'],
      ['conv', 'out'],
    ],
    'conv',
    /kernel \(3×3\) is larger than its input \[2, 2\] with padding 'valid'/,
  ],
  [
    "a pool window larger than its input with 'valid'",
    [['in', 'Input', { shape: [3, 2] }], ['pool', 'MaxPooling1D', { poolSize: 4 }], OUT],
    [
      ['in', 'pool'],
      ['pool', 'out'],
    ],
    'pool',
    /pool window \(4\) is larger than its input/,
  ],
  [
    'strides together with dilation',
    [['in', 'Input', { shape: [20, 2] }], ['conv', 'Conv1D', { strides: 2, dilationRate: 2 }], OUT],
    [
      ['in', 'conv'],
      ['conv', 'out'],
    ],
    'conv',
    /cannot be combined with a dilation rate/,
  ],
  [
    'a Reshape that changes the element count',
    [['in', 'Input', { shape: [10] }], ['rs', 'Reshape', { targetShape: [3, 3] }], OUT],
    [
      ['in', 'rs'],
      ['rs', 'out'],
    ],
    'rs',
    /needs 9 values but its input \[10\] has 10/,
  ],
  [
    'an unknown layer type',
    [['in', 'Input', { shape: [4] }], ['x', 'Dense2'], OUT],
    [
      ['in', 'x'],
      ['x', 'out'],
    ],
    'x',
    /Unknown layer type "Dense2"/,
  ],
];

describe('netwright inspect: invalid graphs exit 1 with a diagnostic on the right node', () => {
  it.concurrent.each(INVALID)('%s', async (name, nodes, edges, nodeId, pattern) => {
    const { run, json } = await inspectJson(name.replace(/\W+/g, '-'), project(nodes, edges));
    expect(run.code, run.stderr).toBe(1);
    expect(json.valid).toBe(false);
    const hit = json.diagnostics.find(
      (d: { nodeId: string | null; severity: string; message: string }) =>
        d.nodeId === nodeId && d.severity === 'error' && pattern.test(d.message),
    );
    expect(hit, JSON.stringify(json.diagnostics, null, 1)).toBeTruthy();
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it.concurrent('duplicate node ids exit 1 naming the id (text and --json)', async () => {
    const text = project(
      [['in', 'Input', { shape: [4] }], ['d1', 'Dense'], ['d1', 'Dense'], OUT],
      [
        ['in', 'd1'],
        ['d1', 'out'],
      ],
    );
    const { run, json } = await inspectJson('dup', text);
    expect(run.code).toBe(1);
    expect(json.valid).toBe(false);
    expect(json.diagnostics).toContainEqual({
      nodeId: 'd1',
      severity: 'error',
      message: 'graph.nodes[2].id: Node id "d1" is used more than once; ids must be unique.',
    });
    const plain = await runCli(['inspect', path.join(dir, 'dup.netwright.json')]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/graph\.nodes\[2\]\.id: Node id "d1" is used more than once/);
  });

  it.concurrent('edges to missing nodes exit 1 with the diagnostic on the node that exists', async () => {
    const text = project(
      [['in', 'Input', { shape: [4] }], ['d1', 'Dense'], OUT],
      [
        ['in', 'd1'],
        ['d1', 'out'],
        ['ghost', 'd1'],
        ['d1', 'nowhere'],
      ],
    );
    const { run, json } = await inspectJson('ghost', text);
    expect(run.code).toBe(1);
    const find = (re: RegExp) => json.diagnostics.find((d: { message: string }) => re.test(d.message));
    expect(find(/starts at node "ghost", which does not exist/)).toMatchObject({
      nodeId: 'd1',
      severity: 'error',
    });
    expect(find(/ends at node "nowhere", which does not exist/)).toMatchObject({
      nodeId: 'd1',
      severity: 'error',
    });
  });
});

describe('netwright inspect: unreadable files exit 2 with one clear sentence', () => {
  // One run each (CLI start-up is the cost); text and --json modes alternate.
  const CASES: [string, (file: string) => Promise<void> | void, RegExp, string[]][] = [
    ['a missing file', () => {}, /Cannot find .*missing\.netwright\.json\./, []],
    [
      'invalid JSON',
      (f) => writeFile(f, '{"format": "netwright", "version": 1,'),
      /is not valid JSON/,
      ['--json'],
    ],
    [
      'binary junk',
      (f) => writeFile(f, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00, 0x01, 0xc3, 0x28])),
      /not UTF-8 text/,
      [],
    ],
    [
      'a newer format version',
      (f) =>
        writeFile(
          f,
          JSON.stringify({ format: 'netwright', version: 99, name: 'x', graph: { nodes: [], edges: [] } }),
        ),
      /saved by a newer Netwright \(format version 99\).*update Netwright/,
      ['--json'],
    ],
  ];
  it.concurrent.each(CASES)('%s', async (name, make, pattern, extra) => {
    const file = path.join(
      dir,
      name === 'a missing file' ? 'missing.netwright.json' : `${name.replace(/\W+/g, '-')}.netwright.json`,
    );
    await make(file);
    const run = await runCli(['inspect', file, ...extra]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(run.stderr).not.toMatch(/\n\s+at |Error:/);
  });
});

// Project documents have a depth and a saved-size limit on the whole document, unknown keys
// included, the same on open and on save (engine/project/document-limits.ts). Measured without
// recursion: a document nested a million levels deep gets one sentence, not a stack overflow, and
// `inspect` and `train` refuse it alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {
  depthProblem,
  MAX_DOCUMENT_DEPTH,
  MAX_PROJECT_BYTES,
  prettyJsonBytes,
} from '../../engine/project/document-limits.ts';
import { projectFromJson, projectToText } from '../../engine/project/load.ts';
import { STACK_TRACE, listTree, runCli } from './helpers/cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-doclimits-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const project = () => ({
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
  data: { source: 'builtin:iris', target: 'species' },
  training: { epochs: 1, batchSize: 4, seed: 1 },
});

/** `{"a":{"a":…1…}}` as text, `levels` deep (built as text: JSON.stringify itself would overflow). */
const deepText = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

describe('measuring a document', () => {
  it('prettyJsonBytes is the byte length of the saved text, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expect(prettyJsonBytes(value)).toBe(Buffer.byteLength(JSON.stringify(value, null, 2)));
      }),
      { numRuns: 500, seed: 12 },
    );
    const p = projectFromJson(project());
    expect(p.ok).toBe(true);
    if (p.ok) expect(prettyJsonBytes(p.project) + 1).toBe(Buffer.byteLength(projectToText(p.project)));
  });

  it('a million levels deep: one sentence naming where, no stack overflow', () => {
    const value: unknown = JSON.parse(deepText(1_000_000));
    const problem = depthProblem(value);
    expect(problem?.message).toMatch(
      /^The project nests objects and lists too deeply \(at a\.a\.a.*…\); a project may nest at most 64 levels\.$/,
    );
    const loaded = projectFromJson({ ...project(), extra: value });
    expect(loaded).toMatchObject({ ok: false, problems: [{ path: expect.stringMatching(/^extra\.a/) }] });
  });

  it(`${MAX_DOCUMENT_DEPTH} levels load; one more does not`, () => {
    const nested = (levels: number) => JSON.parse(deepText(levels)) as unknown;
    // The project object itself is level 1.
    expect(projectFromJson({ ...project(), extra: nested(MAX_DOCUMENT_DEPTH - 1) }).ok).toBe(true);
    expect(projectFromJson({ ...project(), extra: nested(MAX_DOCUMENT_DEPTH) }).ok).toBe(false);
  });

  it('a compact document whose saved text would pass 64 MB is refused before anything is written', () => {
    // 20,000 lists 60 deep: 2.4 MB of JSON that the two-space indentation turns into ~150 MB.
    const chain = JSON.parse('['.repeat(60) + '0' + ']'.repeat(60)) as unknown;
    const doc = { ...project(), extra: Array.from({ length: 20_000 }, () => chain) };
    expect(Buffer.byteLength(JSON.stringify(doc))).toBeLessThan(3_000_000);
    expect(prettyJsonBytes(doc)).toBeGreaterThan(MAX_PROJECT_BYTES);
    const loaded = projectFromJson(doc);
    expect(loaded).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringMatching(/more than 64 MB as a saved file/) }],
    });
  });
});

describe('the CLI on a deeply nested project', () => {
  it('inspect and train refuse it alike: exit 1, one sentence, nothing written', async () => {
    const caseDir = path.join(dir, 'deep');
    await fs.mkdir(caseDir);
    const file = path.join(caseDir, 'p.netwright.json');
    const text = JSON.stringify(project()).slice(0, -1) + `,"extra":${deepText(100_000)}}`;
    await fs.writeFile(file, text);
    const before = await listTree(caseDir);
    const inspect = await runCli(['inspect', file]);
    const train = await runCli(['train', file, '--epochs', '1']);
    for (const r of [inspect, train]) {
      const context = `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
      expect(r.code, context).toBe(1);
      expect(r.stderr, context).toMatch(/nests objects and lists too deeply \(at extra\.a\.a/);
      expect(r.stderr + r.stdout, context).not.toMatch(STACK_TRACE);
      expect(r.stderr, context).not.toMatch(/call stack|internal/i);
    }
    expect(await listTree(caseDir)).toEqual(before);
  }, 60_000);
});

// What a run folder holds after a complete run (docs/TRAINING.md, "The run folder"): split.json says
// which samples (and CSV lines) went to train, validation and test with the seed, and no file in
// the folder still says "incomplete" (run.json is finalised, and no run.json.bak keeps an earlier state).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectFromJson } from '../../engine/project/load.ts';
import { trainProject } from '../../engine/train/train-project.ts';

describe('the run folder', () => {
  it('records the split in split.json and leaves no file saying "incomplete"', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nw-run-folder-'));
    const lines = ['x,y,label'];
    for (let i = 0; i < 50; i++) lines.push(`${i},${(i * 7) % 13},${i === 4 ? '' : i % 2 ? 'odd' : 'even'}`);
    writeFileSync(path.join(dir, 'rows.csv'), lines.join('\n') + '\n');
    const parsed = projectFromJson({
      format: 'netwright',
      version: 1,
      name: 'Rows',
      graph: {
        nodes: [
          { id: 'in', type: 'Input', params: { shape: [2] } },
          { id: 'd', type: 'Dense', params: { units: 2, activation: 'softmax' } },
          { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
        ],
        edges: [
          { id: 'a', source: 'in', target: 'd' },
          { id: 'b', source: 'd', target: 'out' },
        ],
      },
      data: { source: 'csv:rows.csv', target: 'label', testSplit: 0.2 },
      training: { epochs: 1, batchSize: 8, validationSplit: 0.25, seed: 11 },
    });
    if (!parsed.ok) throw new Error(parsed.problems[0].message);
    const run = path.join(dir, 'run');
    const outcome = await trainProject({
      project: parsed.project,
      projectPath: path.join(dir, 'rows.netwright.json'),
      outDir: run,
      backend: 'js',
    });
    expect(outcome.status, outcome.message).toBe('complete');

    const split = JSON.parse(readFileSync(path.join(run, 'split.json'), 'utf8'));
    const info = JSON.parse(readFileSync(path.join(run, 'run.json'), 'utf8'));
    expect(split).toMatchObject({
      seed: 11,
      testSplit: 0.2,
      validationSplit: 0.25,
      order: 'stratified',
      samples: 49,
    });
    expect([split.train.length, split.validation.length, split.test.length]).toEqual([
      info.samples.train,
      info.samples.validation,
      info.samples.test,
    ]);
    const all = [...split.train, ...split.validation, ...split.test].sort((a: number, b: number) => a - b);
    expect(all).toEqual(Array.from({ length: 49 }, (_, i) => i));
    // CSV lines: the header is line 1, so sample i is line i + 2 until the row without a label (line 6).
    const fileLines = [...split.sourceRows.train, ...split.sourceRows.validation, ...split.sourceRows.test];
    expect(new Set(fileLines).size).toBe(49);
    expect(fileLines).not.toContain(6);
    expect(Math.min(...fileLines)).toBe(2);
    expect(Math.max(...fileLines)).toBe(51);

    expect(info.status).toBe('complete');
    for (const file of readdirSync(run).filter((f) => f.endsWith('.json') || f.endsWith('.json.bak')))
      expect(readFileSync(path.join(run, file), 'utf8'), file).not.toMatch(/"incomplete"/);
    expect(readdirSync(run)).not.toContain('run.json.bak');
  });
});

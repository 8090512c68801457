// EngineApi.predict and web mode's downloads through the real `netwright serve`: predictions of a
// trained run on a CSV with blanks (each row's filled blanks beside it), saved as a CSV in the
// workspace; an exported ONNX file downloaded with the token is the same bytes and loads in
// onnxruntime-node; downloads and saves outside the workspace, of other kinds of file, or without
// the token in the header are refused.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictResult } from '../../engine/api.ts';
import { netwright } from '../cli/run-cli.ts';
import { rawRequest, startServe, stopServe, type Serve } from '../security/helpers/serve.ts';

let tmp: string;
let root: string;
let server: Serve;

const auth = () => ({ Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' });
const call = (method: string, args: unknown[]) =>
  rawRequest({
    port: server.port,
    path: `/api/call/${method}`,
    headers: auth(),
    body: JSON.stringify({ args }),
  });

function download(p: string, headers: Record<string, string> = { Authorization: `Bearer ${server.token}` }) {
  return new Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      void import('node:http').then(({ request }) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: server.port,
            method: 'GET',
            path: `/api/download?path=${encodeURIComponent(p)}`,
            headers,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      });
    },
  );
}

function flowersCsv(): string {
  const lines = ['a,b,kind'];
  for (let i = 0; i < 60; i++) lines.push(`${(i % 5) + 0.5},${((i * 3) % 7) / 2},${i % 2 ? 'x' : 'y'}`);
  return lines.join('\n') + '\n';
}

beforeAll(async () => {
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'nw-predict-')));
  root = path.join(tmp, 'workspace');
  await fs.mkdir(root);
  await fs.writeFile(path.join(root, 'flowers.csv'), flowersCsv());
  await fs.writeFile(path.join(root, 'new.csv'), 'a,b\n1.5,2\n,3\n2.5,\n');
  await fs.writeFile(path.join(root, 'secret.key'), 'top secret');
  await fs.writeFile(path.join(tmp, 'outside.csv'), 'a,b\n1,2\n');
  await fs.symlink(path.join(tmp, 'outside.csv'), path.join(root, 'link-out.csv'));
  await fs.writeFile(
    path.join(root, 'flowers.netwright.json'),
    JSON.stringify({
      format: 'netwright',
      version: 1,
      name: 'Flowers',
      graph: {
        nodes: [
          { id: 'in', type: 'Input', params: { shape: [2] } },
          { id: 'd', type: 'Dense', params: { units: 2, activation: 'softmax' } },
          { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
        ],
        edges: [
          { id: 'e1', source: 'in', target: 'd' },
          { id: 'e2', source: 'd', target: 'out' },
        ],
      },
      data: { source: 'csv:flowers.csv', target: 'kind' },
      training: { epochs: 2, batchSize: 16 },
    }),
  );
  const t = await netwright(
    'train',
    path.join(root, 'flowers.netwright.json'),
    '--out',
    path.join(root, 'run'),
    '--backend',
    'js',
  );
  expect(t.code, t.stderr).toBe(0);
  server = await startServe(['--root', root], tmp);
}, 180_000);

afterAll(async () => {
  await stopServe(server);
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('predict through netwright serve', () => {
  it('predicts each row, puts filled blanks beside their row, and saves the CSV in the workspace', async () => {
    const r = await call('predict', [{ runDir: 'run', files: ['new.csv'], saveTo: 'out/predictions.csv' }]);
    expect(r.status, r.text).toBe(200);
    expect(r.text).not.toContain(tmp);
    const result = r.json!.result as PredictResult;
    expect(result.task).toBe('classification');
    expect(result.rows.map((x) => x.row)).toEqual(['row 2', 'row 3', 'row 4']);
    for (const row of result.rows) {
      expect(['x', 'y']).toContain(row.className);
      expect(row.probability).toBeCloseTo(Math.max(...Object.values(row.probabilities!)), 6);
    }
    expect(result.rows[0].warnings).toEqual([]);
    expect(result.rows[1].warnings).toEqual([
      expect.stringMatching(/^new\.csv row 3, column "a" is blank; the training mean [\d.]+ is used\.$/),
    ]);
    expect(result.rows[2].warnings).toEqual([expect.stringMatching(/^new\.csv row 4, column "b" is blank/)]);
    expect(result.savedTo).toBe('out/predictions.csv');
    const saved = (await fs.readFile(path.join(root, 'out/predictions.csv'), 'utf8')).trim().split(/\r?\n/);
    expect(saved[0]).toBe('file,row,class,probability,p(x),p(y),warnings');
    expect(saved).toHaveLength(4);
    expect(saved[1]).toMatch(new RegExp(`^new\\.csv,row 2,${result.rows[0].className},`));
    expect(saved[2]).toContain('is blank');

    const again = await call('predict', [{ runDir: 'run', files: ['new.csv'] }]);
    expect((again.json!.result as PredictResult).rows.map((x) => x.className)).toEqual(
      result.rows.map((x) => x.className),
    );
  });

  it('refuses files, runs and save targets outside the workspace, and a save that is not a .csv', async () => {
    for (const args of [
      { runDir: 'run', files: ['../outside.csv'] },
      { runDir: 'run', files: ['link-out.csv'] },
      { runDir: '..', files: ['new.csv'] },
      { runDir: 'run', files: ['new.csv'], saveTo: '../stolen.csv' },
    ]) {
      const r = await call('predict', [args]);
      expect(r.status, JSON.stringify(args) + r.text).toBe(403);
      expect(r.text).not.toContain(tmp);
    }
    await expect(fs.access(path.join(tmp, 'stolen.csv'))).rejects.toThrow();
    const json = await call('predict', [
      { runDir: 'run', files: ['new.csv'], saveTo: 'flowers.netwright.json' },
    ]);
    expect(json.status).toBe(400);
  });
});

describe('downloads in web mode', () => {
  it('an exported ONNX file downloads byte for byte and runs in onnxruntime-node', async () => {
    const exported = await call('exportModel', [{ runDir: 'run', onnxPath: 'exports/flowers.onnx' }]);
    expect(exported.status, exported.text).toBe(200);
    const d = await download('exports/flowers.onnx');
    expect(d.status).toBe(200);
    expect(d.headers['content-disposition']).toBe('attachment; filename="flowers.onnx"');
    expect(d.body.equals(await fs.readFile(path.join(root, 'exports/flowers.onnx')))).toBe(true);
    const session = await ort.InferenceSession.create(d.body);
    expect([...session.inputNames].sort()).toEqual(['a', 'b']);
    const out = await session.run({
      a: new ort.Tensor('float32', Float32Array.from([1.5]), [1, 1]),
      b: new ort.Tensor('float32', Float32Array.from([2]), [1, 1]),
    });
    expect(['x', 'y']).toContain((out.label.data as string[])[0]);
  });

  it('a tfjs export and a PyTorch package download as zips of their own files (links left out)', async () => {
    const tfjs = await call('exportModel', [{ runDir: 'run', tfjsDir: 'exports/web' }]);
    expect(tfjs.status, tfjs.text).toBe(200);
    await fs.symlink(path.join(tmp, 'outside.csv'), path.join(root, 'exports/web/leak.csv'));
    const d = await download('exports/web');
    expect(d.status, d.body.toString()).toBe(200);
    expect(d.headers['content-disposition']).toBe('attachment; filename="web.zip"');
    const zip = new AdmZip(d.body);
    const names = zip.getEntries().map((e) => e.entryName);
    expect(names).toContain('model.json');
    expect(names).not.toContain('leak.csv');
    for (const name of names)
      expect(zip.readFile(name)!.equals(await fs.readFile(path.join(root, 'exports/web', name)))).toBe(true);

    const torch = await call('exportTorchPackage', [{ runDir: 'run', outDir: 'exports/torch' }]);
    expect(torch.status, torch.text).toBe(200);
    const t = await download('exports/torch');
    expect(t.status).toBe(200);
    const entries = new AdmZip(t.body).getEntries().map((e) => e.entryName);
    expect(entries).toEqual(expect.arrayContaining(['model.py', 'train.py']));
  }, 120_000);

  it('refuses without the token in the header, outside the workspace, links out, and other kinds of file', async () => {
    expect((await download('exports/flowers.onnx', {})).status).toBe(401);
    const viaQuery = await new Promise<number>((resolve) => {
      void import('node:http').then(({ get }) =>
        get(
          {
            host: '127.0.0.1',
            port: server.port,
            path: `/api/download?path=exports/flowers.onnx&token=${server.token}`,
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        ),
      );
    });
    expect(viaQuery).toBe(401);
    for (const p of ['../outside.csv', path.join(tmp, 'outside.csv'), 'link-out.csv', 'secret.key']) {
      const d = await download(p);
      expect(d.status, p).toBe(403);
      // The workspace's own location is never shown (an absolute path the client sent may be echoed).
      expect(d.body.toString()).not.toContain(root);
      expect(d.body.toString()).not.toContain('top secret');
    }
    expect((await download('missing.onnx')).status).toBe(404);
    expect((await download('exports')).status).toBe(403);
  });
});

// EngineApi.importModel: a model file chosen in the UI becomes a project beside it
// (`<name>.netwright.json`, or `<name>-2.netwright.json`… when that is taken), so the import never
// overwrites a file. Refusals become one EngineError sentence: the file's name, never its folder.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { EngineError, type ImportModelResult } from '../api.ts';
import { importModel } from './import-model.ts';
import { ImportError, problemSentence } from './import-types.ts';

async function freeProjectPath(source: string): Promise<string> {
  const dir = path.dirname(source);
  let base = path.basename(source).replace(/\.(onnx|json)$/i, '');
  // A tfjs model is a folder holding model.json: name the project after the folder.
  if (base.toLowerCase() === 'model' && /\.json$/i.test(source)) base = path.basename(dir) || base;
  for (let i = 1; ; i++) {
    const candidate = path.join(dir, `${base}${i === 1 ? '' : `-${i}`}.netwright.json`);
    const taken = await fs.stat(candidate).then(
      () => true,
      () => false,
    );
    const weightsTaken = await fs.stat(candidate.replace(/\.netwright\.json$/, '.weights.bin')).then(
      () => true,
      () => false,
    );
    if (!taken && !weightsTaken) return candidate;
  }
}

export async function importToProject(tf: typeof tfjs, source: string): Promise<ImportModelResult> {
  const name = path.basename(source);
  const projectPath = await freeProjectPath(source);
  try {
    const outcome = await importModel(tf, { file: source, outProject: projectPath });
    return {
      projectPath,
      format: outcome.format,
      nodes: outcome.nodes,
      totalParams: outcome.totalParams,
      maxAbsDiff: outcome.parity.maxAbsDiff,
    };
  } catch (err) {
    if (!(err instanceof ImportError)) throw err;
    if (err.kind === 'unreadable')
      throw new EngineError({
        code: 'unreadable',
        message: `${name} can't be imported: ${err.problems[0].why}.`,
      });
    const [first] = err.problems;
    const more = err.problems.length - 1;
    throw new EngineError({
      code: 'invalid',
      message: `${name} can't be imported, nothing was written: ${problemSentence(first)}${
        more
          ? ` (and ${more} more part${more === 1 ? '' : 's'}: ${err.problems
              .slice(1)
              .map((p) => `${p.op} "${p.node}"`)
              .join(', ')})`
          : ''
      }`,
    });
  }
}

// The EngineApi methods a host exposes (an allow-list), the argument schema of each, and the path
// policy applied to every path argument. Shared by both hosts: web mode (server/) resolves paths in
// its workspace folder; the desktop app (electron/) allows only what the user chose in a dialog.
import path from 'node:path';
import { z } from 'zod';
import type {
  EngineApi,
  EngineEvent,
  ExplainQuery,
  ExportResult,
  FolderEntry,
  FolderListing,
  PredictRequest,
  RecoveryInfo,
  RunSummary,
} from './api.ts';
import { EngineError } from './api.ts';
import { dataSchema, trainingSchema } from './project/schema.ts';
import { BACKEND_CHOICES } from './backend.ts';
import { readSourceText } from './data/source.ts';
import { EXPLAIN_METHODS } from './explain/types.ts';
import { checkArgs, inspectArgs } from './api-args.ts';
import { MAX_PREDICT_FILES } from './eval/predict-files.ts';

/** How a host turns client paths into real ones (or refuses them) and real ones back into client paths. */
export interface PathPolicy {
  resolve(clientPath: string, what: string): Promise<string>;
  toClient(absolutePath: string): string;
  /** A sentence as the client may see it: absolute paths the client does not know made relative. */
  toClientText(message: string): string;
  /** The real folders the client may use (web mode: the workspace; desktop: the folders the user opened). */
  roots(): string[];
}

/** The first check of every PathPolicy.resolve: a client path is a non-empty string without NUL. */
export function assertClientPath(clientPath: unknown, what: string): asserts clientPath is string {
  if (typeof clientPath !== 'string' || clientPath.length === 0 || clientPath.includes('\0')) {
    throw new EngineError({ code: 'invalid', message: `The ${what} must be a non-empty path.` });
  }
}

// The project itself is validated by the engine (it reports every problem with its JSON path), so
// here it only has to be a JSON object.
const projectArg = z.record(z.string(), z.unknown());
const pathArg = z.string().min(1).max(4096);
const backendArg = z.enum(BACKEND_CHOICES);
const sessionIdArg = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, - or _');

/** Every EngineApi method but subscribe (events reach clients by each host's own channel). */
export type CallableMethod = Exclude<keyof EngineApi, 'subscribe'>;

export const METHOD_ARGS = {
  version: z.tuple([]),
  backend: z.tuple([]),
  listLayers: z.tuple([]),
  // Off the host's thread when the graph is large.
  inspect: inspectArgs,
  listExamples: z.tuple([]),
  loadExample: z.tuple([z.string().min(1).max(200)]),
  listPretrained: z.tuple([]),
  openProject: z.tuple([pathArg]),
  saveProject: z.tuple([pathArg, projectArg, pathArg.optional()]),
  previewData: z.tuple([dataSchema, pathArg.optional()]),
  startTraining: z.tuple([
    z.strictObject({
      project: projectArg,
      projectPath: pathArg.optional(),
      // The same bounds as the project's own training settings.
      epochs: trainingSchema.shape.epochs,
      batchSize: trainingSchema.shape.batchSize,
      seed: z.number().int().optional(),
      backend: backendArg.optional(),
    }),
  ]),
  stopTraining: z.tuple([z.string().min(1).max(200)]),
  listRuns: z.tuple([pathArg]),
  exportModel: z.tuple([
    z.strictObject({
      runDir: pathArg.optional(),
      project: projectArg.optional(),
      projectPath: pathArg.optional(),
      onnxPath: pathArg.optional(),
      tfjsDir: pathArg.optional(),
      opset: z.number().int().min(7).max(30).optional(),
      seed: z.number().int().optional(),
    }),
  ]),
  predict: z.tuple([
    z.strictObject({
      runDir: pathArg,
      files: z.array(pathArg).min(1).max(MAX_PREDICT_FILES),
      saveTo: pathArg.regex(/\.csv$/i, 'must name a .csv file').optional(),
    }),
  ]),
  explain: z.tuple([
    z.strictObject({
      runDir: pathArg,
      file: pathArg.optional(),
      method: z.enum(EXPLAIN_METHODS).optional(),
      className: z.string().min(1).max(200).optional(),
      layer: z.string().min(1).max(200).optional(),
      examples: z.array(z.number().int().min(0)).min(1).max(64).optional(),
      repeats: z.number().int().min(1).max(50).optional(),
      withImages: z.boolean().optional(),
      mirrors: z.boolean().optional(),
    }),
  ]),
  exportTorchPackage: z.tuple([
    z.strictObject({
      runDir: pathArg.optional(),
      project: projectArg.optional(),
      projectPath: pathArg.optional(),
      outDir: pathArg,
      seed: z.number().int().optional(),
    }),
  ]),
  importModel: z.tuple([z.strictObject({ source: pathArg })]),
  importCheckpoint: z.tuple([
    z.strictObject({
      packageDir: pathArg,
      checkpoint: pathArg.optional(),
      outDir: pathArg.optional(),
      projectPath: pathArg.optional(),
    }),
  ]),
  // The client names a folder only; the host adds the folders entries may lead into.
  listFolder: z.tuple([z.strictObject({ folder: pathArg.optional() })]),
  listProjects: z.tuple([]),
  testPredictions: z.tuple([pathArg, z.number().int().min(1).max(500).optional()]),
  listUserBlocks: z.tuple([]),
  // The block's nodes and edges are checked by the engine (engine/project/user-blocks.ts).
  saveUserBlock: z.tuple([
    z.strictObject({
      name: z.string().min(1).max(200),
      nodes: z.array(z.unknown()).min(1).max(10000),
      edges: z.array(z.unknown()).max(40000),
      savedAt: z.string().max(100).optional(),
    }),
  ]),
  // JSON has no undefined: a client that names a session but no project path sends null for it.
  saveRecovery: z.tuple([projectArg.nullable(), pathArg.nullish(), sessionIdArg.optional()]),
  loadRecovery: z.tuple([]),
  listRecoveries: z.tuple([]),
  discardRecovery: z.tuple([sessionIdArg]),
} as const satisfies Record<CallableMethod, z.ZodType>;

export type MethodName = keyof typeof METHOD_ARGS;

export const isMethodName = (name: string): name is MethodName =>
  Object.prototype.hasOwnProperty.call(METHOD_ARGS, name);

/**
 * A data source that names a file or folder (csv:, images:) must stay inside what the policy allows.
 * It is relative to the project file when there is one; otherwise it is made absolute here so the
 * engine does not resolve it against its own working directory.
 */
async function checkDataSource<T extends { source: string }>(
  data: T,
  projectFile: string | undefined,
  policy: PathPolicy,
): Promise<T> {
  let parsed;
  try {
    parsed = readSourceText(data.source);
  } catch (err) {
    throw new EngineError({ code: 'invalid', message: (err as Error).message });
  }
  const { kind, rest: rel } = parsed;
  if (kind === 'builtin') return data;
  if (projectFile) {
    await policy.resolve(path.resolve(path.dirname(projectFile), rel), 'data path');
    return data;
  }
  return { ...data, source: `${kind}:${await policy.resolve(rel, 'data path')}` };
}

async function checkProjectData(
  project: Record<string, unknown>,
  projectFile: string | undefined,
  policy: PathPolicy,
) {
  const data = project.data as { source?: unknown } | undefined;
  if (!data || typeof data !== 'object' || typeof data.source !== 'string') return project;
  return { ...project, data: await checkDataSource(data as { source: string }, projectFile, policy) };
}

const maybe = async (p: string | undefined, what: string, policy: PathPolicy) =>
  p === undefined ? undefined : policy.resolve(p, what);

/** Validate the arguments of `method`, apply the path policy, call the engine and map paths back. */
export async function callMethod(
  engine: EngineApi,
  method: string,
  rawArgs: unknown,
  policy: PathPolicy,
): Promise<unknown> {
  if (!isMethodName(method))
    throw new EngineError({ code: 'not-found', message: `There is no engine method called "${method}".` });
  // A project nested deeper than a project file may be is refused, never a stack overflow.
  const a = checkArgs(method, METHOD_ARGS[method], rawArgs) as unknown[];
  // Casts below are safe: the engine validates projects itself and reports every problem.
  /* eslint-disable @typescript-eslint/no-explicit-any */
  switch (method) {
    case 'version':
    case 'backend':
    case 'listLayers':
    case 'listExamples':
    case 'listPretrained':
    case 'listProjects':
    case 'listUserBlocks':
      return engine[method]();
    case 'testPredictions':
      return engine.testPredictions(
        await policy.resolve(a[0] as string, 'run folder'),
        a[1] as number | undefined,
      );
    case 'saveUserBlock':
      return engine.saveUserBlock(a[0] as any);
    case 'inspect':
      return engine.inspect(a[0] as any);
    case 'loadExample':
      return engine.loadExample(a[0] as string);
    case 'openProject':
      return engine.openProject(await policy.resolve(a[0] as string, 'project file'));
    case 'saveProject':
      return engine.saveProject(
        await policy.resolve(a[0] as string, 'project file'),
        a[1] as any,
        await maybe(a[2] as string | undefined, 'project file', policy),
      );
    case 'previewData': {
      const projectFile = await maybe(a[1] as string | undefined, 'project file', policy);
      const data = await checkDataSource(a[0] as { source: string }, projectFile, policy);
      return engine.previewData(data as any, projectFile);
    }
    case 'startTraining': {
      const req = a[0] as { project: Record<string, unknown>; projectPath?: string };
      const projectPath = await maybe(req.projectPath, 'project file', policy);
      const project = await checkProjectData(req.project, projectPath, policy);
      return engine.startTraining({ ...(req as any), project, ...(projectPath ? { projectPath } : {}) });
    }
    case 'stopTraining':
      return engine.stopTraining(a[0] as string);
    case 'listRuns': {
      const runs = await engine.listRuns(await policy.resolve(a[0] as string, 'project file'));
      return runs.map((r: RunSummary) => ({ ...r, runDir: policy.toClient(r.runDir) }));
    }
    case 'exportModel': {
      const req = a[0] as Record<string, unknown> & { project?: Record<string, unknown> };
      const projectPath = await maybe(req.projectPath as string | undefined, 'project file', policy);
      const resolved = {
        ...req,
        runDir: await maybe(req.runDir as string | undefined, 'run folder', policy),
        projectPath,
        onnxPath: await maybe(req.onnxPath as string | undefined, 'ONNX file', policy),
        tfjsDir: await maybe(req.tfjsDir as string | undefined, 'tfjs folder', policy),
        project: req.project ? await checkProjectData(req.project, projectPath, policy) : undefined,
      };
      for (const k of Object.keys(resolved) as (keyof typeof resolved)[])
        if (resolved[k] === undefined) delete resolved[k];
      const result: ExportResult = await engine.exportModel(resolved as any);
      return {
        ...result,
        ...(result.onnxPath ? { onnxPath: policy.toClient(result.onnxPath) } : {}),
        ...(result.tfjsDir ? { tfjsDir: policy.toClient(result.tfjsDir) } : {}),
      };
    }
    case 'predict': {
      const req = a[0] as PredictRequest;
      const files: string[] = [];
      for (const f of req.files) files.push(await policy.resolve(f, 'file to predict'));
      const result = await engine.predict({
        runDir: await policy.resolve(req.runDir, 'run folder'),
        files,
        ...(req.saveTo ? { saveTo: await policy.resolve(req.saveTo, 'predictions file') } : {}),
      });
      return {
        ...result,
        rows: result.rows.map((r) => ({ ...r, warnings: r.warnings.map((w) => policy.toClientText(w)) })),
        warnings: result.warnings.map((w) => policy.toClientText(w)),
        ...(result.savedTo ? { savedTo: policy.toClient(result.savedTo) } : {}),
      };
    }
    case 'explain': {
      const query = a[0] as ExplainQuery;
      return engine.explain({
        ...query,
        runDir: await policy.resolve(query.runDir, 'run folder'),
        ...(query.file ? { file: await policy.resolve(query.file, 'file to explain') } : {}),
      });
    }
    case 'exportTorchPackage': {
      const req = a[0] as Record<string, unknown> & { project?: Record<string, unknown>; outDir: string };
      const projectPath = await maybe(req.projectPath as string | undefined, 'project file', policy);
      const resolved = dropUndefined({
        ...req,
        runDir: await maybe(req.runDir as string | undefined, 'run folder', policy),
        projectPath,
        outDir: await policy.resolve(req.outDir, 'PyTorch package folder'),
        project: req.project ? await checkProjectData(req.project, projectPath, policy) : undefined,
      });
      const result = await engine.exportTorchPackage(resolved as any);
      return { ...result, dir: policy.toClient(result.dir) };
    }
    case 'importModel': {
      const source = await policy.resolve((a[0] as { source: string }).source, 'model file');
      const result = await engine.importModel({ source });
      return { ...result, projectPath: policy.toClient(result.projectPath) };
    }
    case 'importCheckpoint': {
      const req = a[0] as { packageDir: string; checkpoint?: string; outDir?: string; projectPath?: string };
      const packageDir = await policy.resolve(req.packageDir, 'PyTorch package folder');
      const resolved = dropUndefined({
        packageDir,
        // A checkpoint folder is named relative to the package, and must stay where the client may read.
        checkpoint: req.checkpoint
          ? await policy.resolve(path.join(req.packageDir, req.checkpoint), 'checkpoint folder')
          : undefined,
        outDir: await maybe(req.outDir, 'run folder', policy),
        projectPath: await maybe(req.projectPath, 'project file', policy),
      });
      const result = await engine.importCheckpoint(resolved as any);
      return { ...result, runDir: policy.toClient(result.runDir) };
    }
    case 'listFolder':
      return listFolderForClient(engine, (a[0] as { folder?: string }).folder, policy);
    case 'saveRecovery': {
      const projectPath = await maybe(
        (a[1] as string | null | undefined) ?? undefined,
        'project file',
        policy,
      );
      return engine.saveRecovery(a[0] as any, projectPath, a[2] as string | undefined);
    }
    case 'loadRecovery': {
      const rec = await engine.loadRecovery();
      return rec && recoveryForClient(rec, policy);
    }
    case 'listRecoveries':
      return Promise.all((await engine.listRecoveries()).map((r) => recoveryForClient(r, policy)));
    case 'discardRecovery':
      return engine.discardRecovery(a[0] as string);
  }
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

/**
 * A folder listing as the client may see it: the folder itself must be allowed, the engine leaves out
 * links to anywhere else, and each entry is checked again through the policy (a link inside to a
 * place the policy refuses is dropped, never shown).
 */
async function listFolderForClient(
  engine: EngineApi,
  folder: string | undefined,
  policy: PathPolicy,
): Promise<FolderListing> {
  const real = await policy.resolve(folder ?? '.', 'folder');
  const listing = await engine.listFolder({ folder: real, within: policy.roots() });
  const allowed = async (absolute: string): Promise<string | null> => {
    const clientPath = policy.toClient(absolute);
    try {
      await policy.resolve(clientPath, 'path');
      return clientPath;
    } catch {
      return null;
    }
  };
  const entries: FolderEntry[] = [];
  for (const e of listing.entries) {
    const clientPath = await allowed(e.path);
    if (clientPath !== null) entries.push({ ...e, path: clientPath });
  }
  const parentDir = path.dirname(real);
  const parent = parentDir !== real ? await allowed(parentDir) : null;
  return {
    folder: policy.toClient(real),
    ...(parent !== null ? { parent } : {}),
    entries,
    truncated: listing.truncated,
  };
}

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** A recovery with its project path as the client sees it, offered only when the client may still use it. */
async function recoveryForClient(rec: RecoveryInfo, policy: PathPolicy): Promise<RecoveryInfo> {
  if (!rec.projectPath) return rec;
  try {
    const clientPath = policy.toClient(rec.projectPath);
    await policy.resolve(clientPath, 'project file');
    return { ...rec, projectPath: clientPath };
  } catch {
    const { projectPath: _dropped, ...rest } = rec;
    return rest;
  }
}

/** An event as the client sees it (paths relative to what it may use, in fields and in sentences). */
export function eventForClient(event: EngineEvent, policy: PathPolicy): EngineEvent {
  switch (event.kind) {
    case 'train-started':
      return {
        ...event,
        ...(event.runDir ? { runDir: policy.toClient(event.runDir) } : {}),
        ...(event.warnings ? { warnings: event.warnings.map((w) => policy.toClientText(w)) } : {}),
      };
    case 'train-warnings':
      return { ...event, warnings: event.warnings.map((w) => policy.toClientText(w)) };
    case 'train-finished':
      return {
        ...event,
        ...(event.runDir ? { runDir: policy.toClient(event.runDir) } : {}),
        ...(event.message ? { message: policy.toClientText(event.message) } : {}),
      };
    default:
      return event;
  }
}

/** Any thrown value as EngineErrorData: engine errors keep their code, anything else is 'internal' with one sentence. */
export function toErrorData(err: unknown, log = 'the server log'): EngineError['data'] {
  if (err instanceof EngineError) return err.data;
  return {
    code: 'internal',
    message: `The engine hit an unexpected error; the details are in ${log}.`,
  };
}

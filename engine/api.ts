// EngineApi: the one interface through which the UI reaches the engine (docs/ARCHITECTURE.md, "Layering"). Both hosts
// implement its transport (electron/ over IPC, server/ over HTTP + WebSocket); the engine side is
// createEngine() in engine/service.ts. Everything crossing it is plain JSON-serialisable data.
import type { Project, ProjectData, Graph, ProjectEdge, ProjectNode } from './project/schema.ts';
import type { InspectResult } from './graph/inspect.ts';
import type { LayerCategory, LayerHelp, ParamDef } from './layers/types.ts';
import type { ExplainQuery, ExplainResult } from './explain/types.ts';

export type { ExplainQuery, ExplainResult } from './explain/types.ts';

export interface LayerInfo {
  type: string;
  label: string;
  category: LayerCategory;
  help: LayerHelp;
  arity: { min: number; max: number | null };
  params: ParamDef[];
}

export interface ExampleInfo {
  id: string;
  name: string;
  /** One line for the template gallery. */
  description: string;
  /** e.g. "finance", "manufacturing", "classic". */
  scenario: string;
}

/** What File › Import made of a model file (engine/import/import-to-project.ts). */
export interface ImportModelResult {
  /** The project written beside the model, with its weights file. */
  projectPath: string;
  format: 'onnx' | 'tfjs';
  nodes: number;
  totalParams: number;
  /** The imported graph against the source model on seeded inputs. */
  maxAbsDiff: number;
}

/** A block of the palette's Pretrained section (engine/weights/pretrained.ts). */
export interface PretrainedBlockInfo {
  /** Its startFrom source is `pretrained:<id>`. */
  id: string;
  label: string;
  /** One line: what it computes and what it learned from. */
  description: string;
  /** What it was trained on (data, epochs, seed), as the bench script recorded it. */
  trainedOn: string;
  /** The nodes it inserts (positions relative to the block) and the edges among them. */
  graph: { nodes: ProjectNode[]; edges: ProjectEdge[] };
  /** Ids among graph.nodes that carry weights (inserted frozen). */
  weighted: string[];
}

export interface BackendSummary {
  id: string;
  /** e.g. "GPU (WebGPU · NVIDIA H200 · Vulkan)", "CPU (libtensorflow)", "CPU (WebAssembly)". */
  label: string;
  reason: string;
}

export interface DataPreview {
  /** Column names (tabular) or class names (images). */
  columns: string[];
  rows: (string | number | null)[][];
  /** Number of samples in the whole dataset. */
  count: number;
  /** Per-column facts (kind numeric/categorical, missing values, min/max/mean…; `width`: how many
      model inputs a feature column encodes to, 1 or one per category). */
  summary: Record<string, unknown>;
  /** Class → number of samples, for classification targets. */
  classBalance?: Record<string, number>;
  /** Problems found (missing values, …), each one plain sentence. */
  warnings: string[];
  /** Image datasets: a few small samples per class (see engine/data/preview-thumbnails.ts). */
  thumbnails?: DataThumbnail[];
}

/** One small sample image: row-major 0..255 values, `channels` per pixel (1 grey, 3 RGB). */
export interface DataThumbnail {
  label: string;
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: number[];
}

export interface TrainRequest {
  project: Project;
  /** Where the project lives; relative data paths resolve against it; runs go beside it. */
  projectPath?: string;
  epochs?: number;
  batchSize?: number;
  seed?: number;
  backend?: 'auto' | 'webgpu' | 'gpu' | 'cpu' | 'wasm' | 'js';
}

export interface TrainProgress {
  jobId: string;
  phase: 'batch' | 'epoch';
  epoch: number;
  epochs: number;
  batch?: number;
  batches?: number;
  loss: number;
  metrics: Record<string, number>;
  valLoss?: number;
  valMetrics?: Record<string, number>;
  samplesPerSec: number;
  /** Seconds left; absent until the rate has been measured (never a guess from the warm-up batch). */
  etaSec?: number;
  /** The optimizer's learning rate during this epoch (schedules change it). */
  learningRate?: number;
}

export interface RunSummary {
  runDir: string;
  startedAt: string;
  status: 'complete' | 'cancelled' | 'failed' | 'incomplete';
  backend: string;
  metrics: Record<string, unknown>;
  /** Trained from the project file listRuns was asked about (runs of other projects share the folder). */
  ofThisProject: boolean;
  projectName: string;
  /** What the run was trained with, for side-by-side comparison. */
  settings: { epochs: number; batchSize: number; seed: number; epochsRun?: number };
  /** Per-epoch losses (history.json), for overlaying runs; `batchLosses`: the training loss through the epoch. */
  curve: { epoch: number; loss: number; valLoss?: number; batchLosses?: number[] }[];
}

export interface ExportRequest {
  /** Export a trained run… */
  runDir?: string;
  /** …or a project (weights initialised from the seed). */
  project?: Project;
  projectPath?: string;
  onnxPath?: string;
  tfjsDir?: string;
  opset?: number;
  seed?: number;
  /** ONNX of a trained run: the network alone instead of the deployment model with its preprocessing. */
  bare?: boolean;
}

/** A PyTorch DDP training package of a run or a project (docs/SCALE-OUT.md). */
export interface TorchExportRequest {
  runDir?: string;
  project?: Project;
  projectPath?: string;
  /** The package folder: new, empty, or a previous package (its output/ is kept). */
  outDir: string;
  seed?: number;
}

export interface TorchExportResult {
  dir: string;
  weights: 'trained' | 'seeded' | 'imported';
  seed: number;
  className: string;
  parameters: number;
  samples: { train: number; validation: number; test: number };
}

/** The weights a PyTorch package trained, back as a run folder. */
export interface ImportCheckpointRequest {
  packageDir: string;
  /** A checkpoint folder of the package (default: output/final, else the latest checkpoint). */
  checkpoint?: string;
  /** The run folder to write; default `<project folder>/runs/<timestamp>` of `projectPath`. */
  outDir?: string;
  projectPath?: string;
}

export interface ImportCheckpointResult {
  runDir: string;
  /** The checkpoint folder read, relative to the package. */
  checkpoint: string;
  epochsRun: number;
  /** Test metrics recomputed by Netwright. */
  metrics: Record<string, unknown>;
  /** What train.py reported on the same test split. */
  reported?: Record<string, unknown>;
}

export interface ParityReport {
  maxAbsDiff: number;
  maxRelDiff: number;
  samples: number;
  passed: boolean;
  /** Why the check failed when no difference says it (a NaN or infinite output, a different label): one sentence. */
  problem?: string;
}

export interface ExportResult {
  onnxPath?: string;
  onnxBytes?: number;
  tfjsDir?: string;
  parity?: ParityReport;
  /** The ONNX file holds the run's preprocessing and decoding (raw columns in, labels or target units out). */
  deployment?: DeploymentSummary;
  /** Why the ONNX file holds the network only, when it was not asked for with `bare`. */
  networkOnlyReason?: string;
}

/** The deployment model's interface and its whole-pipeline parity check (docs/EXPORT.md). */
export interface DeploymentSummary {
  inputs: { name: string; type: 'float32' | 'string'; shape: number[] }[];
  outputs: { name: string; type: 'float32' | 'string' | 'int64'; shape: number[] }[];
  /** One line: what to feed. */
  inputsDescription: string;
  parity: ParityReport & { labelMismatches: number };
}

export type EngineEvent =
  | {
      kind: 'train-started';
      jobId: string;
      backend: BackendSummary;
      runDir?: string;
      /** Things worth knowing before the run goes far, e.g. an estimated memory need close to the limit. */
      warnings?: string[];
    }
  | { kind: 'train-progress'; progress: TrainProgress }
  /** The job waits for a free training slot: `position` 1 starts next (engine/train/admission.ts). */
  | { kind: 'train-queued'; jobId: string; position: number; running: number; concurrency: number }
  | {
      kind: 'train-warnings';
      jobId: string;
      /** What loading the data found (blanks filled, rows or columns left out, synthetic data): one sentence each. */
      warnings: string[];
    }
  | {
      kind: 'train-finished';
      jobId: string;
      status: 'complete' | 'cancelled' | 'failed';
      runDir?: string;
      metrics?: Record<string, unknown>;
      /** Set when status is 'failed': one plain sentence. */
      message?: string;
    };

/** Predictions of a trained run on the user's files (a CSV, or images). */
export interface PredictRequest {
  runDir: string;
  /** One CSV, or one or more images. */
  files: string[];
  /** Save the predictions as a CSV file here. */
  saveTo?: string;
}

/** One prediction: a class with its probabilities, or the target's values; the row's filled blanks. */
export interface PredictionRow {
  /** The file's name (no folders). */
  file: string;
  /** "row 3" (CSV, as numbered in the file, header included) or the image's file name. */
  row: string;
  className?: string;
  probability?: number;
  probabilities?: Record<string, number>;
  values?: Record<string, number>;
  /** Blank cells filled in this row, one sentence each. */
  warnings: string[];
}

export interface PredictResult {
  task: 'classification' | 'regression';
  rows: PredictionRow[];
  /** Warnings that belong to no single row. */
  warnings: string[];
  savedTo?: string;
}

/** What a workspace entry is, for the file picker (engine/files/list-folder.ts). */
export type FolderEntryKind = 'folder' | 'image-folder' | 'csv' | 'image' | 'onnx' | 'tfjs-model' | 'project';

export interface FolderEntry {
  name: string;
  /** The path to pass back to the engine (web mode: relative to the workspace). */
  path: string;
  kind: FolderEntryKind;
}

/** One folder of the workspace: its sub-folders and the files Netwright can use. */
export interface FolderListing {
  /** The folder listed, as the client names it ("." is the workspace itself in web mode). */
  folder: string;
  /** The folder above, when the client may list it. */
  parent?: string;
  entries: FolderEntry[];
  /** More entries than a listing holds (engine/files/list-folder.ts MAX_FOLDER_ENTRIES). */
  truncated: boolean;
}

export interface ListFolderRequest {
  /** The folder to list; default the workspace (web mode) or the app's projects folder (desktop). */
  folder?: string;
  /** Set by the host, never by the client: the folders entries may lead into (links out are left out). */
  within?: string[];
}
/** A block saved to the user's palette ("My blocks", docs/ARCHITECTURE.md "Blocks"): its nodes and the edges between them. */
export interface UserBlock {
  name: string;
  nodes: ProjectNode[];
  edges: ProjectEdge[];
  /** The blocks nested in it, by the ids of its nodes. */
  blocks?: { name: string; nodes: string[]; collapsed?: boolean }[];
  savedAt?: string;
}

/** One misclassified test sample: the image (0..255) or the row's encoded feature values. */
export interface MisclassifiedExample {
  /** Index in the run's test split (what Explain's `examples` takes). */
  index: number;
  actual: string;
  predicted: string;
  /** The model's probability for the predicted class. */
  probability: number;
  image?: { width: number; height: number; channels: number; pixels: number[] };
  values?: (number | null)[];
  /** Tables: the sample's line in the source CSV. */
  sourceRow?: number;
}

/** The model's predictions on a run's test split, for the results views (forecast plot, misclassified examples). */
export type TestPredictions =
  | {
      task: 'classification';
      samples: number;
      misclassifiedCount: number;
      /** image: examples carry thumbnails; table: `values` under `columns`. */
      kind: 'image' | 'table';
      columns?: string[];
      /** The first misclassified samples in test order (at most the query's limit). */
      examples: MisclassifiedExample[];
    }
  | {
      task: 'regression' | 'forecast';
      samples: number;
      /** The first target column, the one plotted. */
      target: string;
      actual: number[];
      predicted: number[];
      /** Forecasts: the naive last-value forecast of each sample. */
      naive?: number[];
      /** Over every target column, as in metrics.json. */
      mae: number;
      naiveMae?: number;
    };

/** An autosaved project offered back after a crash. */
export interface RecoveryInfo {
  /** The editing session it belongs to ("legacy": the single recovery file of older versions). */
  id: string;
  project: Project;
  projectPath?: string;
  savedAt: string;
}

/** Errors cross the transport as { code, message }; message is one sentence for the user. */
export interface EngineErrorData {
  code: 'invalid' | 'unreadable' | 'not-found' | 'forbidden' | 'unavailable' | 'internal';
  message: string;
  /** JSON-path problems for invalid projects. */
  problems?: { path: string; message: string }[];
}

export class EngineError extends Error {
  constructor(public readonly data: EngineErrorData) {
    super(data.message);
  }
}

export interface EngineApi {
  version(): Promise<string>;
  backend(): Promise<BackendSummary>;
  listLayers(): Promise<LayerInfo[]>;
  inspect(graph: Graph): Promise<InspectResult>;
  listExamples(): Promise<ExampleInfo[]>;
  loadExample(id: string): Promise<Project>;
  /** The palette's Pretrained section: blocks with weights shipped in resources/pretrained/. */
  listPretrained(): Promise<PretrainedBlockInfo[]>;
  openProject(path: string): Promise<Project>;
  /**
   * `from`: the file the project was opened from (Save As); files that belong to the project, its
   * weights file, are carried into the new folder.
   */
  saveProject(path: string, project: Project, from?: string): Promise<void>;
  previewData(data: ProjectData, projectPath?: string): Promise<DataPreview>;
  /** `attached`: the project was already training; the id is that running job's (one run per project). */
  startTraining(request: TrainRequest): Promise<{ jobId: string; attached?: boolean }>;
  stopTraining(jobId: string): Promise<void>;
  listRuns(projectPath: string): Promise<RunSummary[]>;
  exportModel(request: ExportRequest): Promise<ExportResult>;
  /** Run a trained run's model on a CSV or images; optionally save the predictions as a CSV. */
  predict(request: PredictRequest): Promise<PredictResult>;
  /** What a trained run learned: column importances, attributions or heat maps (docs/EXPLAIN.md). */
  explain(query: ExplainQuery): Promise<ExplainResult>;
  /** The test split's predictions of a trained run: forecast vs actual, or the misclassified samples (first `limit`). */
  testPredictions(runDir: string, limit?: number): Promise<TestPredictions>;
  /** The blocks saved to the user's palette, by name. */
  listUserBlocks(): Promise<UserBlock[]>;
  /** Save a block to the user's palette (a block of the same name is replaced). */
  saveUserBlock(block: UserBlock): Promise<void>;
  /** Write a PyTorch DDP training package (model.py, weights, data, train.py, launchers). */
  exportTorchPackage(request: TorchExportRequest): Promise<TorchExportResult>;
  /**
   * File › Import: an ONNX file or a tfjs model.json becomes a project beside it (never over an
   * existing file), checked against the source; nothing is written when any part can't be imported.
   */
  importModel(request: { source: string }): Promise<ImportModelResult>;
  /** Bring a PyTorch package's trained weights back as a run folder. */
  importCheckpoint(request: ImportCheckpointRequest): Promise<ImportCheckpointResult>;
  /** One folder of the workspace for the file picker: sub-folders and usable files, confined by the host's path policy. */
  listFolder(request: ListFolderRequest): Promise<FolderListing>;
  /** Project files the user may open (web mode: under the workspace folder; paths relative to it). */
  listProjects(): Promise<string[]>;
  /**
   * Autosave of the open project to a recovery file (null clears it after a clean save/close).
   * With `sessionId` (a window's or tab's own id: 1–64 letters, digits, "-", "_") each editing
   * session keeps its own recovery; without it, the single shared file of older versions.
   */
  saveRecovery(project: Project | null, projectPath?: string, sessionId?: string): Promise<void>;
  /** The newest recovery left by a crash, if any (see listRecoveries). */
  loadRecovery(): Promise<RecoveryInfo | null>;
  /** Every recovery left behind, newest first: one per editing session, and the old single file. */
  listRecoveries(): Promise<RecoveryInfo[]>;
  /** Remove the recovery listRecoveries() reported under `id` (the user discarded it). */
  discardRecovery(id: string): Promise<void>;
  /** Receive engine events (training progress…); returns the unsubscribe function. */
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

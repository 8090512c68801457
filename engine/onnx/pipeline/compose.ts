// The deployment model (docs/ARCHITECTURE.md, "CLI"; docs/EXPORT.md): the network built by buildOnnxModel wrapped
// between the run's preprocessing (raw columns, pixels or windows in) and its decoding (class labels
// and probabilities, or values in target units out), one ONNX graph. The network's tensors are
// renamed under `network/` so that no column name can collide with them.
import type { Preprocessing } from '../../data/types.ts';
import type { Shape } from '../../layers/types.ts';
import { GraphBuilder } from '../graph-builder.ts';
import { irVersionFor } from '../opsets.ts';
import { onnx, FLOAT, INT64, type OnnxTypes } from '../proto.ts';
import { emitPreprocessing, ML_DOMAIN, pipelineInputs } from './inputs.ts';
import { pipelineMetadata } from './metadata.ts';
import { emitDecoding, pipelineOutputs } from './outputs.ts';
import { PipelineBuilder, STRING } from './pipeline-builder.ts';
import { OUTPUT_NAMES, type PipelineInput, type PipelineOutput } from './types.ts';

export interface PipelineBuildInput {
  /** The network-only model (buildOnnxModel's bytes); its inputs in the order of prep.encodings. */
  network: Uint8Array;
  networkInputs: { name: string; shape: Shape }[];
  networkOutputs: { name: string; shape: Shape }[];
  prep: Preprocessing;
  opset: number;
  version: string;
  metrics?: unknown;
}

export interface PipelineBuildResult {
  bytes: Uint8Array;
  inputs: PipelineInput[];
  outputs: PipelineOutput[];
}

/** Why the run's preprocessing can't be put in the graph; one sentence. */
export class PipelineError extends Error {}

const ELEM = { float32: FLOAT, string: STRING, int64: INT64 } as const;

function valueInfo(
  name: string,
  type: keyof typeof ELEM,
  shape: number[],
  doc: string,
): OnnxTypes.IValueInfoProto {
  const dim = [{ dimParam: 'N' }, ...shape.map((d) => ({ dimValue: d }))];
  return { name, docString: doc, type: { tensorType: { elemType: ELEM[type], shape: { dim } } } };
}

export function buildPipelineModel(input: PipelineBuildInput): PipelineBuildResult {
  const { prep } = input;
  if (input.networkOutputs.length !== 1)
    throw new PipelineError(
      `The deployment export decodes one Output node and this graph has ${input.networkOutputs.length}; export the network alone with --bare.`,
    );
  if (prep.encodings.length !== input.networkInputs.length)
    throw new PipelineError(
      `The run's preprocessing has ${prep.encodings.length} inputs but the network ${input.networkInputs.length}; export the network alone with --bare.`,
    );
  const inputs = pipelineInputs(prep);
  const outputs = pipelineOutputs(prep, input.networkOutputs[0].shape);
  const clash = inputs.find((i) => (OUTPUT_NAMES as readonly string[]).includes(i.name));
  if (clash)
    throw new PipelineError(
      `Column "${clash.name}" has the name of an output of the deployment model; rename the column or export the network alone with --bare.`,
    );
  const b = new GraphBuilder();
  for (const name of [...inputs.map((i) => i.name), ...outputs.map((o) => o.name)]) b.reserve(name);
  const p = new PipelineBuilder(b);

  const net = onnx.ModelProto.decode(input.network).graph!;
  const renamed = new Map<string, string>();
  const rename = (name: string) => {
    if (name === '') return name; // an omitted optional input
    let to = renamed.get(name);
    if (!to) renamed.set(name, (to = b.fresh(`network/${name}`)));
    return to;
  };
  const into = input.networkInputs.map((i) => rename(i.name));
  const stage = emitPreprocessing(
    p,
    prep,
    into,
    input.networkInputs.map((i) => i.shape),
  );
  for (const t of net.initializer ?? []) b.initializers.push({ ...t, name: rename(t.name!) });
  for (const n of net.node ?? [])
    b.nodes.push({
      ...n,
      name: `network/${n.name ?? ''}`,
      input: (n.input ?? []).map(rename),
      output: (n.output ?? []).map(rename),
    });
  emitDecoding(p, prep, rename(input.networkOutputs[0].name), input.networkOutputs[0].shape, stage);

  const opsetImport: OnnxTypes.IOperatorSetIdProto[] = [{ domain: '', version: input.opset }];
  if (stage.usesMlDomain) opsetImport.push({ domain: ML_DOMAIN, version: 1 });
  const model: OnnxTypes.IModelProto = {
    irVersion: irVersionFor(input.opset),
    opsetImport,
    producerName: 'Netwright',
    producerVersion: input.version,
    modelVersion: 1,
    docString: `${net.name ?? 'Model'}, exported by Netwright with its preprocessing: feed raw values.`,
    metadataProps: pipelineMetadata({
      prep,
      inputs,
      outputs,
      version: input.version,
      metrics: input.metrics,
    }),
    graph: {
      name: net.name,
      docString: net.docString,
      node: b.nodes,
      initializer: b.initializers,
      valueInfo: p.valueInfo,
      input: inputs.map((i) => valueInfo(i.name, i.type, i.shape, i.doc)),
      output: outputs.map((o) => valueInfo(o.name, o.type, o.shape, o.doc)),
    },
  };
  return { bytes: onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish(), inputs, outputs };
}

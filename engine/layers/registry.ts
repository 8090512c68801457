// The layer registry: adding a layer kind is one module under engine/layers/ and one line here.
import type * as tfjs from '@tensorflow/tfjs';
import type { LayerSpec, Params } from './types.ts';
import { customLayerClass } from './custom-tfjs.ts';
import { InputLayer } from './input.ts';
import { OutputLayer } from './output.ts';
import { DenseLayer } from './dense.ts';
import { TimeDistributedLayer } from './time-distributed.ts';
import { ActivationLayer } from './activation.ts';
import { ELULayer, LeakyReLULayer, PReLULayer, ReLULayer, SoftmaxLayer } from './activation-layers.ts';
import { EmbeddingLayer } from './embedding.ts';
import { Conv1DLayer, Conv2DLayer, Conv3DLayer } from './conv.ts';
import { Conv2DTransposeLayer, DepthwiseConv2DLayer, SeparableConv2DLayer } from './conv-variants.ts';
import {
  MaxPooling1DLayer,
  MaxPooling2DLayer,
  MaxPooling3DLayer,
  AveragePooling1DLayer,
  AveragePooling2DLayer,
  AveragePooling3DLayer,
} from './pooling.ts';
import {
  GlobalAveragePooling1DLayer,
  GlobalAveragePooling2DLayer,
  GlobalAveragePooling3DLayer,
  GlobalMaxPooling1DLayer,
  GlobalMaxPooling2DLayer,
  GlobalMaxPooling3DLayer,
} from './global-pooling.ts';
import { FlattenLayer } from './flatten.ts';
import { ReshapeLayer } from './reshape.ts';
import { PermuteLayer, RepeatVectorLayer } from './reorder.ts';
import {
  Cropping1DLayer,
  Cropping2DLayer,
  ZeroPadding1DLayer,
  ZeroPadding2DLayer,
} from './padding-cropping.ts';
import { UpSampling1DLayer, UpSampling2DLayer } from './upsampling.ts';
import { DropoutLayer } from './dropout.ts';
import {
  AlphaDropoutLayer,
  GaussianDropoutLayer,
  GaussianNoiseLayer,
  SpatialDropout1DLayer,
  SpatialDropout2DLayer,
} from './noise.ts';
import { BatchNormalizationLayer, LayerNormalizationLayer } from './normalization.ts';
import { SimpleRNNLayer, LSTMLayer, GRULayer } from './recurrent.ts';
import { BidirectionalLayer } from './bidirectional.ts';
import {
  AddLayer,
  SubtractLayer,
  MultiplyLayer,
  AverageLayer,
  MaximumLayer,
  MinimumLayer,
  ConcatenateLayer,
} from './merge.ts';
import { DotLayer } from './dot.ts';
import { MultiHeadAttentionLayer } from './multi-head-attention.ts';
import { PositionalEmbeddingLayer } from './positional-embedding.ts';
import { attentionClasses } from './attention-tfjs.ts';

// Palette order: by family, most used first.
const ALL: LayerSpec<never>[] = [
  InputLayer,
  OutputLayer,
  DenseLayer,
  TimeDistributedLayer,
  ActivationLayer,
  ReLULayer,
  LeakyReLULayer,
  PReLULayer,
  ELULayer,
  SoftmaxLayer,
  EmbeddingLayer,
  Conv1DLayer,
  Conv2DLayer,
  Conv3DLayer,
  Conv2DTransposeLayer,
  DepthwiseConv2DLayer,
  SeparableConv2DLayer,
  MaxPooling1DLayer,
  MaxPooling2DLayer,
  MaxPooling3DLayer,
  AveragePooling1DLayer,
  AveragePooling2DLayer,
  AveragePooling3DLayer,
  GlobalAveragePooling1DLayer,
  GlobalAveragePooling2DLayer,
  GlobalAveragePooling3DLayer,
  GlobalMaxPooling1DLayer,
  GlobalMaxPooling2DLayer,
  GlobalMaxPooling3DLayer,
  FlattenLayer,
  ReshapeLayer,
  PermuteLayer,
  RepeatVectorLayer,
  ZeroPadding1DLayer,
  ZeroPadding2DLayer,
  Cropping1DLayer,
  Cropping2DLayer,
  UpSampling1DLayer,
  UpSampling2DLayer,
  DropoutLayer,
  SpatialDropout1DLayer,
  SpatialDropout2DLayer,
  GaussianNoiseLayer,
  GaussianDropoutLayer,
  AlphaDropoutLayer,
  BatchNormalizationLayer,
  LayerNormalizationLayer,
  SimpleRNNLayer,
  LSTMLayer,
  GRULayer,
  BidirectionalLayer,
  MultiHeadAttentionLayer,
  PositionalEmbeddingLayer,
  AddLayer,
  MultiplyLayer,
  AverageLayer,
  SubtractLayer,
  MaximumLayer,
  MinimumLayer,
  ConcatenateLayer,
  DotLayer,
];

const byType = new Map<string, LayerSpec>(ALL.map((spec) => [spec.type, spec as unknown as LayerSpec]));

export function getLayer(type: string): LayerSpec | undefined {
  return byType.get(type);
}

export function allLayers(): LayerSpec[] {
  return [...byType.values()];
}

export function layerTypes(): string[] {
  return [...byType.keys()];
}

/** Registers the tfjs classes of the kinds tfjs lacks, so that saved models using them load. */
export function registerCustomLayers(tf: typeof tfjs): void {
  for (const spec of byType.values()) if (spec.tfjsCall) customLayerClass(tf, spec, spec.tfjsCall);
  attentionClasses(tf); // layers with weights: their own classes
}

export type { LayerSpec, Params };

// ONNX emitters by layer type name, registered on the exporter's side: layer modules never import
// an exporter (docs/ARCHITECTURE.md, "ONNX export"). A layer kind without an emitter here is
// refused by the pre-flight report with one sentence. Adding an exporter for a layer is one line.
import type { Params } from '../layers/types.ts';
import type { OnnxEmitter } from './emitter-types.ts';
import { eluOnnx, leakyReluOnnx, preluOnnx, reluOnnx, softmaxOnnx } from './emitters/activation-layers.ts';
import { activationOnnx, denseOnnx, inferenceIdentityOnnx } from './emitters/core.ts';
import { batchNormOnnx, layerNormOnnx } from './emitters/normalization.ts';
import { bidirectionalOnnx, recurrentOnnx } from './emitters/recurrent.ts';
import {
  concatenateOnnx,
  elementwiseMergeOnnx,
  embeddingOnnx,
  flattenOnnx,
  permuteOnnx,
  repeatVectorOnnx,
  reshapeOnnx,
} from './emitters/shape.ts';
import { dotOnnx } from './emitters/dot.ts';
import { croppingOnnx, zeroPaddingOnnx } from './emitters/padding-cropping.ts';
import { convOnnx, globalPoolOnnx, poolOnnx } from './emitters/spatial.ts';
import { conv2dTransposeOnnx, depthwiseConv2dOnnx, separableConv2dOnnx } from './emitters/conv-variants.ts';
import { upSampling1dOnnx, upSampling2dOnnx } from './emitters/upsampling.ts';
import { multiHeadAttentionOnnx, positionalEmbeddingOnnx } from './emitters/attention.ts';

const emitters = new Map<string, OnnxEmitter>();

export function registerOnnx<P extends Params>(type: string, emitter: OnnxEmitter<P>): void {
  emitters.set(type, emitter as unknown as OnnxEmitter);
}

/** The emitter for a layer type, or undefined when that type can't be exported to ONNX. */
export function onnxEmitterFor(type: string): OnnxEmitter | undefined {
  return emitters.get(type);
}

registerOnnx('Dense', denseOnnx);
registerOnnx('TimeDistributed', denseOnnx);
registerOnnx('Activation', activationOnnx);
registerOnnx('ReLU', reluOnnx);
registerOnnx('LeakyReLU', leakyReluOnnx);
registerOnnx('PReLU', preluOnnx);
registerOnnx('ELU', eluOnnx);
registerOnnx('Softmax', softmaxOnnx);
registerOnnx('Dropout', inferenceIdentityOnnx);
registerOnnx('SpatialDropout1D', inferenceIdentityOnnx);
registerOnnx('SpatialDropout2D', inferenceIdentityOnnx);
registerOnnx('GaussianNoise', inferenceIdentityOnnx);
registerOnnx('GaussianDropout', inferenceIdentityOnnx);
registerOnnx('AlphaDropout', inferenceIdentityOnnx);
registerOnnx('Embedding', embeddingOnnx);
registerOnnx('Conv1D', convOnnx(1));
registerOnnx('Conv2D', convOnnx(2));
registerOnnx('Conv3D', convOnnx(3));
registerOnnx('Conv2DTranspose', conv2dTransposeOnnx);
registerOnnx('DepthwiseConv2D', depthwiseConv2dOnnx);
registerOnnx('SeparableConv2D', separableConv2dOnnx);
registerOnnx('MaxPooling1D', poolOnnx(1, 'max'));
registerOnnx('MaxPooling2D', poolOnnx(2, 'max'));
registerOnnx('AveragePooling1D', poolOnnx(1, 'average'));
registerOnnx('AveragePooling2D', poolOnnx(2, 'average'));
registerOnnx('MaxPooling3D', poolOnnx(3, 'max'));
registerOnnx('AveragePooling3D', poolOnnx(3, 'average'));
registerOnnx('GlobalAveragePooling1D', globalPoolOnnx(1, 'average'));
registerOnnx('GlobalAveragePooling2D', globalPoolOnnx(2, 'average'));
registerOnnx('GlobalMaxPooling1D', globalPoolOnnx(1, 'max'));
registerOnnx('GlobalMaxPooling2D', globalPoolOnnx(2, 'max'));
registerOnnx('GlobalAveragePooling3D', globalPoolOnnx(3, 'average'));
registerOnnx('GlobalMaxPooling3D', globalPoolOnnx(3, 'max'));
registerOnnx('Flatten', flattenOnnx);
registerOnnx('Reshape', reshapeOnnx);
registerOnnx('Permute', permuteOnnx);
registerOnnx('RepeatVector', repeatVectorOnnx);
registerOnnx('ZeroPadding1D', zeroPaddingOnnx(1));
registerOnnx('ZeroPadding2D', zeroPaddingOnnx(2));
registerOnnx('Cropping1D', croppingOnnx(1));
registerOnnx('Cropping2D', croppingOnnx(2));
registerOnnx('UpSampling1D', upSampling1dOnnx);
registerOnnx('UpSampling2D', upSampling2dOnnx);
registerOnnx('BatchNormalization', batchNormOnnx);
registerOnnx('LayerNormalization', layerNormOnnx);
registerOnnx('SimpleRNN', recurrentOnnx('SimpleRNN'));
registerOnnx('LSTM', recurrentOnnx('LSTM'));
registerOnnx('GRU', recurrentOnnx('GRU'));
registerOnnx('Bidirectional', bidirectionalOnnx);
registerOnnx('Add', elementwiseMergeOnnx('add'));
registerOnnx('Multiply', elementwiseMergeOnnx('multiply'));
registerOnnx('Average', elementwiseMergeOnnx('average'));
registerOnnx('Subtract', elementwiseMergeOnnx('subtract'));
registerOnnx('Maximum', elementwiseMergeOnnx('maximum'));
registerOnnx('Minimum', elementwiseMergeOnnx('minimum'));
registerOnnx('Dot', dotOnnx);
registerOnnx('Concatenate', concatenateOnnx);
registerOnnx('MultiHeadAttention', multiHeadAttentionOnnx);
registerOnnx('PositionalEmbedding', positionalEmbeddingOnnx);

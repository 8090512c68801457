// tfjs custom layers for the kinds tfjs 4 lacks: MultiHeadAttention and PositionalEmbedding
// (docs/ARCHITECTURE.md, "Attention"). They follow Keras's definitions (weights, shapes, causal mask)
// and are registered with tf.serialization, so a saved run reloads for evaluate, predict and export.
// The classes are made from the tfjs namespace the caller passes (layer modules never import tfjs at
// run time), once per namespace.
import type * as tfjs from '@tensorflow/tfjs';

/** Keras adds this to masked attention scores (float32): exp of it underflows to exactly 0. */
export const MASKED_SCORE = -1e9;

export type AttentionConfig = {
  numHeads: number;
  keyDim: number;
  /** 0: the key dim, as Keras's value_dim=None. */
  valueDim: number;
  dropout: number;
  causal: boolean;
  useBias: boolean;
  /**
   * Which of the tensors the layer is applied to each port (query, key, value) reads: self-attention
   * gets x once with [0, 0] (tfjs frees a tensor fed twice to one layer too early).
   */
  inputMap?: number[];
};

export type PositionalConfig = {
  sequenceLength: number;
  mode: 'learned' | 'sinusoidal';
};

/** The fixed sin/cos table (keras-hub SinePositionEncoding, max wavelength 10000), row-major [length, dim]. */
export function sinusoidTable(length: number, dim: number): Float32Array {
  const out = new Float32Array(length * dim);
  for (let p = 0; p < length; p++) {
    for (let i = 0; i < dim; i++) {
      const angle = p * Math.pow(10000, -(2 * Math.floor(i / 2)) / dim);
      out[p * dim + i] = i % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return out;
}

/** Row-major [tq, tk]: 0 where key j may be seen from query i (j ≤ i), MASKED_SCORE elsewhere. */
export function causalMask(tq: number, tk: number): Float32Array {
  const out = new Float32Array(tq * tk);
  for (let i = 0; i < tq; i++) for (let j = i + 1; j < tk; j++) out[i * tk + j] = MASKED_SCORE;
  return out;
}

type Kwargs = Record<string, unknown>;
type LayerArgs = ConstructorParameters<typeof tfjs.layers.Layer>[0];
type Weight = ReturnType<tfjs.layers.Layer['addWeight']>;
type Shape = (number | null)[];

/** A single shape or a list of them, as tfjs passes one or several inputs, as a list. */
const shapeList = (s: Shape | Shape[]): Shape[] => (Array.isArray(s[0]) ? (s as Shape[]) : [s as Shape]);

interface CustomClasses {
  MultiHeadAttention: new (config: AttentionConfig & LayerArgs) => tfjs.layers.Layer;
  PositionalEmbedding: new (config: PositionalConfig & LayerArgs) => tfjs.layers.Layer;
}

const made = new WeakMap<object, CustomClasses>();

/** The custom layer classes for this tfjs namespace, registered for (de)serialisation. */
export function attentionClasses(tf: typeof tfjs): CustomClasses {
  const known = made.get(tf);
  if (known) return known;

  class MultiHeadAttention extends tf.layers.Layer {
    static className = 'MultiHeadAttention';
    readonly cfg: AttentionConfig;
    private w: Record<string, Weight | null> = {};

    constructor(config: AttentionConfig & LayerArgs) {
      super(config);
      const { numHeads, keyDim, valueDim, dropout, causal, useBias, inputMap } = config;
      this.cfg = { numHeads, keyDim, valueDim, dropout, causal, useBias, ...(inputMap ? { inputMap } : {}) };
    }

    /** The port inputs (query, key, value?) from what the layer was applied to. */
    private ports<T>(given: T[]): T[] {
      return this.cfg.inputMap ? this.cfg.inputMap.map((i) => given[i]) : given;
    }

    private get depthV(): number {
      return this.cfg.valueDim || this.cfg.keyDim;
    }

    override build(inputShape: Shape | Shape[]): void {
      const shapes = this.ports(shapeList(inputShape));
      const [q, k, v = k] = shapes.map((s) => s[s.length - 1] as number);
      const { numHeads: h, keyDim, useBias } = this.cfg;
      const glorot = () => tf.initializers.glorotUniform({});
      const add = (name: string, shape: number[], init: ReturnType<typeof tfjs.initializers.zeros>) =>
        (this.w[name] = this.addWeight(name, shape, 'float32', init));
      // Keras's EinsumDense kernels: [in, heads, depth] for the projections, [heads, depth, out] after.
      add('query_kernel', [q, h, keyDim], glorot());
      add('key_kernel', [k, h, keyDim], glorot());
      add('value_kernel', [v, h, this.depthV], glorot());
      add('output_kernel', [h, this.depthV, q], glorot());
      if (useBias) {
        add('query_bias', [h, keyDim], tf.initializers.zeros());
        add('key_bias', [h, keyDim], tf.initializers.zeros());
        add('value_bias', [h, this.depthV], tf.initializers.zeros());
        add('output_bias', [q], tf.initializers.zeros());
      }
      this.built = true;
    }

    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      return [...this.ports(shapeList(inputShape))[0]];
    }

    /** [batch, time, in] → [batch, heads, time, depth]. */
    private project(x: tfjs.Tensor, part: string, depth: number): tfjs.Tensor {
      const [b, t, d] = x.shape as number[];
      const h = this.cfg.numHeads;
      let y = tf.matMul(
        tf.reshape(x, [b * t, d]),
        tf.reshape(this.w[`${part}_kernel`]!.read(), [d, h * depth]),
      );
      const bias = this.w[`${part}_bias`];
      if (bias) y = tf.add(y, tf.reshape(bias.read(), [h * depth]));
      return tf.transpose(tf.reshape(y, [b, t, h, depth]), [0, 2, 1, 3]);
    }

    override call(inputs: tfjs.Tensor | tfjs.Tensor[], kwargs: Kwargs): tfjs.Tensor {
      return tf.tidy(() => {
        const [query, key, value = key] = this.ports(Array.isArray(inputs) ? inputs : [inputs]);
        const { numHeads: h, keyDim, dropout, causal } = this.cfg;
        const [b, tq, dq] = query.shape as number[];
        const tk = key.shape[1] as number;
        const qh = tf.mul(this.project(query, 'query', keyDim), 1 / Math.sqrt(keyDim));
        const kh = this.project(key, 'key', keyDim);
        const vh = this.project(value, 'value', this.depthV);
        let scores = tf.matMul(qh, kh, false, true); // [batch, heads, tq, tk]
        if (causal) scores = tf.add(scores, tf.tensor2d(causalMask(tq, tk), [tq, tk]));
        let weights = tf.softmax(scores);
        if (kwargs.training === true && dropout > 0) weights = tf.dropout(weights, dropout);
        const heads = tf.transpose(tf.matMul(weights, vh), [0, 2, 1, 3]); // [batch, tq, heads, depthV]
        let y = tf.matMul(
          tf.reshape(heads, [b * tq, h * this.depthV]),
          tf.reshape(this.w.output_kernel!.read(), [h * this.depthV, dq]),
        );
        if (this.w.output_bias) y = tf.add(y, this.w.output_bias.read());
        return tf.reshape(y, [b, tq, dq]);
      });
    }

    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), ...this.cfg };
    }
  }

  class PositionalEmbedding extends tf.layers.Layer {
    static className = 'PositionalEmbedding';
    readonly cfg: PositionalConfig;
    private embeddings: Weight | null = null;
    private table: tfjs.Tensor | null = null;

    constructor(config: PositionalConfig & LayerArgs) {
      super(config);
      this.cfg = { sequenceLength: config.sequenceLength, mode: config.mode };
    }

    override build(inputShape: Shape | Shape[]): void {
      const dim = (inputShape as Shape)[(inputShape as Shape).length - 1] as number;
      const { sequenceLength, mode } = this.cfg;
      if (mode === 'learned') {
        this.embeddings = this.addWeight(
          'embeddings',
          [sequenceLength, dim],
          'float32',
          tf.initializers.glorotUniform({}),
        );
      } else {
        this.table = tf.keep(tf.tensor2d(sinusoidTable(sequenceLength, dim), [sequenceLength, dim]));
      }
      this.built = true;
    }

    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      return [...(inputShape as Shape)];
    }

    override call(inputs: tfjs.Tensor | tfjs.Tensor[], _kwargs: Kwargs): tfjs.Tensor {
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        const [, t, d] = x.shape;
        const positions = this.embeddings ? this.embeddings.read() : this.table!;
        return tf.add(x, tf.slice(positions, [0, 0], [t, d]));
      });
    }

    override dispose(): ReturnType<tfjs.layers.Layer['dispose']> {
      this.table?.dispose();
      this.table = null;
      return super.dispose();
    }

    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), ...this.cfg };
    }
  }

  tf.serialization.registerClass(MultiHeadAttention);
  tf.serialization.registerClass(PositionalEmbedding);
  const classes: CustomClasses = { MultiHeadAttention, PositionalEmbedding };
  made.set(tf, classes);
  return classes;
}

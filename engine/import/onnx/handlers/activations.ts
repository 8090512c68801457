// Element-wise activations. Right after a Dense or Conv whose output nothing else reads, the
// activation becomes that layer's `activation` (as the exporter writes Dense(relu) as Gemm + Relu);
// elsewhere it is an Activation node.
import { getLayer } from '../../../layers/registry.ts';
import { handles, refuse, type ImportContext } from '../handler-types.ts';
import { logicalAxis, type TensorValue } from '../values.ts';

const FUSES_INTO = new Set(['Dense', 'Conv1D', 'Conv2D']);

/** The tfjs activation an op computes, or a refusal when its constants differ from tfjs'. */
function activationOf(ctx: ImportContext, x: TensorValue): string {
  const a = ctx.node.attrs;
  switch (ctx.node.opType) {
    case 'Relu':
      return 'relu';
    case 'Sigmoid':
      return 'sigmoid';
    case 'Tanh':
      return 'tanh';
    case 'Softplus':
      return 'softplus';
    case 'Softsign':
      return 'softsign';
    case 'Elu':
      if (Math.abs(a.float('alpha', 1) - 1) > 1e-6)
        refuse(`alpha ${a.float('alpha', 1)} differs from tfjs' elu (alpha 1)`);
      return 'elu';
    case 'Selu':
      return 'selu';
    case 'Softmax': {
      const axis = a.int('axis', ctx.opset >= 13 ? -1 : 1);
      if (x.unitAxes || logicalAxis(x, axis) !== x.perm.length - 1)
        refuse('it normalises over an axis other than the features/channels axis');
      return 'softmax';
    }
    default:
      return refuse('no Netwright activation computes it');
  }
}

function activation(ctx: ImportContext) {
  const x = ctx.tensor(0);
  const name = activationOf(ctx, x);
  const producer = ctx.nodeOf(x.node);
  if (
    FUSES_INTO.has(producer.type) &&
    (producer.params.activation ?? 'linear') === 'linear' &&
    ctx.inputReaders(0) === 1 &&
    !x.order
  ) {
    ctx.setParam(x.node, 'activation', name);
    ctx.set(0, x);
    return;
  }
  const id = ctx.add('Activation', { activation: name }, [x]);
  ctx.set(0, { ...x, node: id });
}

/** LeakyRelu needs a LeakyReLU layer kind; found by registry lookup, so it imports once one exists. */
function leakyRelu(ctx: ImportContext) {
  const x = ctx.tensor(0);
  const spec = getLayer('LeakyReLU');
  if (!spec) refuse('this Netwright has no LeakyReLU layer yet');
  const id = ctx.add('LeakyReLU', { alpha: ctx.node.attrs.float('alpha', 0.01) }, [x]);
  ctx.set(0, { ...x, node: id });
}

export const activationHandlers = [
  ...handles(['Relu', 'Sigmoid', 'Tanh', 'Softmax', 'Elu', 'Selu', 'Softplus', 'Softsign'], activation),
  ...handles(['LeakyRelu'], leakyRelu),
];

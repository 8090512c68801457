// The activation layers with settings (LeakyReLU…): element-wise, in whatever layout comes.
import { registerTorch } from '../registry.ts';
import { kwargs } from '../python.ts';

registerTorch('LeakyReLU', {
  inputLayout: () => 'keep',
  forward: (n, [x]) => ({
    expr: `F.leaky_relu(${x}, ${kwargs({ negative_slope: Number(n.params.alpha) })})`,
  }),
});

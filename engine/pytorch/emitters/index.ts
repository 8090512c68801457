// Loads every PyTorch emitter family, each registering its layer types with registerTorch.
import './core.ts';
import './activation-layers.ts';
import './shape.ts';
import './spatial.ts';
import './conv-variants.ts';
import './normalization.ts';
import './recurrent.ts';
import './attention.ts';

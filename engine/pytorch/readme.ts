// README.md of a PyTorch package: how to run it, what each file is, how to bring the result back.
import type { TrainingSettings } from '../train/config.ts';

export function packageReadme(o: {
  name: string;
  samples: { train: number; validation: number; test: number };
  settings: TrainingSettings;
  loss: string;
}): string {
  const s = o.settings;
  return `# ${o.name} — PyTorch training package

Exported by Netwright. The model, its weights and the data are the ones Netwright had; \`train.py\`
trains them with PyTorch's DistributedDataParallel on one or many machines, and
\`netwright import-checkpoint\` brings the result back into Netwright.

## Run

Needs Python 3 with PyTorch ≥ 1.13 and NumPy (\`pip install -r requirements.txt\`).

| where | command |
| --- | --- |
| one machine, N processes | \`torchrun --standalone --nproc_per_node=N train.py\` or \`launch/torchrun.sh N\` |
| without torchrun | \`python train.py --nproc-per-node N\` (starts the N processes itself) |
| processes you start yourself | set \`MASTER_ADDR\`, \`MASTER_PORT\`, \`RANK\`, \`WORLD_SIZE\`, \`LOCAL_RANK\` per process, then \`python train.py\` |
| Slurm, several nodes | \`sbatch launch/slurm.sbatch\` (edit the \`#SBATCH\` lines) |
| Ray cluster | \`python launch/ray_train.py --workers N [--gpu]\` (needs \`ray[train]\`) |

Processes use NCCL when CUDA is available, gloo otherwise. Options of \`train.py\`: \`--out DIR\`
(default \`output/\`), \`--epochs N\`, \`--resume\` (continue from the latest checkpoint),
\`--record-shards\` (write the sample indices each rank trains on in the first epoch).

## Settings (from the project)

- loss \`${o.loss}\`, optimizer \`${s.optimizer.type}\`${s.optimizer.learningRate !== undefined ? ` (learning rate ${s.optimizer.learningRate})` : ''}
- ${s.epochs} epochs, global batch ${s.batchSize} (split evenly across the processes), seed ${s.seed}
- early stopping: ${s.earlyStopping ? `on (${JSON.stringify(s.earlyStopping)})` : 'off'}; learning-rate schedule: ${s.lrSchedule ? JSON.stringify(s.lrSchedule) : 'none'}
- data: ${o.samples.train} training, ${o.samples.validation} validation and ${o.samples.test} test samples

All of them live in \`config.json\`; edit it to change them.

## Files

| file | what it is |
| --- | --- |
| \`model.py\` | the network as an \`nn.Module\`; \`build_model()\` loads \`weights/\` |
| \`weights/\` | one \`.npy\` per \`state_dict\` key (trained weights of the run, or the seeded initial ones) |
| \`data.py\`, \`data/\` | the train/validation/test split Netwright used, already preprocessed, as \`.npy\` arrays |
| \`train.py\` | the DDP training script; \`run()\` is the training function every launcher calls |
| \`config.json\` | loss, optimizer, batch size, epochs, schedule, early stopping |
| \`launch/\` | torchrun, Slurm and Ray Train launchers |
| \`netwright/\` | the project, its preprocessing, the split (\`split.json\`: which samples are train, validation, test) and where it came from, for \`import-checkpoint\` |

## Output

Rank 0 writes \`output/metrics.jsonl\` (one JSON line per epoch, then the test metrics),
\`output/checkpoints/\` (the latest epoch: \`weights/\` and \`state.pt\` with the optimizer state) and,
at the end, \`output/final/\` (the final weights and \`metrics.json\` on the test split).

## Bring the result back

    netwright import-checkpoint <this folder> --out <run folder>

makes a Netwright run of \`output/final\` (or \`--checkpoint output/checkpoints/epoch-NNNN\`), with the
test metrics recomputed by Netwright, ready for \`evaluate\`, \`predict\` and \`export --onnx\`.
`;
}

// The Python classes model.py includes when a layer needs them (each only when used): TensorFlow's
// 'same' padding, average pooling that leaves padding out, and the recurrent layers as tfjs computes
// them (one bias, tfjs gate order, GRU with reset_after = false, which nn.GRU is not).
export interface PyHelper {
  name: string;
  /** Helpers this one uses. */
  needs: string[];
  code: string;
}

const SAME_PAD = `class SamePad(nn.Module):
    """Padding as TensorFlow's 'same' computes it: the odd cell goes at the end."""

    def __init__(self, kernel_size, stride, dilation=None, value=0.0):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride
        self.dilation = dilation or (1,) * len(kernel_size)
        self.value = value

    def forward(self, x):
        pads = []
        # F.pad takes the last axis first.
        sizes = zip(x.shape[2:], self.kernel_size, self.stride, self.dilation)
        for size, kernel, stride, dilation in reversed(list(sizes)):
            span = (kernel - 1) * dilation + 1
            total = max((-(-size // stride) - 1) * stride + span - size, 0)
            pads += [total // 2, total - total // 2]
        return F.pad(x, pads, value=self.value)
`;

const AVG_POOL_SAME = `class AvgPoolSame(nn.Module):
    """Average pooling with TensorFlow's uneven 'same' padding, leaving padded cells out."""

    def __init__(self, kernel_size, stride):
        super().__init__()
        self.pad = SamePad(kernel_size, stride)
        pool = [nn.AvgPool1d, nn.AvgPool2d, nn.AvgPool3d][len(kernel_size) - 1]
        self.pool = pool(kernel_size, stride)

    def forward(self, x):
        ones = torch.ones_like(x[:1, :1])
        return self.pool(self.pad(x)) / self.pool(self.pad(ones))
`;

const recurrentInit = (
  gates: number,
) => `    def __init__(self, input_size, hidden_size, activation=torch.tanh):
        super().__init__()
        self.hidden_size = hidden_size
        self.activation = activation
        self.weight_ih = nn.Parameter(torch.empty(${gates === 1 ? '' : `${gates} * `}hidden_size, input_size))
        self.weight_hh = nn.Parameter(torch.empty(${gates === 1 ? '' : `${gates} * `}hidden_size, hidden_size))
        self.bias = nn.Parameter(torch.zeros(${gates === 1 ? '' : `${gates} * `}hidden_size))
        nn.init.xavier_uniform_(self.weight_ih)
        nn.init.orthogonal_(self.weight_hh)
`;

const SIMPLE_RNN = `class TfSimpleRNN(nn.Module):
    """tfjs's SimpleRNN: h_t = activation(W_ih x_t + W_hh h_(t-1) + b), with one bias."""

${recurrentInit(1)}
    def forward(self, x):
        inputs = F.linear(x, self.weight_ih, self.bias)
        h = x.new_zeros(x.shape[0], self.hidden_size)
        outputs = []
        for t in range(x.shape[1]):
            h = self.activation(inputs[:, t] + F.linear(h, self.weight_hh))
            outputs.append(h)
        return torch.stack(outputs, dim=1)
`;

const LSTM = `class TfLSTM(nn.Module):
    """tfjs's LSTM: gates i, f, c, o (PyTorch's order too), one bias, sigmoid gates."""

${recurrentInit(4)}
    def forward(self, x):
        inputs = F.linear(x, self.weight_ih, self.bias)
        h = x.new_zeros(x.shape[0], self.hidden_size)
        c = h
        outputs = []
        for t in range(x.shape[1]):
            gates = inputs[:, t] + F.linear(h, self.weight_hh)
            i, f, g, o = gates.chunk(4, dim=1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * self.activation(g)
            h = torch.sigmoid(o) * self.activation(c)
            outputs.append(h)
        return torch.stack(outputs, dim=1)
`;

const GRU = `class TfGRU(nn.Module):
    """tfjs's GRU (Keras reset_after=False): the reset gate scales h before the recurrent product,
    unlike nn.GRU. Gates in tfjs order: update z, reset r, candidate."""

${recurrentInit(3)}
    def forward(self, x):
        inputs = F.linear(x, self.weight_ih, self.bias)
        w_zr, w_candidate = self.weight_hh.split([2 * self.hidden_size, self.hidden_size])
        h = x.new_zeros(x.shape[0], self.hidden_size)
        outputs = []
        for t in range(x.shape[1]):
            x_z, x_r, x_candidate = inputs[:, t].chunk(3, dim=1)
            h_z, h_r = F.linear(h, w_zr).chunk(2, dim=1)
            z = torch.sigmoid(x_z + h_z)
            r = torch.sigmoid(x_r + h_r)
            candidate = self.activation(x_candidate + F.linear(r * h, w_candidate))
            h = z * h + (1 - z) * candidate
            outputs.append(h)
        return torch.stack(outputs, dim=1)
`;

const MERGE_DIRECTIONS = `def merge_directions(forward, backward, mode):
    """Bidirectional's merge of its two directions, as tfjs does it."""
    if mode == 'concat':
        return torch.cat([forward, backward], dim=-1)
    if mode == 'sum':
        return forward + backward
    if mode == 'mul':
        return forward * backward
    return (forward + backward) / 2
`;

const MULTI_HEAD_ATTENTION = `class KerasMultiHeadAttention(nn.Module):
    """Keras's MultiHeadAttention: heads of key_dim, the output in the query's features."""

    def __init__(self, query_in, key_in, value_in, num_heads, key_dim, value_dim,
                 dropout=0.0, causal=False, bias=True):
        super().__init__()
        self.num_heads = num_heads
        self.key_dim = key_dim
        self.value_dim = value_dim
        self.causal = causal
        self.query = nn.Linear(query_in, num_heads * key_dim, bias=bias)
        self.key = nn.Linear(key_in, num_heads * key_dim, bias=bias)
        self.value = nn.Linear(value_in, num_heads * value_dim, bias=bias)
        self.output = nn.Linear(num_heads * value_dim, query_in, bias=bias)
        self.dropout = nn.Dropout(dropout)

    def heads(self, x, depth):
        return x.view(x.shape[0], x.shape[1], self.num_heads, depth).transpose(1, 2)

    def forward(self, query, key, value=None):
        value = key if value is None else value
        q = self.heads(self.query(query), self.key_dim) * (1.0 / self.key_dim ** 0.5)
        k = self.heads(self.key(key), self.key_dim)
        v = self.heads(self.value(value), self.value_dim)
        scores = q @ k.transpose(-1, -2)
        if self.causal:
            above = torch.ones(scores.shape[-2:], dtype=torch.bool, device=scores.device).triu(1)
            scores = scores.masked_fill(above, -1e9)
        weights = self.dropout(torch.softmax(scores, dim=-1))
        mixed = (weights @ v).transpose(1, 2).reshape(query.shape[0], query.shape[1], -1)
        return self.output(mixed)
`;

const POSITIONAL_EMBEDDING = `class PositionalEmbedding(nn.Module):
    """Adds a position code to each step: learned, or sin/cos waves (max wavelength 10000)."""

    def __init__(self, sequence_length, features, learned=True):
        super().__init__()
        if learned:
            self.embeddings = nn.Parameter(torch.empty(sequence_length, features))
            nn.init.xavier_uniform_(self.embeddings)
        else:
            pos = torch.arange(sequence_length, dtype=torch.float64).unsqueeze(1)
            i = torch.arange(features)
            angles = pos * torch.pow(10000.0, -(2 * (i // 2)).double() / features)
            table = torch.where(i % 2 == 0, torch.sin(angles), torch.cos(angles)).float()
            self.register_buffer('embeddings', table, persistent=False)

    def forward(self, x):
        return x + self.embeddings[: x.shape[1]]
`;

const BILINEAR_UPSAMPLE = `class TfBilinearUpsample(nn.Module):
    """tfjs's bilinear upsampling: input position = output position / scale, last row repeated."""

    def __init__(self, scale):
        super().__init__()
        self.scale = scale

    def forward(self, x):
        # With one repeated row and column added, corner alignment maps output i to input i / scale.
        size = [n * s + 1 for n, s in zip(x.shape[2:], self.scale)]
        padded = F.pad(x, (0, 1, 0, 1), mode='replicate')
        return F.interpolate(padded, size=size, mode='bilinear', align_corners=True)[:, :, :-1, :-1]
`;

const L2_NORMALIZE = `def l2_normalize(x, dim):
    """x / sqrt(max(sum(x ** 2), 1e-7)) along dim, as tfjs' l2Normalize."""
    return F.normalize(x, dim=dim, eps=1e-7 ** 0.5)
`;

export const PY_HELPERS: PyHelper[] = [
  { name: 'l2_normalize', needs: [], code: L2_NORMALIZE },
  { name: 'SamePad', needs: [], code: SAME_PAD },
  { name: 'AvgPoolSame', needs: ['SamePad'], code: AVG_POOL_SAME },
  { name: 'TfSimpleRNN', needs: [], code: SIMPLE_RNN },
  { name: 'TfLSTM', needs: [], code: LSTM },
  { name: 'TfGRU', needs: [], code: GRU },
  { name: 'merge_directions', needs: [], code: MERGE_DIRECTIONS },
  { name: 'KerasMultiHeadAttention', needs: [], code: MULTI_HEAD_ATTENTION },
  { name: 'PositionalEmbedding', needs: [], code: POSITIONAL_EMBEDDING },
  { name: 'TfBilinearUpsample', needs: [], code: BILINEAR_UPSAMPLE },
];

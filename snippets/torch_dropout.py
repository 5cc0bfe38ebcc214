"""Dropout in PyTorch, next to the Keras programs on the same pages.

Run it with ``python torch_dropout.py``. It applies ``nn.Dropout`` to arrays
of ones, shows what ``model.train()`` and ``model.eval()`` switch (and what
``torch.no_grad()`` does not), the two functional calls that ignore
``eval()`` (``F.dropout`` and ``scaled_dot_product_attention``), what
``nn.LSTM(dropout=...)`` does with one layer and with two, and which way
PyTorch's ``p`` points.
"""

# --8<-- [start:imports]
import warnings

import torch
import torch.nn.functional as F
from torch import nn

# --8<-- [end:imports]

# --8<-- [start:layer]
torch.manual_seed(0)
ones = torch.ones(20, 500)  # 10 000 units, all equal to 1
dropout = nn.Dropout(p=0.5)  # p: the probability of DROPPING a unit
starts_in_training = dropout.training  # a new module is in training mode
on = dropout(ones)
dropout.eval()
off = dropout(ones)
unchanged = torch.equal(off, ones)
dropped_fraction = (on == 0).float().mean().item()
kept_values = sorted(on.unique().tolist())
mean_on = on.mean().item()
print(f"a new module:  training = {starts_in_training}")
print(f"training mode: dropped fraction = {dropped_fraction:.3f}")
print(f"               values = {kept_values}, mean = {mean_on:.3f}")
print(f"after eval():  unchanged = {unchanged}")
# --8<-- [end:layer]

# --8<-- [start:many]
torch.manual_seed(3)
ones = torch.ones(200, 500)  # 100 000 units
torch_rate = 0.3
layer = nn.Dropout(torch_rate)
out = layer(ones)
torch_stats = {
    "zeroed": (out == 0).float().mean().item(),
    "mean": out.mean().item(),
    "max": out.max().item(),
}
print("          zeroed    mean     max")
print(
    f"PyTorch {torch_stats['zeroed']:8.4f}  {torch_stats['mean']:6.4f}"
    f"  {torch_stats['max']:6.4f}"
)
print(f"p = {torch_rate}, 1 / (1 - p) = {1 / (1 - torch_rate):.4f}")
torch_unchanged_in_eval = torch.equal(layer.eval()(ones), ones)
print(f"unchanged after eval(): {torch_unchanged_in_eval}")
# --8<-- [end:many]

# --8<-- [start:modes]
torch.manual_seed(0)
net = nn.Sequential(
    nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 1)
)
batch = torch.randn(3, 4)

net.train()  # dropout on: what Keras' fit does
in_train = [net(batch) for _ in range(2)]
with torch.no_grad():  # no gradients, but still training mode
    in_no_grad = [net(batch) for _ in range(2)]
net.eval()  # dropout off: what Keras' predict and model(x) do
in_eval = [net(batch) for _ in range(2)]

dropout_layer_training = net[2].training  # eval() reached the children
train_repeatable = torch.equal(*in_train)
no_grad_repeatable = torch.equal(*in_no_grad)
eval_repeatable = torch.equal(*in_eval)
print(f"after net.eval(), the Dropout layer's training = {net[2].training}")
print(f"train():          repeatable = {train_repeatable}")
print(f"train(), no_grad: repeatable = {no_grad_repeatable}")
print(f"eval():           repeatable = {eval_repeatable}")
# --8<-- [end:modes]


# --8<-- [start:functional]
class Forgetful(nn.Module):
    """The bug: F.dropout's `training` argument defaults to True."""

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        self.p = p
        self.linear = nn.Linear(4, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.dropout(self.linear(x), self.p)  # drops after eval() too


class Careful(Forgetful):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.dropout(self.linear(x), self.p, training=self.training)


torch.manual_seed(0)
forgetful, careful = Forgetful().eval(), Careful().eval()
forgetful_repeatable = torch.equal(forgetful(batch), forgetful(batch))
careful_repeatable = torch.equal(careful(batch), careful(batch))
rows = torch.randn(1000, 4)
zeros_after_eval = (forgetful(rows) == 0).float().mean().item()
print("after eval():")
print(f"  Forgetful: repeatable = {forgetful_repeatable}")
print(f"  Careful:   repeatable = {careful_repeatable}")
print(f"  fraction of zeros in Forgetful's output: {zeros_after_eval:.2f}")
# --8<-- [end:functional]


# --8<-- [start:attention]
class SelfAttention(nn.Module):
    """Attention on (batch, heads, steps, head size), dropout p on weights."""

    def __init__(self, p: float) -> None:
        super().__init__()
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        p = self.p if self.training else 0.0  # SDPA does not know eval()
        return F.scaled_dot_product_attention(x, x, x, dropout_p=p)


torch.manual_seed(0)
tokens = torch.randn(1, 2, 5, 8)  # 1 sequence, 2 heads, 5 steps, size 8
attention = SelfAttention(p=0.5).eval()
raw = [
    F.scaled_dot_product_attention(tokens, tokens, tokens, dropout_p=0.5)
    for _ in range(2)
]
gated = [attention(tokens) for _ in range(2)]
raw_repeatable = torch.equal(*raw)
gated_repeatable = torch.equal(*gated)
# nn.MultiheadAttention(dropout=...) is a module: eval() switches it off.
mha = nn.MultiheadAttention(8, 2, dropout=0.5, batch_first=True).eval()
steps = torch.randn(1, 5, 8)  # 1 sequence, 5 steps, 8 features
mha_repeatable = torch.equal(
    mha(steps, steps, steps)[0], mha(steps, steps, steps)[0]
)
print("after eval():")
print(f"  SDPA, dropout_p=0.5:   repeatable = {raw_repeatable}")
print(f"  SelfAttention:         repeatable = {gated_repeatable}")
print(f"  nn.MultiheadAttention: repeatable = {mha_repeatable}")
# --8<-- [end:attention]

# --8<-- [start:recurrent]
torch.manual_seed(0)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")  # record the warning, print it below
    single = nn.LSTM(3, 8, num_layers=1, dropout=0.2, batch_first=True)
lstm_warnings = [f"{w.category.__name__}: {w.message}" for w in caught]
for line in lstm_warnings:
    print(line)
stacked = nn.LSTM(3, 8, num_layers=2, dropout=0.2, batch_first=True)
sequences = torch.randn(16, 12, 3)  # 16 sequences, 12 steps, 3 features


def repeatable(lstm: nn.LSTM) -> bool:
    return torch.equal(lstm(sequences)[0], lstm(sequences)[0])


single_repeatable_in_training = repeatable(single.train())
stacked_repeatable_in_training = repeatable(stacked.train())
stacked_repeatable_in_eval = repeatable(stacked.eval())
print("repeatable:")
print(f"  1 layer,  train(): {single_repeatable_in_training}")
print(f"  2 layers, train(): {stacked_repeatable_in_training}")
print(f"  2 layers, eval():  {stacked_repeatable_in_eval}")
try:
    nn.LSTM(3, 8, recurrent_dropout=0.2)
except TypeError as error:
    no_recurrent_dropout = str(error)
    print(f"TypeError: {error}")
# --8<-- [end:recurrent]

# --8<-- [start:naming]
torch.manual_seed(0)
ones = torch.ones(100, 100)
naming_stats = {}
for p in (0.2, 0.8):
    out = nn.Dropout(p)(ones)
    naming_stats[str(p)] = {
        "kept": (out != 0).float().mean().item(),
        "scale": out.max().item(),
    }
    print(
        f"nn.Dropout(p={p}): keeps {naming_stats[str(p)]['kept']:.1%}"
        f" of the units, multiplies them by {out.max():.2f}"
    )
# --8<-- [end:naming]

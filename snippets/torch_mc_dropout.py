"""Monte Carlo dropout in PyTorch, with batch normalization left alone.

Run it with ``python torch_mc_dropout.py``. It trains a small regression
network with BatchNorm1d and Dropout on the data of ``mc_dropout.py``, then
compares two ways of sampling with dropout on: ``model.train()``, which
switches batch normalization to training too and overwrites its running
statistics, and ``model.eval()`` followed by ``train()`` on the dropout
layers only.
"""

# --8<-- [start:imports]
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

# --8<-- [end:imports]


# --8<-- [start:data]
def true_curve(x: np.ndarray) -> np.ndarray:
    return 0.5 * x + 0.5 * np.sin(2 * x)


rng = np.random.default_rng(0)
x_train = rng.uniform(-3, 3, size=(200, 1)).astype("float32")
y_train = true_curve(x_train) + rng.normal(0, 0.1, size=x_train.shape)
x_train = torch.from_numpy(x_train)
y_train = torch.from_numpy(y_train.astype("float32"))
# --8<-- [end:data]

# --8<-- [start:train]
torch.manual_seed(0)
bn_model = nn.Sequential(
    nn.Linear(1, 16),
    nn.ReLU(),
    nn.BatchNorm1d(16),
    nn.Dropout(0.1),
    nn.Linear(16, 1),
)
optimizer = torch.optim.Adam(bn_model.parameters(), lr=1e-3)
bn_model.train()
for _ in range(5):  # epochs
    for start in range(0, len(x_train), 32):
        x, y = x_train[start : start + 32], y_train[start : start + 32]
        optimizer.zero_grad()
        F.mse_loss(bn_model(x), y).backward()
        optimizer.step()
# --8<-- [end:train]


# --8<-- [start:mc-mode]
def mc_dropout_mode(model: nn.Module) -> nn.Module:
    """Every layer in inference mode, then the dropout layers back on."""
    model.eval()
    for module in model.modules():
        if isinstance(module, nn.Dropout):
            module.train()
    return model


def running_mean(model: nn.Module) -> torch.Tensor:
    return model[2].running_mean.clone()


x_grid = torch.linspace(-8, 8, 161).reshape(-1, 1)
before = running_mean(bn_model)
mc_dropout_mode(bn_model)
with torch.no_grad():  # no gradients needed to sample
    samples = torch.stack([bn_model(x_grid) for _ in range(100)])
idiom_changed = (running_mean(bn_model) - before).abs().max().item()
idiom_samples_differ = not torch.equal(samples[0], samples[1])
mc_spread = samples.std(dim=0).mean().item()

bn_model.train()  # the naive switch: batch normalization trains too
with torch.no_grad():  # no_grad does not stop the running statistics
    for _ in range(5):
        bn_model(x_grid)
naive_changed = (running_mean(bn_model) - before).abs().max().item()
print(f"BN running mean moved by model.train():  {naive_changed:.4f}")
print(f"BN running mean moved by mc_dropout_mode: {idiom_changed:.4f}")
print(f"mc_dropout_mode's passes differ: {idiom_samples_differ}")
print(f"mean spread of 100 passes: {mc_spread:.4f}")
# --8<-- [end:mc-mode]

"""Keras' dropout variants, each applied to a small array and measured.

Run it with ``python keras_variants.py``: SpatialDropout1D/2D (channels),
GaussianDropout (multiplicative Gaussian noise), AlphaDropout (for SELU
networks) and the dropout arguments of recurrent layers.
"""

# --8<-- [start:imports]
import keras
import numpy as np

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
# --8<-- [end:imports]

# --8<-- [start:spatial]
# A batch of 1 sequence, 10 timesteps, 8 channels (e.g. a Conv1D output).
feature_maps = np.ones((1, 10, 8), dtype="float32")
spatial = keras.layers.SpatialDropout1D(0.5, seed=3)
plain = keras.layers.Dropout(0.5, seed=3)
spatial_out = keras.ops.convert_to_numpy(spatial(feature_maps, training=True))
plain_out = keras.ops.convert_to_numpy(plain(feature_maps, training=True))
print("SpatialDropout1D, rows = timesteps, columns = channels:")
print(spatial_out[0, :4])
print("Dropout, the same array:")
print(plain_out[0, :4])
spatial_columns_constant = bool(np.all(spatial_out == spatial_out[:, :1]))
plain_columns_constant = bool(np.all(plain_out == plain_out[:, :1]))

# 2-D: a batch of 2 images of 6x6 pixels with 16 channels.
images = np.ones((2, 6, 6, 16), dtype="float32")
out_2d = keras.ops.convert_to_numpy(
    keras.layers.SpatialDropout2D(0.5, seed=4)(images, training=True)
)
zero_share = (out_2d == 0).mean(axis=(1, 2))  # per image and channel
channels_all_or_nothing = bool(np.all((zero_share == 0) | (zero_share == 1)))
images_share_channels = bool(np.array_equal(zero_share[0], zero_share[1]))
print(f"2-D: every channel all zero or all kept: {channels_all_or_nothing}")
print(f"2-D: channels zeroed per image: {(zero_share == 1).sum(axis=1)}")
# --8<-- [end:spatial]

# --8<-- [start:gaussian]
gaussian = keras.layers.GaussianDropout(0.2, seed=5)
noisy = keras.ops.convert_to_numpy(
    gaussian(np.ones((100, 100), dtype="float32"), training=True)
)
gaussian_mean, gaussian_std = float(noisy.mean()), float(noisy.std())
print(
    f"GaussianDropout(0.2) on ones: mean {gaussian_mean:.3f},"
    f" std {gaussian_std:.3f} (sqrt(0.2 / 0.8) = {np.sqrt(0.25):.3f})"
)
gaussian_zero_fraction = float(np.mean(noisy == 0))
print(f"fraction of exact zeros: {gaussian_zero_fraction:.3f}")
# --8<-- [end:gaussian]

# --8<-- [start:alpha]
# Activations of a SELU network are close to mean 0, variance 1.
selu_out = keras.ops.convert_to_numpy(
    keras.activations.selu(rng.normal(size=(200, 500)).astype("float32"))
)
selu_out = (selu_out - selu_out.mean()) / selu_out.std()  # exactly 0 and 1
alpha_stats = {}
for layer in [
    keras.layers.Dropout(0.1, seed=6),
    keras.layers.AlphaDropout(0.1, seed=6),
]:
    out = keras.ops.convert_to_numpy(layer(selu_out, training=True))
    name = type(layer).__name__
    alpha_stats[name] = {"mean": float(out.mean()), "var": float(out.var())}
    print(f"{name:13s} mean {out.mean():+.3f}, variance {out.var():.3f}")
# --8<-- [end:alpha]

# --8<-- [start:selu-model]
selu_net = keras.Sequential(
    [
        keras.Input(shape=(20,)),
        keras.layers.Dense(
            64, activation="selu", kernel_initializer="lecun_normal"
        ),
        keras.layers.AlphaDropout(0.1),
        keras.layers.Dense(
            64, activation="selu", kernel_initializer="lecun_normal"
        ),
        keras.layers.AlphaDropout(0.1),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
print(f"SELU network with AlphaDropout: {selu_net.count_params()} weights")
# --8<-- [end:selu-model]

# --8<-- [start:rnn]
# 16 sequences of 12 timesteps with 3 features; predict the sum of feature 0.
sequences = rng.normal(size=(16, 12, 3)).astype("float32")
targets = sequences[:, :, 0].sum(axis=1, keepdims=True)
recurrent = keras.Sequential(
    [
        keras.Input(shape=(12, 3)),
        keras.layers.LSTM(8, dropout=0.2, recurrent_dropout=0.2),
        keras.layers.Dense(1),
    ]
)
recurrent.compile(optimizer="adam", loss="mse")
recurrent.fit(sequences, targets, epochs=2, verbose=0)
lstm = recurrent.layers[0]
print(
    f"LSTM dropout={lstm.dropout}, recurrent_dropout={lstm.recurrent_dropout}"
)
same_at_inference = bool(
    np.array_equal(recurrent(sequences[:2]), recurrent(sequences[:2]))
)
print(f"inference repeatable: {same_at_inference}")
same_in_training = bool(
    np.array_equal(
        recurrent(sequences[:2], training=True),
        recurrent(sequences[:2], training=True),
    )
)
print(f"training repeatable:  {same_in_training}")  # one layer drops too
gru = keras.layers.GRU(8, dropout=0.2, recurrent_dropout=0.2)
print(f"GRU output shape: {tuple(gru(sequences, training=True).shape)}")
# --8<-- [end:rnn]

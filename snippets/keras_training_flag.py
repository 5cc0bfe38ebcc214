"""keras.layers.Dropout up close: rate, noise_shape, seed, the training flag.

Run it with ``python keras_training_flag.py``. It applies Dropout layers to
small arrays and prints what they do, then trains a tiny model and shows which
value of ``training`` its layers see in ``fit``, ``evaluate``, ``predict``,
``model(x)`` and ``model(x, training=True)``.
"""

# --8<-- [start:imports]
import keras
import numpy as np

# --8<-- [end:imports]

# --8<-- [start:rate]
keras.utils.set_random_seed(0)
ones = np.ones((20, 500), dtype="float32")  # 10 000 units, all equal to 1
dropout = keras.layers.Dropout(rate=0.5)

off = keras.ops.convert_to_numpy(dropout(ones))  # training=False by default
on = keras.ops.convert_to_numpy(dropout(ones, training=True))
unchanged = bool(np.array_equal(off, ones))
dropped_fraction = float(np.mean(on == 0))
kept_values = sorted({float(v) for v in np.unique(on)})
mean_on = float(on.mean())
print(f"training=False: unchanged = {unchanged}")
print(f"training=True:  dropped fraction = {dropped_fraction:.3f}")
print(f"                values = {kept_values}, mean = {mean_on:.3f}")
# --8<-- [end:rate]

# --8<-- [start:noise-shape]
# 2 sequences, 4 timesteps, 6 features. noise_shape (None, 1, 6): one mask
# per sequence over the features, shared by all 4 timesteps.
sequences = np.ones((2, 4, 6), dtype="float32")
shared = keras.layers.Dropout(0.5, noise_shape=(None, 1, 6), seed=1)
masked = keras.ops.convert_to_numpy(shared(sequences, training=True))
print("sequence 0, one row per timestep:")
print(masked[0])
same_mask_every_timestep = bool(np.all(masked == masked[:, :1, :]))
print(f"same mask at every timestep: {same_mask_every_timestep}")
# --8<-- [end:noise-shape]

# --8<-- [start:seed]
x = np.ones((1, 8), dtype="float32")
first = keras.layers.Dropout(0.5, seed=42)
second = keras.layers.Dropout(0.5, seed=42)
a1, a2 = first(x, training=True), first(x, training=True)
b1 = second(x, training=True)
print("layer 1, call 1:", keras.ops.convert_to_numpy(a1)[0])
print("layer 1, call 2:", keras.ops.convert_to_numpy(a2)[0])
print("layer 2, call 1:", keras.ops.convert_to_numpy(b1)[0])
same_seed_same_first_mask = bool(np.array_equal(a1, b1))
next_call_new_mask = not bool(np.array_equal(a1, a2))
# --8<-- [end:seed]


# --8<-- [start:probe]
class TrainingProbe(keras.layers.Layer):
    """Passes its input through and records the `training` value it got."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.seen: list[bool] = []

    def call(self, inputs, training=None):  # None: inherit from the caller
        # Python code here runs when Keras traces the call. fit, evaluate and
        # predict trace once per model and then reuse the trace: a second
        # fit records nothing (build a new model to see it again).
        self.seen.append(bool(training))
        return inputs


keras.utils.set_random_seed(0)
probe = TrainingProbe()
model = keras.Sequential(
    [
        keras.Input(shape=(4,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dropout(0.5),
        probe,
        keras.layers.Dense(1),
    ]
)
model.compile(optimizer="adam", loss="mse")
x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
y = x.sum(axis=1, keepdims=True)
# --8<-- [end:probe]

# --8<-- [start:modes]
calls = {
    "fit": lambda: model.fit(x, y, epochs=1, verbose=0),
    "evaluate": lambda: model.evaluate(x, y, verbose=0),
    "predict": lambda: model.predict(x, verbose=0),
    "model(x)": lambda: model(x),
    "model(x, training=True)": lambda: model(x, training=True),
}
training_seen = {}
for name, call in calls.items():
    probe.seen.clear()
    call()
    training_seen[name] = sorted(set(probe.seen))
    print(f"{name:24s} training = {training_seen[name]}")
# --8<-- [end:modes]

# --8<-- [start:compare]
predicted = model.predict(x, verbose=0)[:3]
plain = [keras.ops.convert_to_numpy(model(x[:3])) for _ in range(2)]
noisy = [
    keras.ops.convert_to_numpy(model(x[:3], training=True)) for _ in range(2)
]
print("predict:                ", predicted.ravel().round(3))
print("model(x), twice:        ", plain[0].ravel().round(3))
print("                        ", plain[1].ravel().round(3))
print("model(x, training=True):", noisy[0].ravel().round(3))
print("                        ", noisy[1].ravel().round(3))
predict_matches_call = bool(np.allclose(predicted, plain[0], atol=1e-5))
plain_repeatable = bool(np.array_equal(plain[0], plain[1]))
noisy_repeatable = bool(np.array_equal(noisy[0], noisy[1]))
# --8<-- [end:compare]

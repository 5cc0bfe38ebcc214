"""Where Dropout goes, written three ways: Sequential, functional, subclassed.

Run it with ``python keras_models.py``. It builds the same network with each
of Keras' three model-building styles, plus a custom layer that applies
dropout itself, and checks that every one of them drops units when called
with ``training=True`` and is deterministic otherwise.
"""

# --8<-- [start:imports]
import keras
import numpy as np

# --8<-- [end:imports]


# --8<-- [start:sequential]
def sequential_model() -> keras.Model:
    return keras.Sequential(
        [
            keras.Input(shape=(20,)),
            keras.layers.Dropout(0.2),  # on the inputs: keep 80 %
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(0.5),  # after the activation
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(1, activation="sigmoid"),  # no dropout after
        ]
    )


# --8<-- [end:sequential]


# --8<-- [start:functional]
def functional_model() -> keras.Model:
    inputs = keras.Input(shape=(20,))
    x = keras.layers.Dropout(0.2)(inputs)
    x = keras.layers.Dense(64, activation="relu")(x)
    x = keras.layers.Dropout(0.5)(x)
    x = keras.layers.Dense(64, activation="relu")(x)
    x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs)


# --8<-- [end:functional]


# --8<-- [start:subclassed]
class Classifier(keras.Model):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)  # name, dtype, ...: what Keras passes back
        self.input_dropout = keras.layers.Dropout(0.2)
        self.hidden = [
            keras.layers.Dense(64, activation="relu") for _ in range(2)
        ]
        self.dropouts = [keras.layers.Dropout(0.5) for _ in range(2)]
        self.out = keras.layers.Dense(1, activation="sigmoid")

    def call(self, inputs, training=None):  # None: inherit from the caller
        x = self.input_dropout(inputs, training=training)
        for dense, dropout in zip(self.hidden, self.dropouts, strict=True):
            x = dropout(dense(x), training=training)
        return self.out(x)


# --8<-- [end:subclassed]


# --8<-- [start:custom-layer]
@keras.saving.register_keras_serializable(package="dropout_site")
class NoisyDense(keras.layers.Layer):
    """A Dense layer that drops its own outputs with keras.random.dropout."""

    def __init__(self, units: int, rate: float, seed=None, **kwargs) -> None:
        super().__init__(**kwargs)  # name, dtype, ...: what Keras passes back
        self.units, self.rate, self.seed = units, rate, seed
        self.dense = keras.layers.Dense(units, activation="relu")
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=None):  # None: inherit from the caller
        x = self.dense(inputs)
        if training:  # a raw op: this layer must decide for itself
            x = keras.random.dropout(x, self.rate, seed=self.seed_generator)
        return x

    def get_config(self) -> dict:  # what model.save stores, to rebuild it
        config = super().get_config()
        config.update(units=self.units, rate=self.rate, seed=self.seed)
        return config


def custom_layer_model() -> keras.Model:
    inputs = keras.Input(shape=(20,))
    x = keras.layers.Dropout(0.2)(inputs)
    x = NoisyDense(64, 0.5, seed=1)(x)
    x = NoisyDense(64, 0.5, seed=2)(x)
    outputs = keras.layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs)


# **kwargs and get_config: what keras.models.load_model needs to rebuild it
noisy_config = NoisyDense(64, 0.5, seed=1).get_config()
rebuilt = NoisyDense.from_config(noisy_config).get_config() == noisy_config


# --8<-- [end:custom-layer]


# --8<-- [start:check]
def check(model: keras.Model, x: np.ndarray) -> tuple[bool, bool]:
    """Is model(x) repeatable, and does model(x, training=True) vary?"""
    infer = [keras.ops.convert_to_numpy(model(x)) for _ in range(2)]
    train = [
        keras.ops.convert_to_numpy(model(x, training=True)) for _ in range(2)
    ]
    return (
        bool(np.array_equal(infer[0], infer[1])),
        not bool(np.array_equal(train[0], train[1])),
    )


keras.utils.set_random_seed(0)
x = np.random.default_rng(0).normal(size=(8, 20)).astype("float32")
behaviour = {}
for name, build in [
    ("Sequential", sequential_model),
    ("functional", functional_model),
    ("subclassed", Classifier),
    ("custom layer", custom_layer_model),
]:
    model = build()
    model(x)  # builds a subclassed model's weights
    behaviour[name] = check(model, x)
    repeatable, random_in_training = behaviour[name]
    print(
        f"{name:12s} {model.count_params()} weights,"
        f" repeatable: {repeatable}, random: {random_in_training}"
    )
# --8<-- [end:check]


# --8<-- [start:forgotten]
class AlwaysNoisy(keras.layers.Layer):
    """The bug: a raw dropout op with no `training` check."""

    def __init__(self, seed=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):  # the seed generator is not the bug; this is
        return keras.random.dropout(inputs, 0.5, seed=self.seed_generator)


inputs = keras.Input(shape=(20,))
broken = keras.Model(inputs, AlwaysNoisy(seed=3)(inputs))
first, second = broken.predict(x, verbose=0), broken.predict(x, verbose=0)
broken_predict_repeatable = bool(np.array_equal(first, second))
zeros_at_inference = float(np.mean(first == 0))
print(f"predict repeatable: {broken_predict_repeatable}")
print(f"fraction of zeros in a prediction: {zeros_at_inference:.2f}")
# --8<-- [end:forgotten]

"""Where dropout sits in a transformer block, on a tiny Keras transformer.

Run it with ``python transformer_dropout.py``: it reads each 8x8 digit of
scikit-learn's digits as a sequence of 8 rows, trains the same transformer
block with dropout 0.1 and without dropout from the same initial weights,
prints where each dropout acts and what it does to the attention
probabilities, and writes ``transformer_attention.json`` (the weights the
attention probabilities are computed from and a few test digits) into the
current folder.
"""

# --8<-- [start:imports]
import json

import keras
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

# --8<-- [end:imports]

# --8<-- [start:data]
# Each 8x8 image is a sequence of 8 tokens: its rows, 8 pixels each.
digits = load_digits()
sequences = (digits.images / 16.0).astype("float32")  # (1797, 8, 8)
x_train, x_test, y_train, y_test = train_test_split(
    sequences, digits.target, train_size=500, random_state=0
)
print(f"training sequences: {len(x_train)}, test sequences: {len(x_test)}")
print(f"one sequence: {x_train.shape[1]} tokens of {x_train.shape[2]} values")
# --8<-- [end:data]


# --8<-- [start:model]
WIDTH, HEADS, KEY_DIM = 32, 2, 16  # model width, attention heads, head size


class PositionEmbedding(keras.layers.Layer):
    """Adds a learned vector to each position of the sequence."""

    def build(self, input_shape):
        self.positions = self.add_weight(
            shape=input_shape[1:], initializer="random_normal"
        )

    def call(self, tokens):
        return tokens + self.positions


def build_model(rate: float) -> keras.Model:
    """One post-norm transformer block, with dropout where Vaswani et al.
    put it (embeddings, sub-layer outputs) and where Keras and nanoGPT add
    it (attention probabilities); the model's two outputs are the class
    probabilities and the attention probabilities."""
    inputs = keras.Input(shape=(8, 8))
    x = keras.layers.Dense(WIDTH, name="token_embedding")(inputs)
    x = PositionEmbedding(name="position_embedding")(x)
    x = keras.layers.Dropout(rate, seed=1, name="embedding_dropout")(x)
    attention, probabilities = keras.layers.MultiHeadAttention(
        HEADS, KEY_DIM, dropout=rate, seed=2, name="attention"
    )(x, x, return_attention_scores=True)
    attention = keras.layers.Dropout(rate, seed=3, name="attention_dropout")(
        attention
    )
    x = keras.layers.LayerNormalization()(x + attention)
    feed_forward = keras.layers.Dense(64, activation="relu")(x)
    feed_forward = keras.layers.Dense(WIDTH)(feed_forward)
    feed_forward = keras.layers.Dropout(rate, seed=4, name="ffn_dropout")(
        feed_forward
    )
    x = keras.layers.LayerNormalization()(x + feed_forward)
    x = keras.layers.GlobalAveragePooling1D()(x)
    outputs = keras.layers.Dense(10, activation="softmax", name="classes")(x)
    return keras.Model(inputs, [outputs, probabilities])


# --8<-- [end:model]

# --8<-- [start:where]
model = build_model(0.1)
for layer in model.layers:
    if isinstance(layer, keras.layers.Dropout):
        print(f"{layer.name:<20} Dropout({layer.rate})")
    if isinstance(layer, keras.layers.MultiHeadAttention):
        print(f"{layer.name:<20} MultiHeadAttention(dropout={layer.dropout})")
# --8<-- [end:where]


# --8<-- [start:train]
def train(rate: float, epochs: int = 100):
    """Train a fresh block; also return the weights it started from."""
    keras.utils.set_random_seed(0)
    model = build_model(rate)
    start = [w.copy() for w in model.get_weights()]
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=["sparse_categorical_crossentropy", None],
        metrics=[["accuracy"], []],
    )
    model.fit(x_train, y_train, epochs=epochs, batch_size=32, verbose=0)
    return model, start


def evaluate(model: keras.Model) -> dict[str, float]:
    """Loss and accuracy on both sets, with dropout off (training=False)."""
    scores = {}
    for name, x, y in [("train", x_train, y_train), ("test", x_test, y_test)]:
        classes, _ = model.predict(x, verbose=0)
        loss = keras.losses.sparse_categorical_crossentropy(y, classes)
        scores[f"{name}_loss"] = float(np.mean(loss))
        scores[f"{name}_accuracy"] = float(np.mean(classes.argmax(1) == y))
    scores["loss_gap"] = scores["test_loss"] - scores["train_loss"]
    return scores


model, start = train(0.1)
baseline, baseline_start = train(0.0)
same_start = all(
    np.array_equal(a, b) for a, b in zip(start, baseline_start, strict=True)
)
print(f"both blocks start from the same weights: {same_start}")
results = {"dropout": evaluate(model), "baseline": evaluate(baseline)}
for name, scores in results.items():  # dropout 0.1, and no dropout
    print(
        f"{name:<8} train loss {scores['train_loss']:.3f},"
        f" test loss {scores['test_loss']:.3f},"
        f" test accuracy {scores['test_accuracy']:.3f}"
    )
# --8<-- [end:train]

# --8<-- [start:probabilities]
# The attention probabilities of the first test digit, head 1: row i says
# how much token i (row i of the image) takes from each of the 8 tokens.
_, probabilities = model(x_test[:1], training=False)
head = keras.ops.convert_to_numpy(probabilities)[0, 0]  # (8, 8)
np.set_printoptions(precision=2, suppress=True)
print("attention probabilities (inference):")
print(head)
print("row sums:", head.sum(axis=1))

# In training mode, MultiHeadAttention passes them through Dropout(0.1):
# each entry is dropped with probability 0.1, the others divided by 0.9.
dropped = keras.ops.convert_to_numpy(
    keras.layers.Dropout(0.1, seed=5)(head, training=True)
)
print("after Dropout(0.1):")
print(dropped)
print("row sums:", dropped.sum(axis=1))
dropped_row_sums = dropped.sum(axis=1).tolist()
# --8<-- [end:probabilities]

# --8<-- [start:inside]
# Inside the layer, by hand from its weights: the probabilities are
# softmax(Q K^T / sqrt(head size)), and in training mode they pass through
# Dropout before they average the values.
layer = model.get_layer("attention")
weights = {v.path.split("/", 1)[1]: v.numpy() for v in layer.weights}
embed = keras.Model(model.input, model.get_layer("position_embedding").output)
tokens = keras.ops.convert_to_numpy(embed(x_test[:4]))  # (4, 8, WIDTH)


def project(name: str) -> np.ndarray:  # (digits, tokens, heads, head size)
    kernel, bias = weights[f"{name}/kernel"], weights[f"{name}/bias"]
    return np.einsum("btw,whd->bthd", tokens, kernel) + bias


logits = np.einsum(
    "bqhd,bkhd->bhqk", project("query"), project("key")
) / np.sqrt(KEY_DIM)
by_hand = keras.ops.convert_to_numpy(keras.ops.softmax(logits, axis=-1))
_, from_keras = model(x_test[:4], training=False)
probabilities_match = bool(np.allclose(by_hand, from_keras, atol=1e-5))
print(
    f"softmax(Q K^T / sqrt(d)) = the layer's probabilities: "
    f"{probabilities_match}"
)

# A copy of the layer and a Dropout with the same seed draw the same mask.
twin = keras.layers.MultiHeadAttention(HEADS, KEY_DIM, dropout=0.1, seed=7)
twin(tokens, tokens)  # builds the copy
twin.set_weights(layer.get_weights())
training_output = keras.ops.convert_to_numpy(
    twin(tokens, tokens, training=True)
)
mask_and_scale = keras.layers.Dropout(0.1, seed=7)
averaged = np.einsum(
    "bhqk,bkhd->bqhd",
    keras.ops.convert_to_numpy(mask_and_scale(by_hand, training=True)),
    project("value"),
)
output_by_hand = (
    np.einsum("bqhd,hdw->bqw", averaged, weights["attention_output/kernel"])
    + weights["attention_output/bias"]
)
inference_output = keras.ops.convert_to_numpy(twin(tokens, tokens))
inside_matches = bool(
    np.allclose(training_output, output_by_hand, atol=1e-5)
    and not np.allclose(training_output, inference_output, atol=1e-3)
)
print(f"training output = dropped probabilities x values: {inside_matches}")
# --8<-- [end:inside]


# --8<-- [start:export]
# What the page's widget needs to recompute the attention probabilities of
# a few test digits: the embeddings and the query and key projections.
def exact(array) -> list:
    return np.asarray(array, dtype=float).round(8).tolist()


shown = 12  # test digits in the widget
token_kernel, token_bias = model.get_layer("token_embedding").get_weights()
with open("transformer_attention.json", "w") as file:
    json.dump(
        {
            "dropout_rate": 0.1,
            "heads": HEADS,
            "key_dim": KEY_DIM,
            "token_kernel": exact(token_kernel),
            "token_bias": exact(token_bias),
            "positions": exact(
                model.get_layer("position_embedding").get_weights()[0]
            ),
            "query_kernel": exact(weights["query/kernel"]),
            "query_bias": exact(weights["query/bias"]),
            "key_kernel": exact(weights["key/kernel"]),
            "key_bias": exact(weights["key/bias"]),
            "x_test": exact(x_test[:shown]),
            "y_test": y_test[:shown].tolist(),
        },
        file,
    )
# Keras' own numbers for the same digits, for the widget's test.
_, keras_probabilities = model(x_test[:shown], training=False)
keras_probabilities = exact(keras_probabilities)
keras_dropped = exact(dropped)
# --8<-- [end:export]

"""Trains the Keras example bundle: a small convolutional network (four 3x3 convolutions, two
poolings, a 64-unit dense layer; 266k weights) on train.csv's 5,000 images, with random shifts,
horizontal flips and small zooms as augmentation. Saved to model.keras. Run it with the `deep`
runtime's Python (TensorFlow 2.21, Keras 3.15). Deterministic: fixed seeds, TensorFlow's
deterministic ops and one thread, so the weights are the same on every run (the .keras file's
metadata holds the date it was saved).

--validate holds out 1,000 training images and prints the accuracy per epoch (how EPOCHS was
chosen). --score PREDICTIONS.csv (in the preparation environment, with scikit-learn) writes
expected_scores.json from predict.py's own output.

usage (from the repository):
  sandbox/runtimes/deep/venv/bin/python datasets/fashion-images/bundle-keras/train_model.py [--validate]
  (cd datasets/fashion-images/bundle-keras && PODIUM_INPUT=../test.csv \
     PODIUM_OUTPUT=/tmp/keras-predictions.csv ../../../sandbox/runtimes/deep/venv/bin/python predict.py)
  .venv-prepare/bin/python datasets/fashion-images/bundle-keras/train_model.py --score /tmp/keras-predictions.csv
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDER = os.path.dirname(HERE)
CLASSES = ["tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle_boot"]
EPOCHS = 60
SEED = 0


def images(frame):
    """[n, 28, 28, 1] in [0, 1] (predict.py has the same function)."""
    pixels = frame[[f"p{k}" for k in range(784)]].to_numpy(dtype=np.float32)
    return (pixels / 255.0).reshape(-1, 28, 28, 1)


def network(keras):
    layers = keras.layers
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Dropout(0.25),
        layers.Flatten(),
        layers.Dense(64, activation="relu"),
        layers.Dropout(0.4),
        layers.Dense(10, activation="softmax"),
    ], name="fashion_cnn")


def train(validate):
    import tensorflow as tf
    import keras

    keras.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)

    train = pd.read_csv(f"{FOLDER}/train.csv")
    x = images(train)
    y = train["label"].map({c: k for k, c in enumerate(CLASSES)}).to_numpy()
    held = None
    if validate:
        order = np.random.default_rng(SEED).permutation(len(x))
        held, keep = order[:1000], order[1000:]
        x, y, xv, yv = x[keep], y[keep], x[held], y[held]
    augment = keras.Sequential([
        keras.layers.RandomTranslation(0.1, 0.1, fill_mode="constant", seed=SEED),
        keras.layers.RandomFlip("horizontal", seed=SEED + 1),
        keras.layers.RandomZoom(0.1, fill_mode="constant", seed=SEED + 2),
    ])
    model = network(keras)
    trainer = keras.Sequential([keras.Input((28, 28, 1)), augment, model])
    schedule = keras.optimizers.schedules.CosineDecay(2e-3, decay_steps=EPOCHS * -(-len(x) // 64))
    trainer.compile(optimizer=keras.optimizers.Adam(schedule), loss="sparse_categorical_crossentropy",
                    metrics=["accuracy"])
    trainer.fit(x, y, batch_size=64, epochs=EPOCHS, shuffle=True, verbose=2,
                validation_data=(xv, yv) if validate else None)
    if not validate:
        model.save(f"{HERE}/model.keras")
        print(f"model.keras: {os.path.getsize(f'{HERE}/model.keras')} bytes, {model.count_params()} weights")


def score(predictions):
    """expected_scores.json: predict.py's output scored by scikit-learn on the hidden labels."""
    from sklearn.metrics import accuracy_score, f1_score, log_loss

    p = pd.read_csv(predictions).set_index("id")
    solution = pd.read_csv(f"{FOLDER}/solution.csv").set_index("id")
    ordered = sorted(CLASSES)  # log_loss takes the probability columns in sorted label order
    proba = p.loc[solution.index, ordered].to_numpy()
    expected = {}
    for split in ("Public", "Private"):
        rows = (solution["Usage"] == split).to_numpy()
        truth = solution["label"].to_numpy()[rows]
        q = np.clip(proba[rows], 1e-15, 1 - 1e-15)
        predicted = np.array(ordered)[proba[rows].argmax(axis=1)]
        expected[split.lower()] = {
            "accuracy": accuracy_score(truth, predicted),
            "f1_macro": f1_score(truth, predicted, average="macro", labels=np.union1d(truth, predicted)),
            "logloss": log_loss(truth, q / q.sum(axis=1, keepdims=True), labels=ordered),
        }
    with open(f"{HERE}/expected_scores.json", "w") as f:
        json.dump(expected, f, indent=2)
    print(json.dumps(expected, indent=2))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--score"]:
        score(sys.argv[2])
    else:
        train("--validate" in sys.argv[1:])

"""The Keras example bundle (runtime `deep`): loads the small convolutional network in
model.keras (trained by train_model.py) and writes one probability column per class for every
image of $PODIUM_INPUT (test.csv) to $PODIUM_OUTPUT."""
import os

# Before TensorFlow is imported: quiet its logging, and as many threads as the sandbox
# gives (it sets OMP_NUM_THREADS and TF_NUM_INTRAOP_THREADS / TF_NUM_INTEROP_THREADS).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
INTRA = int(os.environ.get("TF_NUM_INTRAOP_THREADS") or os.environ.get("OMP_NUM_THREADS") or 1)
INTER = int(os.environ.get("TF_NUM_INTEROP_THREADS") or 1)

import numpy as np
import pandas as pd

# TensorFlow prints a notice about oneDNN before its logging is set up, whatever
# TF_CPP_MIN_LOG_LEVEL says: hide standard error during the import only. (oneDNN stays on: with
# it the probabilities are the same bits on one thread or two.)
saved_stderr = os.dup(2)
os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
try:
    import tensorflow as tf
finally:
    os.dup2(saved_stderr, 2)

tf.config.threading.set_intra_op_parallelism_threads(INTRA)
tf.config.threading.set_inter_op_parallelism_threads(INTER)

import keras

CLASSES = ["tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle_boot"]


def images(frame):
    """[n, 28, 28, 1] in [0, 1] (train_model.py has the same function)."""
    pixels = frame[[f"p{k}" for k in range(784)]].to_numpy(dtype=np.float32)
    return (pixels / 255.0).reshape(-1, 28, 28, 1)


model = keras.saving.load_model("model.keras", compile=False)
test = pd.read_csv(os.environ["PODIUM_INPUT"])
x = images(test)
# Called directly, batch by batch: no tf.data pipeline and its extra threads.
proba = np.concatenate([np.asarray(model(x[s:s + 500], training=False)) for s in range(0, len(x), 500)])
out = pd.DataFrame(proba.astype(np.float64), columns=CLASSES)
out.insert(0, "id", test["id"])
out.to_csv(os.environ["PODIUM_OUTPUT"], index=False, float_format="%.17g")

"""Serving a Rasa TensorFlow model built without Adam's state: the same weights, the same predictions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")


def test_building_with_sgd_loads_the_same_weights_and_keeps_no_optimizer_moments(tmp_path: Path) -> None:
    x = np.random.default_rng(0).normal(size=(4, 300)).astype("float32")
    y = np.zeros((4, 3), dtype="float32")

    def fresh() -> Any:  # a tf.keras.Model: tensorflow has no type information (and is imported at run time)
        return tf.keras.Sequential([tf.keras.layers.Dense(64, input_shape=(300,)), tf.keras.layers.Dense(3)])

    # What Rasa persists: a model trained with Adam, saved with its optimizer's moments.
    trained = fresh()
    trained.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="mse")
    trained.fit(x, y, epochs=3, verbose=0)
    trained.save_weights(str(tmp_path / "model.tf_model"))
    expected = trained(x).numpy()

    # What Rasa does to load it (RasaModel.load), and what bot.stack.rasa_main.load_for_inference does.
    rasa = fresh()
    rasa.compile(optimizer=tf.keras.optimizers.Adam(0.001), loss="mse")
    rasa.fit(x, y, verbose=0)
    rasa.load_weights(str(tmp_path / "model.tf_model"))
    ours = fresh()
    ours.compile(optimizer=tf.keras.optimizers.legacy.SGD(learning_rate=0.0), loss="mse")
    ours.fit(x, y, verbose=0)
    ours.load_weights(str(tmp_path / "model.tf_model")).expect_partial()

    np.testing.assert_array_equal(rasa(x).numpy(), expected)
    np.testing.assert_array_equal(ours(x).numpy(), expected)
    weights = sum(int(np.prod(w.shape)) for w in ours.weights)
    assert sum(int(np.prod(v.shape)) for v in rasa.optimizer.variables()) > 2 * weights  # Adam: m and v
    assert sum(int(np.prod(v.shape)) for v in ours.optimizer.variables()) == 1  # plain SGD: its step counter only

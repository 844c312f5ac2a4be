"""Every shipped network loads and gives the reference outputs, in any supported TensorFlow/Keras.

The references were computed in the main environment (the newest supported Keras) by
``tools/compat_reference.py``; ``make test-compat`` runs this file in .venv-compat, the oldest
supported TensorFlow/Keras, and ``make test-unit`` in the main environment.
"""

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import compat_reference  # noqa: E402

REFERENCE = np.load(compat_reference.OUTPUT)
NETWORKS = compat_reference.shipped_networks()


def test_the_reference_covers_every_shipped_network():
    assert set(NETWORKS) <= set(REFERENCE.files)
    weights = {path.relative_to(ROOT / "course_lib" / "assets").as_posix().removesuffix(".weights.h5")
               for path in (ROOT / "course_lib" / "assets").rglob("*.weights.h5")}
    assert weights == set(NETWORKS)
    assert not list((ROOT / "course_lib" / "assets").rglob("*.keras")), "ship weights only (.weights.h5)"


def test_the_fixed_inputs_are_the_stored_ones():
    for name, array in compat_reference.fixed_inputs().items():
        np.testing.assert_array_equal(REFERENCE[name], array)


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_shipped_network_gives_the_reference_outputs(name):
    which, load = NETWORKS[name]
    outputs = load().predict(REFERENCE[which], verbose=0)
    # float32 kernels differ between TensorFlow releases in the last bits only
    np.testing.assert_allclose(outputs, REFERENCE[name], rtol=1e-4, atol=1e-5)
    assert np.ptp(REFERENCE[name]) > 1e-3  # a reference that cannot tell networks apart would be no test

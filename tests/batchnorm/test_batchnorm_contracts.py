"""Contracts of batchnorm (issue 22): the numerical gradient refuses inputs that would take hours."""

import numpy as np
import pytest

from course_lib import batchnorm


def test_numerical_gradient_caps_the_input_size():
    with pytest.raises(ValueError, match=r"^x must have at most 10000 entries for a numerical gradient .* got 1000000 of shape \(1000, 1000\)"):
        batchnorm.numerical_gradient(np.sum, np.ones((1000, 1000)))


def test_numerical_gradient_below_the_cap_is_exact_for_a_sum():
    np.testing.assert_allclose(batchnorm.numerical_gradient(np.sum, np.ones((100, 100))), 1.0)

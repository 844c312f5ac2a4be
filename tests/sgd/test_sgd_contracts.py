"""SGD's input contracts: whole float labels, labels too large to be a class, axes, 0-d logits, huge counts."""

import numpy as np
import pytest

from course_lib import sgd

FEATURES = sgd.with_bias(np.linspace(0.0, 1.0, 6)[:, None])  # (6, 2)
INT_LABELS = np.array([0, 1, 2, 0, 1, 2])


def _run(labels, **options):
    return sgd.run_sgd(FEATURES, labels, learning_rates=np.full(20, 0.5), batch_size=3, record_every=10, **options)


def test_default_weights_count_classes_of_whole_float_labels():
    as_floats = _run(INT_LABELS.astype(float))
    as_ints = _run(INT_LABELS)
    assert as_floats.weights.shape == (2, 3)
    np.testing.assert_array_equal(as_floats.weights, as_ints.weights)
    np.testing.assert_array_equal(as_floats.losses, as_ints.losses)


def test_default_weights_refuse_labels_that_are_no_class():
    with pytest.raises(ValueError, match=r"^labels must be class numbers up to 9007199254740992 at most; got 1e\+300"):
        _run(np.where(INT_LABELS == 2, 1e300, INT_LABELS))
    with pytest.raises(ValueError, match=r"^labels must be >= 0 \(class numbers\); got -1"):
        _run(INT_LABELS - 1)
    with pytest.raises(TypeError, match=r"^labels must be integer class indices; got dtype float64"):
        _run(INT_LABELS + 0.5)
    with pytest.raises(ValueError, match=r"^labels asks for 14\.9 GiB for the default weights \(D, K\), above the limit.*"
                                         r"labels hold class 1000000000, so K = 1000000001"):
        _run(np.where(INT_LABELS == 2, 10**9, INT_LABELS))


def test_given_weights_name_the_range_of_huge_labels():
    with pytest.raises(ValueError, match=r"^labels must be in 0\.\.2; got values from 0 to 1e\+300\.$"):
        _run(np.where(INT_LABELS == 2, 1e300, INT_LABELS), weights=np.zeros((2, 3)))


@pytest.mark.parametrize("function", [sgd.logsumexp, sgd.softmax])
def test_axis_is_checked_before_numpy_sees_it(function):
    with pytest.raises(ValueError, match=r"^axis must be an axis of logits, an int in -2\.\.1 for its shape \(2, 3\); got 2\.$"):
        function(np.zeros((2, 3)), axis=2)
    with pytest.raises(TypeError, match=r"^axis must be an int \(an axis of logits\); got None \(NoneType\)\.$"):
        function(np.zeros((2, 3)), axis=None)
    with pytest.raises(ValueError, match=r"^axis has nothing to select: logits is 0-d"):
        function(3.0)
    np.testing.assert_allclose(function(np.eye(2), axis=0), function(np.eye(2).T, axis=-1).T)


def test_learning_rates_checks_every_option_and_the_size_first():
    with pytest.raises(ValueError, match=r"^steps asks for 14901\.2 GiB for the schedule, above the limit"):
        sgd.learning_rates(0.1, 10**12)
    with pytest.raises(ValueError, match=r"^drop must be <= 1\.0; got 1\.5\.$"):
        sgd.learning_rates(0.1, 10, drop=1.5)  # ignored by the constant schedule, but a typo all the same
    with pytest.raises(ValueError, match=r"^final_rate must be <= 0\.1; got 1\.0\.$"):
        sgd.learning_rates(0.1, 10, schedule="step", final_rate=1.0)


def test_gradient_spread_caps_the_repeats():
    with pytest.raises(ValueError, match=r"^repeats must be <= 10000; got 1000000000000\. The spread is measured well"):
        sgd.gradient_spread(FEATURES, INT_LABELS, np.zeros((2, 3)), batch_sizes=[1], repeats=10**12)

"""A Keras 3 layer that wraps another layer with batch normalization and an activation.

``BatchNormalized(layers.Conv2D(32, 3, use_bias=False), activation="relu")`` computes
``relu(batch_norm(conv(x)))``: the order of Ioffe and Szegedy, normalising the
pre-activations. It is a proper Keras layer: it builds its sub-layers from the input shape,
passes ``training`` on to the batch normalization, reports its config and is registered as
serializable, so a model that uses it saves to and reloads from a ``.keras`` file.
"""

from __future__ import annotations

import keras

from course_lib._validation import as_float


@keras.saving.register_keras_serializable(package="course_lib")
class BatchNormalized(keras.layers.Layer):
    """Wrapped layer -> ``keras.layers.BatchNormalization`` -> activation, as one layer.

    A bias in the wrapped layer is redundant (batch normalization subtracts the batch mean,
    and ``beta`` plays the bias' role), so create it with ``use_bias=False``.

    Parameters
    ----------
    layer : keras.layers.Layer
        The layer whose output is normalised, e.g. ``Conv2D(32, 3, use_bias=False)`` or
        ``Dense(64, use_bias=False)``. Its output, shape (N, ..., C), is normalised per C.
    activation : str or callable or None, keyword-only
        Applied after normalization (``keras.activations.get``); None means linear.
    momentum : float in [0, 1), keyword-only
        Of the running statistics (Keras' default 0.99).
    epsilon : float > 0, keyword-only
        Added to the variance (Keras' default 1e-3).
    **kwargs
        Passed to ``keras.layers.Layer`` (``name``, ``dtype``, ...).

    Raises
    ------
    TypeError
        If ``layer`` is not a Keras layer or a number is not a number.
    ValueError
        If ``activation`` is unknown, ``momentum`` is outside [0, 1) or ``epsilon`` is not > 0.

    See Also
    --------
    course_lib.batchnorm.batchnorm_forward : the same computation in NumPy. Chapter
    "Batch Normalization" builds a convnet from this layer.

    References
    ----------
    S. Ioffe and C. Szegedy, "Batch normalization: accelerating deep network training by
    reducing internal covariate shift", ICML 2015.

    Examples
    --------
    >>> import numpy as np
    >>> block = BatchNormalized(keras.layers.Dense(3, use_bias=False), activation="relu")
    >>> out = block(np.ones((4, 2), dtype="float32"), training=True)
    >>> tuple(out.shape)
    (4, 3)
    >>> float(np.abs(out).max())  # identical rows: each feature's batch variance is 0
    0.0
    >>> sorted(w.path.split("/")[-1] for w in block.weights)
    ['beta', 'gamma', 'kernel', 'moving_mean', 'moving_variance']
    >>> BatchNormalized.from_config(block.get_config()).activation_name
    'relu'
    """

    def __init__(self, layer, *, activation=None, momentum: float = 0.99, epsilon: float = 1e-3, **kwargs):
        super().__init__(**kwargs)
        if isinstance(layer, dict):  # from_config hands over the serialized layer
            layer = keras.saving.deserialize_keras_object(layer)
        if not isinstance(layer, keras.layers.Layer):
            raise TypeError(
                f"layer must be a keras.layers.Layer such as Conv2D(32, 3, use_bias=False); got {type(layer).__name__}."
            )
        momentum = as_float("momentum", momentum, minimum=0.0, maximum=1.0)
        if momentum == 1.0:
            raise ValueError("momentum must be < 1; got 1.0 (the running statistics would never change).")
        epsilon = as_float("epsilon", epsilon, minimum=0.0)
        if epsilon == 0.0:
            raise ValueError("epsilon must be > 0; got 0.0 (a constant feature would divide by zero).")
        if activation is not None and not (isinstance(activation, str) or callable(activation)):
            raise TypeError(f"activation must be a name, a callable or None; got {type(activation).__name__}.")
        try:
            self.activation = keras.activations.get(activation)
        except ValueError:
            raise ValueError(
                f"activation must be a Keras activation such as 'relu' or 'sigmoid'; got {activation!r}."
            ) from None
        self.layer = layer
        self.momentum = momentum
        self.epsilon = epsilon
        self.batch_norm = keras.layers.BatchNormalization(momentum=momentum, epsilon=epsilon, dtype=self.dtype_policy)

    @property
    def activation_name(self) -> str:
        """The activation's registered name, e.g. ``"relu"`` (``"linear"`` for None)."""
        return keras.activations.serialize(self.activation)

    def build(self, input_shape):
        # Build the sub-layers now so that their weights exist before any call (summary, loading).
        # A wrapped layer restored from a .keras file arrives already built.
        if not self.layer.built:
            self.layer.build(input_shape)
        if not self.batch_norm.built:
            self.batch_norm.build(self.layer.compute_output_shape(input_shape))

    def call(self, inputs, training=None):
        features = self.layer(inputs)  # (N, ..., C)
        normalised = self.batch_norm(features, training=training)  # same shape
        return self.activation(normalised)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            layer=keras.saving.serialize_keras_object(self.layer),
            activation=self.activation_name,
            momentum=self.momentum,
            epsilon=self.epsilon,
        )
        return config


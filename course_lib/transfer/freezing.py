"""Freezing and unfreezing layers of a pretrained base, and counting what will be trained."""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

from course_lib.transfer._common import _check_model, _leaf_layers


def unfreeze_top(base: keras.Model, *, first_layer: str, train_batchnorm: bool = False) -> list[str]:
    """Make ``first_layer`` and every layer after it trainable, and freeze the layers before it.

    Batch-norm layers stay frozen unless ``train_batchnorm``: a non-trainable
    ``BatchNormalization`` runs in inference mode (stored mean and variance, no updates),
    which is what fine-tuning on small batches of new data needs.
    Compile the model again after calling this: ``trainable`` is read when compiling.

    Parameters
    ----------
    base : keras.Model
        The convolutional base (nested models are searched too).
    first_layer : str, keyword-only
        Name of the first layer to train, e.g. ``"block3_conv"`` or MobileNetV2's ``"block_16_expand"``.
    train_batchnorm : bool, keyword-only

    Returns
    -------
    list of str
        Names of the layers with trainable weights now trainable.

    Raises
    ------
    TypeError
        If ``base`` is not a keras.Model.
    ValueError
        If no layer is called ``first_layer``.

    See Also
    --------
    build_classifier : keeps batch norm in inference mode.
    lessons/07_transfer_learning.ipynb : "fine-tuning the top block".

    Examples
    --------
    >>> from course_lib.transfer import build_source_model, feature_extractor
    >>> base = feature_extractor(build_source_model((12, 12, 1), filters=(4, 8)))
    >>> unfreeze_top(base, first_layer="block2_conv")
    ['block2_conv']
    >>> unfreeze_top(base, first_layer="block2_conv", train_batchnorm=True)
    ['block2_conv', 'block2_bn']
    """
    base = _check_model("base", base)
    leaves = _leaf_layers(base)
    names = [layer.name for layer in leaves]
    if first_layer not in names:
        raise ValueError(f"first_layer {first_layer!r} is not a layer of {base.name}; its layers are {names}.")
    base.trainable = True
    start = names.index(first_layer)
    for index, layer in enumerate(leaves):
        is_batchnorm = isinstance(layer, layers.BatchNormalization)
        layer.trainable = index >= start and (train_batchnorm or not is_batchnorm)
    return [layer.name for layer in leaves if layer.trainable and layer.weights]


def count_parameters(model: keras.Model) -> dict[str, int]:
    """Numbers of trainable and frozen weights (scalars) in ``model``.

    Parameters
    ----------
    model : keras.Model

    Returns
    -------
    dict
        ``{"trainable": int, "frozen": int}``.

    Raises
    ------
    TypeError
        If ``model`` is not a keras.Model.

    See Also
    --------
    unfreeze_top : changes what is trainable.

    Examples
    --------
    >>> from course_lib.transfer import build_head
    >>> count_parameters(build_head(8, 3, hidden_units=0))
    {'trainable': 27, 'frozen': 0}
    """
    model = _check_model("model", model)
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    frozen = sum(int(np.prod(w.shape)) for w in model.non_trainable_weights)
    return {"trainable": trainable, "frozen": frozen}

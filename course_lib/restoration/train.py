"""Training recipes and the command that trains the restoration networks shipped with course_lib.

    python -m course_lib.restoration train --task denoise --recipe shipped --out course_lib/assets/restoration

writes ``<out>/<task>.weights.h5`` and ``<out>/<task>.json`` (recipe, seed, data split, final losses
and measured wall time). Training uses :func:`training_images` only: the training split of
``course_lib.data.natural_images``, the bundled textures and ``course_lib.data.more_photographs``;
validation patches are cut from the same training images with another seed (the test images
stay unseen until evaluation).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import keras

from course_lib import training
from course_lib import _limits
from course_lib._validation import as_choice, as_float, as_int, as_seed
from course_lib.restoration.tasks import TASKS
from course_lib.restoration.data import WEIGHTINGS, PatchDataset
from course_lib.restoration.models import DTYPES, build_model

#: name -> settings. "quick": a smoke run (seconds); "shipped": the weights in
#: course_lib/assets/restoration (measured times in its README, under 90 minutes on the
#: project's 2-core CPU); "full": a bigger network trained longer, for a GPU (Colab).
#: "precision" is the dtype policy of the hidden layers while training (see
#: ``build_model``); the saved model is always float32.
RECIPES = {
    "quick": {"blocks": 2, "channels": 16, "downscale": 1, "levels": 1, "patch_size": 40, "batch_size": 16, "epochs": 2,
              "steps": 15, "validation_steps": 2, "learning_rate": 1e-3,
              "precision": "float32", "scales": (1.0,), "weighting": "area"},
    "shipped": {"blocks": 2, "channels": 48, "downscale": 2, "levels": 2, "patch_size": 64, "batch_size": 18, "epochs": 400,
                "steps": 250, "validation_steps": 8, "learning_rate": 1e-3,
                "precision": "mixed_bfloat16", "scales": (1.0,), "weighting": "image"},
    "full": {"blocks": 4, "channels": 64, "downscale": 2, "levels": 2, "patch_size": 64, "batch_size": 64, "epochs": 100,
             "steps": 500, "validation_steps": 16, "learning_rate": 1e-3,
             "precision": "float32", "scales": (1.0,), "weighting": "image"},
}


def recipe_settings(recipe: str, **overrides) -> dict:
    """The settings of a named recipe, with some replaced.

    Parameters
    ----------
    recipe : {"quick", "shipped", "full"}
    **overrides : int, float or str
        Settings to replace (``epochs=5``, ``precision="float32"``); None values are ignored.

    Returns
    -------
    dict

    Raises
    ------
    TypeError, ValueError
        If ``recipe`` or an override name is unknown, an integer setting is not an int in
        ``1..cap`` (caps in ``_INT_CAPS``: e.g. ``blocks`` <= 200, ``channels`` <= 4096), or
        ``learning_rate`` is not in (0, 1].

    Examples
    --------
    >>> recipe_settings("quick", epochs=3)["epochs"]
    3
    """
    settings = dict(RECIPES[as_choice("recipe", recipe, tuple(RECIPES))])
    for name, value in overrides.items():
        if name not in settings:
            raise ValueError(f"unknown setting {name!r}; recipes have {sorted(settings)}.")
        if value is not None:
            settings[name] = value
    for name, cap in _INT_CAPS.items():  # every recipe value checked, overridden or not
        settings[name] = as_int(name, settings[name], minimum=1, maximum=cap,
                                why="Larger values do not fit any training budget of this course.")
    settings["learning_rate"] = as_float("learning_rate", settings["learning_rate"], maximum=1.0)
    if settings["learning_rate"] <= 0:
        raise ValueError(f"learning_rate must be > 0 (Adam steps downhill by it); got {settings['learning_rate']}. "
                         "Try 1e-3.")
    return settings


#: The documented caps of the integer settings (network size, patch size, training length).
_INT_CAPS = {"blocks": _limits.MAX_DEPTH, "channels": _limits.MAX_CHANNELS, "downscale": 16, "levels": 8,
             "patch_size": 1024, "batch_size": 4096, "epochs": 100_000, "steps": 100_000, "validation_steps": 10_000}


def train(images, task: str, *, recipe: str = "quick", seed: int = 0, verbose: bool = True, backup_dir=None,
          callbacks=(), **overrides):
    """Build, compile and fit a restoration network on patches of ``images``.

    Parameters
    ----------
    images : mapping or sequence of (H, W) arrays in [0, 1]
        Clean training images.
    task : {"denoise", "deblur"}
    recipe : {"quick", "shipped", "full"}, keyword-only
    seed : int, keyword-only
        Seeds the weights, the patches and TensorFlow (:func:`course_lib.training.set_seed`).
    verbose : bool, keyword-only
        Print one line per epoch.
    backup_dir : str or Path or None, keyword-only
        If given, the model and optimizer are backed up there after every epoch
        (``keras.callbacks.BackupAndRestore``), a run that was interrupted resumes from its last
        finished epoch when started again with the same folder, and the folder is deleted when
        training finishes. ``"seconds"`` then counts the resumed part only.
    callbacks : sequence of keras.callbacks.Callback, keyword-only
        More callbacks for ``fit``.
    **overrides
        Replace recipe settings (see :func:`recipe_settings`).

    Returns
    -------
    model : keras.Model
        float32 whatever ``precision`` it trained in.
    history : dict of str to list of float
    settings : dict
        The settings used, with ``"seconds"`` (wall time of ``fit``) added.

    Raises
    ------
    ValueError, TypeError
        If an argument is invalid.

    See Also
    --------
    course_lib.restoration.models.build_model, course_lib.restoration.data.PatchDataset

    Examples
    --------
    >>> import numpy as np
    >>> model, history, settings = train([np.full((60, 60), 0.5)], "denoise", verbose=False, epochs=1, steps=1)
    >>> sorted(history), settings["epochs"]
    (['loss', 'val_loss'], 1)
    """
    task = as_choice("task", task, TASKS)
    seed = as_seed("seed", seed)
    settings = recipe_settings(recipe, **overrides)
    settings["precision"] = as_choice("precision", settings["precision"], DTYPES)
    architecture = {name: settings[name] for name in ("blocks", "channels", "downscale", "levels")}
    training.set_seed(seed)
    model = build_model(**architecture, seed=seed, dtype=settings["precision"])
    total_steps = settings["epochs"] * settings["steps"]
    schedule = keras.optimizers.schedules.CosineDecay(settings["learning_rate"], total_steps, alpha=0.05)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="mse")
    common = {"patch_size": settings["patch_size"], "batch_size": settings["batch_size"]}
    # two threads cut the next batches (the Wiener deconvolution of deblurring patches is
    # not free) while the model trains on the current one
    train_data = PatchDataset(images, task, steps=settings["steps"], seed=seed, workers=2,
                              scales=settings["scales"], weighting=settings["weighting"], **common)
    # validation patches are always picked by area, so runs with other weightings compare
    validation = PatchDataset(images, task, steps=settings["validation_steps"], seed=seed + 10_000, fixed=True, **common)
    start = time.perf_counter()
    backup = [] if backup_dir is None else [keras.callbacks.BackupAndRestore(str(backup_dir))]
    log = [training.EpochLog(digits=6)] if verbose else []
    history = model.fit(train_data, validation_data=validation, epochs=settings["epochs"], verbose=0,
                        callbacks=[*backup, *log, *callbacks])
    settings["seconds"] = round(time.perf_counter() - start, 1)
    if settings["precision"] != "float32":
        # the same weights in a float32 model: what restore_image and other machines expect
        trained, model = model, build_model(**architecture, seed=seed, dtype="float32")
        model.set_weights(trained.get_weights())
    return model, history.history, settings


def training_images() -> dict:
    """The clean images the shipped restoration networks learn from (grayscale, in [0, 1]).

    The training split of ``course_lib.data.natural_images`` (11 photographs), the three
    bundled textures and the five photographs of ``course_lib.data.more_photographs``; never
    a test image.

    Returns
    -------
    dict of str to ndarray

    Examples
    --------
    >>> images = training_images()
    >>> len(images), "camera" in images, "grace_hopper" in images
    (19, False, True)
    """
    from course_lib import data

    return {**data.natural_images(split="train"), **data.textures(), **data.more_photographs()}


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m course_lib.restoration train --task denoise ...``.

    Trains on :func:`training_images` and writes
    ``<out>/<task>.weights.h5`` and ``<out>/<task>.json`` (see the module docstring).

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the program name; None: ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success (argparse exits with 2 on bad arguments).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as out:  # doctest: +ELLIPSIS
    ...     code = main(["train", "--task", "denoise", "--recipe", "quick", "--epochs", "1", "--steps", "1",
    ...                  "--blocks", "1", "--channels", "4", "--out", out])
    ...     files = sorted(path.name for path in Path(out).iterdir())
    epoch 1/1: ...
    saved ... after ... s of training
    >>> code, files
    (0, ['denoise.json', 'denoise.weights.h5'])
    """
    parser = argparse.ArgumentParser(prog="python -m course_lib.restoration", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("train", help="train a network and save it")
    command.add_argument("--task", choices=TASKS, required=True)
    command.add_argument("--recipe", choices=tuple(RECIPES), default="shipped")
    command.add_argument("--seed", type=int, default=0)
    command.add_argument("--blocks", type=int, help="residual blocks (overrides the recipe)")
    command.add_argument("--channels", type=int, help="feature maps per layer (overrides the recipe)")
    command.add_argument("--downscale", type=int, help="work on a grid this many times coarser (overrides the recipe)")
    command.add_argument("--levels", type=int, help="grids of the U-Net, 1 for a plain chain (overrides the recipe)")
    command.add_argument("--patch-size", type=int, help="side of the training patches (overrides the recipe)")
    command.add_argument("--batch-size", type=int, help="patches per batch (overrides the recipe)")
    command.add_argument("--epochs", type=int)
    command.add_argument("--steps", type=int, help="batches per epoch")
    command.add_argument("--scales", type=float, nargs="+",
                         help="scale augmentation: also train on the images shrunk by these factors in (0, 1], "
                              "1 for the images as they are (overrides the recipe)")
    command.add_argument("--weighting", choices=WEIGHTINGS,
                         help="how each patch's image is chosen: by its area or every image equally often "
                              "(overrides the recipe)")
    command.add_argument("--precision", choices=DTYPES, help="dtype policy while training (overrides the recipe)")
    command.add_argument("--threads", type=int, help="CPU threads TensorFlow may use per op (default: all)")
    command.add_argument("--out", type=Path, default=Path("course_lib/assets/restoration"))
    args = parser.parse_args(argv)
    if args.threads is not None:
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(as_int("threads", args.threads, minimum=1))

    images = training_images()
    args.out.mkdir(parents=True, exist_ok=True)
    # an interrupted run resumes from its last finished epoch when started again
    model, history, settings = train(images, args.task, recipe=args.recipe, seed=args.seed,
                                     backup_dir=args.out / f".{args.task}-backup",
                                     blocks=args.blocks, channels=args.channels, downscale=args.downscale,
                                     levels=args.levels, patch_size=args.patch_size, batch_size=args.batch_size,
                                     epochs=args.epochs, steps=args.steps, precision=args.precision,
                                     scales=None if args.scales is None else tuple(args.scales),
                                     weighting=args.weighting)
    # weights only (load_pretrained builds the architecture from the record's settings, so any
    # Keras 3 reads the file); written whole, then renamed over the old weights
    partial = args.out / f".{args.task}.partial.weights.h5"
    model.save_weights(partial)
    os.replace(partial, args.out / f"{args.task}.weights.h5")
    command_line = " ".join(["python -m course_lib.restoration", *(sys.argv[1:] if argv is None else argv)])
    record = {"task": args.task, "recipe": args.recipe, "seed": args.seed, "command": command_line, "settings": settings,
              "threads": args.threads,
              "train_images": sorted(images), "final_loss": history["loss"][-1],
              "final_val_loss": history["val_loss"][-1], "history": history}
    (args.out / f"{args.task}.json").write_text(json.dumps(record, indent=1))
    print(f"saved {args.out / (args.task + '.weights.h5')} after {settings['seconds']:.0f} s of training")
    return 0

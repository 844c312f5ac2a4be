"""Every public course_lib function, and fuzz cases made from the valid calls in their docstrings.

``public_functions()`` walks the packages (``__all__``, the names served lazily by ``_lazy``, the
plotting/widgets/grading submodules) and returns every public function and class once, by the
module that defines it. ``doctest_cases()`` runs each one's numpydoc Examples with the function
replaced by a recorder, keeps the first call the Examples make (a valid call, so every other
argument is right), and gives each argument the bad values of its kind: a ``uint8`` or 0..255
copy of an image, a ragged list, a wrong type, NaN, a negative or huge count, ``rng=-1``, a label
map with a class of 1e300 or 0.5.
``bench_contracts.py`` calls them with its hand-written cases; what is neither is in ``EXCLUDED``
with a one-line reason (checked by ``tests/project/test_fuzz_contracts.py``).
"""

from __future__ import annotations

import copy
import doctest
import importlib
import inspect
import io
import os
import tempfile
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np

import course_lib

# Modules that are not imported by the walk: tests shipped for students, run by the grader, and
# the exercises' answer keys (reference functions and fixed cases that only checks.check calls, on
# inputs it builds itself; tests/checks feeds every exercise right, mistaken and random answers).
_SKIP_MODULES = ("course_lib.grading.exercise_tests", "course_lib.checks.chapters")

# Public names fuzzed neither by a hand-written case nor from their Examples, each with why.
EXCLUDED = {
    "course_lib.data.__main__.main": "command line (argv); its options are argparse choices, tested in tests/data",
    "course_lib.grading.cli.main": "command line (argv) of course-grade; argparse refuses bad options, tests/grading",
    "course_lib.grading.main": "entry point that only forwards sys.argv to grading.cli.main",
    "course_lib.grading.kernel.main": "the grader's kernel process: reads commands from stdin, run by tests/grading",
    "course_lib.restoration.train.main": "command line (argv) of the training script; argparse, tests/restoration",
    "course_lib.report.glue": "takes any value to show in the book; nothing a student can get wrong",
    "course_lib.checks.feedback.Feedback": "record returned by checks.check",
    "course_lib.data.offline.more_photographs": "its one argument is a flag (grayscale); any value means yes or no",
    "course_lib.grading.testfiles.load_test_file": "parses the autograder's own test files (any text); tests/grading",
    # instructors' build and grading steps: each call runs otter or a kernel (seconds), or writes
    # into the package; their options are checked by tests/grading
    "course_lib.grading.assign.assign_master": "runs otter assign (seconds a call); tests/grading builds every master",
    "course_lib.grading.assign.assign_all": "runs otter assign on every master; tests/grading",
    "course_lib.grading.assign.copy_package_tests": "writes into course_lib/grading/exercise_tests itself",
    "course_lib.grading.cli.grade_submissions": "starts a kernel per submission; its options are checked in tests/grading",
    "course_lib.grading.judge.judge_notebook": "starts a kernel; tests/grading/test_grading_judge.py",
    # the exercises' answer keys: written by instructors from a master solution, read at import
    "course_lib.checks.__main__.main": "command line (argv) of python -m course_lib.checks; argparse, tests/checks",
    "course_lib.checks.registry.register": "called once per exercise by the key modules at import; tests/checks",
    "course_lib.checks.registry.Exercise": "base record of an exercise's key; built by the key modules, not by students",
    "course_lib.checks.writer.value_exercise": "instructors' key writer: looks up a registered exercise; tests/checks",
    "course_lib.checks.writer.entry_for": "instructors' key writer: hashes a solution value; tests/checks",
    "course_lib.checks.writer.module_path": "instructors' key writer: path of a key module; tests/checks",
    "course_lib.checks.writer.read_keys": "instructors' key writer: parses a key module's KEYS block; tests/checks",
    "course_lib.checks.writer.store": "instructors' key writer: writes into course_lib/checks/chapters itself",
    "course_lib.checks.writer.solution_values": "instructors' key writer: executes a master notebook (seconds); tests/checks",
    "course_lib.checks.keys.canonical": "internal of the key format: checks.check passes it the student's value and turns its AnswerFormError into feedback",
    "course_lib.checks.keys.shape_of": "internal of the key format: any value has a shape or None (documented)",
    "course_lib.checks.keys.digest": "internal of the key format: hashes the salted canonical text that make_entry and matches build",
    "course_lib.checks.keys.make_entry": "instructors' key writer: hashes a master solution's value; tests/checks",
    "course_lib.checks.keys.matches": "internal of the key format: called by checks.check with the stored entry; tests/checks",
    "course_lib.checks.writer.render": "instructors' key writer: formats the KEYS block it read; tests/checks",
    "course_lib.checks.functions.compare": "internal of check_function: compares a student's output (any value: feedback) with the reference's",
    "course_lib.checks.functions.first_disagreement": "internal of check_function, which checks its arguments first",
    "course_lib.checks.functions.FunctionExercise": "an exercise's key, built by the key modules at import; tests/checks",
    "course_lib.checks.values.ValueExercise": "an exercise's key, built by the key modules at import; tests/checks",
    "course_lib.checks.registry.ContextExercise": "an exercise's key, built by the key modules at import; tests/checks",
    "course_lib.checks.registry.chapter_exercises": "instructors' and tests' listing of a key module's exercises; tests/checks",
    # records that functions return; students read them, they do not build them
    "course_lib.batchnorm.core.BatchNormCache": "record returned by batchnorm_forward (the backward pass's input)",
    "course_lib.data.synthetic.Shapes": "record returned by data.shapes",
    "course_lib.data.resources.Resource": "record of the download table (data.RESOURCES)",
    "course_lib.gabor.kernels.GaborFilter": "record returned by gabor_bank (its kernel is checked by gabor_kernel)",
    "course_lib.segmentation.data.Scenes": "record returned by texture_scenes / oxford_pets / segmentation_set",
    "course_lib.sgd.optimize.SGDRun": "record returned by run_sgd",
    "course_lib.grading.inspection.Submission": "record returned by load_submission",
    "course_lib.grading.judge.Assignment": "record returned by read_assignment",
    "course_lib.grading.testfiles.Case": "record of a parsed test file (load_test_file)",
    "course_lib.grading.testfiles.TestFile": "record returned by load_test_file",
    "course_lib.grading.session.Kernel": "the grader's kernel process handle; exercised end to end by tests/grading",
    "course_lib.grading.session.Session": "the grader's session with a kernel; exercised end to end by tests/grading",
    "course_lib.grading.wire.Opaque": "handle the judge builds for an object left in the kernel",
    "course_lib.grading.session.RemoteFunction": "a proxy to a student's function inside the kernel; tests/grading",
}

# Calls from the Examples-made cases whose "bad" value is accepted on purpose: not a silent wrong
# result. Keyed by "function(argument"; each says why.
ACCEPTED = {
    "checks.feedback.unanswered(answer": "a student's answer of any kind is a value to check, never an error",
    "grading.gradebook.failed_row(note='": "free text written into the gradebook's notes: any non-empty string is a valid reason",
    "checks.registry.check(answer": "a student's answer of any kind is checked and answered with feedback, never an error",
    "checks.functions.check_function(function": "None or a stub is a question not answered yet: feedback, not an error",
    "checks.check_function(function": "None or a stub is a question not answered yet: feedback, not an error",
    "config.pick(quick": "pick returns whatever value the chapter gives for the profile",
    "config.pick(full": "pick returns whatever value the chapter gives for the profile",
    "gabor.bank_features(images": "each image is standardized (zero mean, unit spread) first: any range gives the same features",
    "gabor.gabor_features(image": "each image is standardized first: any range gives the same features",
    "plotting.gabor.plot_tuning(image": "responses are normalized per image: any range gives the same curve",
    "plotting.gabor.show_explorer(image": "drawn on its own colour scale; responses normalized per image",
    "plotting.conv.show_responses(image": "drawn on its own colour scale; the responses scale with the image, as they should",
    "plotting.cam.compare_maps(image": "8-bit images are converted (documented, as skimage.img_as_float does)",
    "plotting.cam.show_cams(images": "8-bit images are converted (documented, as skimage.img_as_float does)",
    "segmentation.pixel_features(images=<uint8": "8-bit images are converted (documented, as skimage.img_as_float does)",
    "data.weights_mismatch(path": "a missing or unreadable file is an answer (the reason as a string), not an error",
    "data.verify.check_structure(path": "a missing or broken file is an answer (the reason as a string)",
    "data.verify.discard(path": "removing a file that is not there is nothing to do",
    "grading.assign.package_tests_differ(tests": "a folder that is not there differs: the answer lists the files",
    "grading.judge.clean_work_root(root": "a folder that is not there holds nothing to clean",
    "grading.testfiles.unanswered(value": "tells whether any value is still the placeholder: every value is an answer",
    "grading.testfiles.failure_message(error": "formats whatever a test raised or returned",
    "grading.testfiles.resolve_points(total=None": "None means the question declares no total (documented)",
    "grading.testfiles.plural(noun='": "any noun is free text: plural('not-a-choice') is right to add an s",
    "grading.inspection.load_submission(assignment_name='": "any non-empty string can be the autograder's assignment name",
    "grading.wire.encode(value": "encodes any value; objects that are not plain data become handles",
    "grading.wire.decode(data": "a string is a valid encoded value",
}

# Internals of the instructors' tools (course-grade, the download cache), reached by the course's
# own code, not by students. Fuzzed like the rest; what they leak or accept is reported under its
# own count, which must be 0 like the others (tests/project/test_fuzz_contracts.py).
TRACKED_PREFIXES = ("grading.", "data.downloads.", "data.verify.", "data.resources.")

# Arguments free text or an any-value by design: a string there is never wrong.
FREE_TEXT = {"title", "question", "name", "label", "labels_text", "message", "xlabel", "ylabel", "cmap", "suptitle",
             "hint", "text", "description", "path", "folder", "directory", "root", "filename", "url", "prefix",
             "suffix", "key", "what", "fix", "unit", "legend", "caption", "source", "code", "expected", "reason"}
SEED_NAMES = {"rng", "seed"}
IMAGE_WORDS = ("image", "images", "clean", "noisy", "reference", "references", "corrupted", "restored", "target",
               "distractor", "photo", "photos", "rgb")
LABEL_WORDS = ("labels", "label", "y_true", "y_pred", "mask", "masks", "predictions", "bins", "classes")
RAGGED = [[0.1, 0.2], [0.3]]


def _module_files() -> dict[str, Path]:
    """Every course_lib module name -> its file, found on disk (walk_packages would import them)."""
    root = Path(course_lib.__file__).parent
    files = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return files


def keras_modules(files: dict[str, Path]) -> set[str]:
    """The modules that import TensorFlow or Keras when imported (directly or through course_lib)."""
    top = {name: [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith(("import ", "from "))]
           for name, path in files.items()}
    keras = {name for name, lines in top.items()
             if any(line.split()[1].split(".")[0] in ("tensorflow", "keras") for line in lines)}
    changed = True
    while changed:  # a module importing a Keras module at its top is one too
        changed = False
        for name, lines in top.items():
            if name not in keras and any(line.split()[1] in keras for line in lines):
                keras.add(name)
                changed = True
    return keras


def public_functions(*, numpy_only: bool = False) -> dict[str, tuple[str, object]]:
    """Every public function and class of course_lib: canonical name -> (public name, object).

    ``numpy_only`` leaves out the modules that import TensorFlow or Keras when imported and the
    names a package serves lazily from them (the NumPy-side fuzz runs without TensorFlow).
    """
    found: dict[str, tuple[str, object]] = {}
    files = _module_files()
    skip = keras_modules(files) if numpy_only else set()
    for name in files:
        if name == "course_lib" or name in skip or name.startswith(_SKIP_MODULES):
            continue
        if any(p.startswith("_") and p != "__main__" for p in name.split(".")[1:]):
            continue
        module = importlib.import_module(name)
        names = getattr(module, "__all__", None)
        if names is None:
            names = [n for n, v in vars(module).items() if not n.startswith("_") and getattr(v, "__module__", None) == name]
        for public in names:
            if numpy_only and public not in vars(module):
                continue  # served lazily from a Keras module
            value = getattr(module, public)  # a lazily served Keras name imports its module here
            if not (inspect.isfunction(value) or inspect.isclass(value)):
                continue
            if not getattr(value, "__module__", "").startswith("course_lib"):
                continue
            if inspect.isclass(value) and issubclass(value, BaseException):
                continue  # exception classes are raised, not called by students
            key = f"{value.__module__}.{value.__qualname__}"
            found.setdefault(key, (f"{name}.{public}", value))
    return found


class _Recorder:
    def __init__(self, function):
        self.function = function
        self.call = None

    def __call__(self, *args, **kwargs):
        if self.call is None:
            try:
                self.call = (copy.deepcopy(args), copy.deepcopy(kwargs))
            except Exception:  # an argument that cannot be copied (a Keras model): keep it as it is
                self.call = (args, kwargs)
        return self.function(*args, **kwargs)


def _modules_holding(value) -> list:
    holders = []
    for module in list(__import__("sys").modules.values()):
        if getattr(module, "__name__", "").startswith("course_lib"):
            for attribute, held in list(vars(module).items()):
                if held is value:
                    holders.append((module, attribute))
    return holders


def record_valid_call(value):
    """Run ``value``'s docstring Examples and return the first call they make, or None."""
    tests = doctest.DocTestFinder(recurse=False).find(value, value.__qualname__, module=inspect.getmodule(value),
                                                      globs=dict(vars(inspect.getmodule(value))))
    if not tests or not any(t.examples for t in tests):
        return None
    recorder = _Recorder(value)
    holders = _modules_holding(value)
    cwd, environment = os.getcwd(), dict(os.environ)  # Examples may set or delete variables (the data cache)
    with tempfile.TemporaryDirectory() as folder:
        try:
            os.chdir(folder)
            for module, attribute in holders:
                setattr(module, attribute, recorder)
            runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
            for test in tests:
                test.globs[value.__name__] = recorder
                with redirect_stdout(io.StringIO()):
                    runner.run(test, out=lambda text: None, clear_globs=False)
                if recorder.call is not None:
                    break
        finally:
            for module, attribute in holders:
                setattr(module, attribute, value)
            os.chdir(cwd)
            os.environ.clear()
            os.environ.update(environment)
    return recorder.call


def takes_arguments(value) -> bool:
    """False for a function without parameters: there is no argument to get wrong."""
    parameters = inspect.signature(value).parameters.values()
    return any(p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters)


def why_not_fuzzable(value) -> str:
    """Why ``value``'s Examples give no call to fuzz (without running them), or "" if they do."""
    docstring = inspect.getdoc(value) or ""
    if ">>>" not in docstring:
        return "no Examples"
    if f"{value.__name__}(" not in docstring:
        return "its Examples do not call it"
    return ""


def _is_image_name(name: str) -> bool:
    return any(word == name or name.startswith(word + "_") or name.endswith("_" + word) for word in IMAGE_WORDS)


def bad_labels(valid: np.ndarray, values=(1e300, 0.5)) -> list:
    """Copies of a label array whose last class is each of ``values``: too large to be a class, fractional."""
    copies = []
    for value in values:
        copy = valid.astype(float)
        copy.flat[-1] = value
        copies.append(copy)
    return copies


def bad_values(name: str, valid, parameter: inspect.Parameter) -> list:
    """The bad values of ``valid``'s kind for the argument ``name``."""
    annotation = str(parameter.annotation)
    allows_none = parameter.default is None or "None" in annotation
    wrong_type = [] if allows_none else [None]
    if name in SEED_NAMES:
        return [-1, 2**40, 1.5, "0"]
    if isinstance(valid, (bool, np.bool_)):
        return []
    if isinstance(valid, (int, np.integer)):
        bad = ["3"] + wrong_type
        if "float" not in annotation:
            bad.append(1.5)
        return bad
    if isinstance(valid, (float, np.floating)):
        return ["x", float("nan")]
    if isinstance(valid, str):
        if os.sep in valid:  # a path: a number or None is the wrong type
            return [3] + wrong_type
        return [] if name in FREE_TEXT else ["not-a-choice", 3]
    if isinstance(valid, np.ndarray) and valid.dtype.kind in "fiub" and valid.size:
        bad = [RAGGED, "abc"] + wrong_type
        if valid.dtype.kind == "f" and np.all(np.isfinite(valid)):
            bad.append(np.full(valid.shape, np.nan))
        if (_is_image_name(name) and valid.ndim >= 2 and valid.dtype.kind == "f"
                and valid.min() >= 0 and valid.max() <= 1 and valid.max() > 0):
            bad += [(valid * 255).round().astype(np.uint8) if valid.max() > 1 / 255 else None, valid * 255 + 1]
        if name in LABEL_WORDS and valid.dtype.kind in "iu":
            bad += bad_labels(valid)
        return [b for b in bad if b is not None or allows_none is False]
    if isinstance(valid, (list, tuple)) and valid and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in valid):
        return ["abc", [*valid[:-1], "x"]] + wrong_type
    if isinstance(valid, (dict, list, tuple)) or valid is None:
        return ["abc"] if valid is not None else []
    return ["abc"] + wrong_type  # an object (a model, a dataset): a wrong type


def classify(problem: str) -> str:
    """``problem`` is "kind: name(argument=value)"; return "accepted", "tracked" or its kind."""
    kind, call = problem.split(": ", 1)
    if kind == "silent" and any(call.startswith(key) for key in ACCEPTED):
        return "accepted"
    if call.startswith(TRACKED_PREFIXES):
        return "tracked"
    return kind


def doctest_cases(names: dict[str, tuple[str, object]], skip: set[str]) -> tuple[list, dict[str, str]]:
    """Fuzz cases (as in bench_contracts) from the Examples of the names not in ``skip``, and the misses."""
    cases, missing = [], {}
    for key, (public, value) in sorted(names.items()):
        if key in skip or key in EXCLUDED or not takes_arguments(value):
            continue
        try:
            call = record_valid_call(value)
        except Exception as error:  # noqa: BLE001 - reported as a miss, not a crash of the fuzz pass
            missing[key] = f"its Examples failed: {type(error).__name__}: {error}"
            continue
        if call is None:
            missing[key] = "no call in its Examples"
            continue
        signature = inspect.signature(value)
        try:
            bound = signature.bind(*call[0], **call[1])
        except TypeError as error:
            missing[key] = f"recorded call does not bind: {error}"
            continue
        bad = {}
        for argument, valid in bound.arguments.items():
            parameter = signature.parameters[argument]
            if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            values = bad_values(argument, valid, parameter)
            if values:
                bad[argument] = values
        if not bad:
            missing[key] = "its Examples' call has no argument to fuzz"
            continue
        cases.append((public.removeprefix("course_lib."), value, signature, dict(bound.arguments), bad))
    return cases, missing

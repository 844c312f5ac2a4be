"""Grading on a Dask distributed cluster: each submission is one Dask task.

``course-grade grade --scheduler tcp://HOST:8786`` (a running ``dask scheduler``, e.g. one that
``dask-jobqueue`` started on a Slurm cluster) or ``--scheduler local:N`` (a ``LocalCluster`` of N
worker processes on this machine) sends the submissions here instead of to the local process pool.

- The autograder zip goes to each worker once, in a worker plugin (:class:`AutograderPlugin`, which
  the scheduler also hands to workers that join later or restart); every task checks its
  SHA-256 before use.
- A task grades with :func:`course_lib.grading.submission.grade_submission`, the very code of the local pool
  (the judge, its sandbox and limits); it returns the row, the log and the feedback, and the
  client writes them: the client is the only writer of the gradebook and its files.
- A worker that cannot sandbox refuses (:class:`SandboxUnavailable`) and the run stops with its
  message; a worker that dies mid-submission costs that submission a retry on another worker,
  as many times as the scheduler allows (``distributed.scheduler.allowed-failures``, 3 by
  default), then a ``failed`` row that says why.

Importing this module imports Dask; :mod:`course_lib.grading.cli` imports it only when a scheduler is
named, so the local pool needs no Dask (``pip install course_lib[cluster]`` installs it).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import distributed
from distributed.diagnostics.plugin import WorkerPlugin

from course_lib._validation import as_float, as_path
from course_lib.grading.submission import _as_grading_paths, _as_options

#: Seconds to wait for the scheduler before giving up with one clear line.
CONNECT_TIMEOUT = 10.0
#: Largest log a task sends back; a longer one keeps its first and last halves of this.
LOG_LIMIT = 8 * 2**20
#: One submission at a time per worker process: the judge changes the working directory.
_ONE_AT_A_TIME = threading.Lock()
#: On a worker: autograder zips by SHA-256, put there by :class:`AutograderPlugin`.
_AUTOGRADERS: dict[str, bytes] = {}
#: What ``options["isolation"]`` may be in a task: ``"auto"`` is resolved on the worker.
ISOLATIONS = ("auto", "root", "userns", "none")


class SandboxUnavailable(RuntimeError):
    """Raised on a worker that cannot isolate the student's code; the client stops the run."""


def parse_scheduler(scheduler: str) -> tuple[str, str | int]:
    """Split a ``--scheduler`` value into its kind and its address or worker count.

    Parameters
    ----------
    scheduler : str
        ``"tcp://HOST:PORT"`` (a running Dask scheduler) or ``"local:N"`` (N worker processes here).

    Returns
    -------
    tuple
        ``("tcp", "tcp://HOST:PORT")`` or ``("local", N)``.

    Raises
    ------
    TypeError
        If ``scheduler`` is not a str.
    ValueError
        If ``scheduler`` is neither form.

    Examples
    --------
    >>> parse_scheduler("tcp://127.0.0.1:8786"), parse_scheduler("local:2")
    (('tcp', 'tcp://127.0.0.1:8786'), ('local', 2))
    >>> parse_scheduler("127.0.0.1:8786")
    Traceback (most recent call last):
    ...
    ValueError: scheduler must be 'tcp://HOST:PORT' (a running dask scheduler) or 'local:N' (N worker processes on this machine); got '127.0.0.1:8786'.
    >>> parse_scheduler(8786)
    Traceback (most recent call last):
    ...
    TypeError: scheduler must be a str, 'tcp://HOST:PORT' or 'local:N'; got 8786 (int).
    """
    if not isinstance(scheduler, str):
        raise TypeError(f"scheduler must be a str, 'tcp://HOST:PORT' or 'local:N'; got {scheduler!r} "
                        f"({type(scheduler).__name__}).")
    text = scheduler.strip()
    kind, _, rest = text.partition(":")
    if kind == "local" and rest.isdigit() and int(rest) >= 1:
        return "local", int(rest)
    if kind == "tcp" and rest.startswith("//") and rest[2:].rpartition(":")[2].isdigit():
        return "tcp", text
    raise ValueError("scheduler must be 'tcp://HOST:PORT' (a running dask scheduler) or 'local:N' "
                     f"(N worker processes on this machine); got {scheduler!r}.")


def connect(scheduler: str, *, timeout: float | None = None) -> contextlib.AbstractContextManager:
    """A Dask client of ``scheduler`` (see :func:`parse_scheduler`), closed on exit.

    The arguments are checked when ``connect`` is called, before anything starts or connects.

    Parameters
    ----------
    scheduler : str
        ``"tcp://HOST:PORT"``, or ``"local:N"``: a ``LocalCluster`` of N one-thread worker
        processes on 127.0.0.1, started here and stopped on exit.
    timeout : float, keyword-only
        Seconds to wait for a remote scheduler, at least 0.1 (:data:`CONNECT_TIMEOUT` when None).

    Returns
    -------
    context manager
        Yields a ``distributed.Client``.

    Raises
    ------
    TypeError
        If ``scheduler`` is not a str or ``timeout`` not a number.
    ValueError
        If ``scheduler`` is neither form of :func:`parse_scheduler`, or ``timeout`` is below 0.1
        or not finite.
    RuntimeError
        If the scheduler cannot be reached in ``timeout`` seconds (on entering the ``with`` block).

    Examples
    --------
    >>> with connect("tcp://127.0.0.1:1", timeout=0.5) as client:  # nothing listens on port 1
    ...     pass
    Traceback (most recent call last):
    ...
    RuntimeError: cannot reach the Dask scheduler at tcp://127.0.0.1:1 within 0.5 s ...
    >>> connect("tcp://127.0.0.1:1", timeout=float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: timeout must be finite; got nan.
    """
    kind, target = parse_scheduler(scheduler)
    timeout = as_float("timeout", CONNECT_TIMEOUT if timeout is None else timeout, minimum=0.1)
    return _connect(kind, target, timeout)


@contextlib.contextmanager
def _connect(kind: str, target: str | int, timeout: float):
    """The body of :func:`connect`, run on entering the ``with`` block (arguments already checked)."""
    if kind == "local":
        # memory_limit=0: the judge limits each kernel; the nanny must not kill a worker for it.
        # No dashboard, and the scheduler's own HTTP routes on a free port (8787 may be taken).
        with distributed.LocalCluster(n_workers=target, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=None, memory_limit=0,
                                      scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as cluster, \
                distributed.Client(cluster) as client:
            yield client
        return
    try:
        client = distributed.Client(target, timeout=f"{timeout}s")
    except (OSError, TimeoutError) as error:
        raise RuntimeError(f"cannot reach the Dask scheduler at {target} within {timeout:g} s ({error}); "
                           "is `dask scheduler` running there and the port open?") from None
    with client:
        yield client


@functools.lru_cache(maxsize=None)
def worker_isolation() -> str:
    """This worker's best sandbox (:func:`course_lib.grading.sandbox.isolation_mode`), probed once."""
    from course_lib.grading.sandbox import isolation_mode

    return isolation_mode()


def prepare_worker() -> str:
    """Run on each worker before grading: remove stale work folders, return the sandbox it offers."""
    from course_lib.grading.submission import WORK_ROOT
    from course_lib.grading.judge import clean_work_root

    WORK_ROOT.mkdir(mode=0o700, parents=True, exist_ok=True)
    clean_work_root(WORK_ROOT)
    return worker_isolation()


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except ValueError:  # not inside a Dask task (a direct call)
        return f"{socket.gethostname()} (pid {os.getpid()})"


def refusal(worker: str) -> str:
    """What a worker without a sandbox says instead of grading.

    Parameters
    ----------
    worker : str
        The worker's address (or several, joined by commas).

    Returns
    -------
    str

    Raises
    ------
    TypeError
        If ``worker`` is not a str.
    ValueError
        If ``worker`` is empty.

    Examples
    --------
    >>> refusal("tcp://10.0.0.5:40000")[:63]
    'the Dask worker tcp://10.0.0.5:40000 cannot sandbox the student'
    >>> refusal(None)
    Traceback (most recent call last):
    ...
    TypeError: worker must be a str (the worker's address); got None (NoneType).
    """
    if not isinstance(worker, str):
        raise TypeError(f"worker must be a str (the worker's address); got {worker!r} ({type(worker).__name__}).")
    if not worker.strip():
        raise ValueError("worker must name the worker (its address); got an empty string.")
    return (f"the Dask worker {worker} cannot sandbox the student's code (it is not root and has no user "
            "namespaces with unshare and setpriv), so it refuses to grade; run the workers as root or "
            "enable user namespaces there (book/instructors.md), or remove this worker.")


class AutograderPlugin(WorkerPlugin):
    """Puts the autograder zip on every worker once, also on those that join later or restart.

    Parameters
    ----------
    data : bytes
        The autograder zip's bytes (not its path).

    Raises
    ------
    TypeError
        If ``data`` is not bytes (a path or a str, say).
    ValueError
        If ``data`` is empty.

    Examples
    --------
    >>> plugin = AutograderPlugin(b"zip")
    >>> plugin.name, plugin.sha256 == hashlib.sha256(b"zip").hexdigest()
    ('course-grade-autograder-4a70fe9aa6436e02', True)
    >>> AutograderPlugin("ag.zip")
    Traceback (most recent call last):
    ...
    TypeError: data must be the autograder zip's bytes; got str. Read the file first: Path(autograder).read_bytes().
    """

    def __init__(self, data: bytes):
        self.data = _as_bytes("data", data, what="the autograder zip's bytes",
                              fix="Read the file first: Path(autograder).read_bytes().")
        self.sha256 = hashlib.sha256(self.data).hexdigest()
        self.name = f"course-grade-autograder-{self.sha256[:16]}"

    def setup(self, worker) -> None:
        _AUTOGRADERS[self.sha256] = self.data

    def teardown(self, worker) -> None:
        _AUTOGRADERS.pop(self.sha256, None)


def grade_task(name: str, data: bytes, sha256: str, options: dict) -> dict:
    """Grade one submission on a worker: the Dask task.

    Parameters
    ----------
    name : str
        The submission's file name (it identifies the student).
    data : bytes
        The submission's bytes.
    sha256 : str
        The autograder zip's SHA-256 as the client read it: the task takes the zip that
        :class:`AutograderPlugin` put on this worker, and refuses one whose SHA-256 differs.
    options : dict
        The judge's options (:func:`course_lib.grading.cli.grade_submissions`); ``isolation``
        ``"auto"`` means this worker's best sandbox, never none.

    Returns
    -------
    dict
        ``row`` (the gradebook row), ``log`` (bytes) and ``feedback`` (str or None).

    Raises
    ------
    TypeError
        If ``name`` or ``sha256`` is not a str, ``data`` not bytes, or ``options`` not a dict.
    ValueError
        If ``name`` is not a bare file name, ``sha256`` not 64 hex digits, ``options`` has no
        valid ``isolation``, or the autograder's SHA-256 differs from ``sha256``.
    RuntimeError
        If this worker holds no autograder with that SHA-256 (the plugin is not registered).
    SandboxUnavailable
        If ``options["isolation"]`` is ``"auto"`` and this worker has no sandbox.

    Examples
    --------
    >>> grade_task("a.txt", b"3", "0" * 64, {"isolation": "none"})
    Traceback (most recent call last):
    ...
    RuntimeError: this worker holds no autograder zip 000000000000; register AutograderPlugin first.
    >>> grade_task("a.txt", b"3", "0" * 12, {"isolation": "none"})
    Traceback (most recent call last):
    ...
    ValueError: sha256 must be a SHA-256 in hex (64 digits 0-9a-f); got '000000000000'. Pass AutograderPlugin(data).sha256.
    """
    from course_lib.grading.submission import grade_submission

    name = _as_file_name("name", name)
    data = _as_bytes("data", data, what="the submission's bytes", fix="Read the file: path.read_bytes().",
                     empty=True)
    sha256 = _as_sha256("sha256", sha256)
    options = _as_options("options", options, ISOLATIONS)
    autograder = _AUTOGRADERS.get(sha256)
    if autograder is None:
        raise RuntimeError(f"this worker holds no autograder zip {sha256[:12]}; register AutograderPlugin first.")
    got = hashlib.sha256(autograder).hexdigest()
    if got != sha256:
        raise ValueError(f"autograder zip has SHA-256 {got[:4]}...; the client sent {sha256[:4]}...: "
                         "it changed on the way, not graded.")
    options = dict(options)
    if options["isolation"] == "auto":
        options["isolation"] = worker_isolation()
        if options["isolation"] == "none":
            raise SandboxUnavailable(refusal(_worker_name()))
    with _ONE_AT_A_TIME:
        folder = Path(tempfile.mkdtemp(prefix="course-grade-task-"))
        try:
            (folder / "files").mkdir()
            (folder / "in").mkdir()
            zip_path = folder / f"{sha256[:16]}-autograder.zip"
            zip_path.write_bytes(autograder)
            path = folder / "in" / name
            path.write_bytes(data)
            row = grade_submission(path, zip_path, folder / "files", options)
            log_path, feedback_path = folder / "files" / f"{name}.log", folder / "files" / f"{name}.feedback.md"
            log = _read_log(log_path) if log_path.exists() else b""
            feedback = feedback_path.read_text(encoding="utf-8") if feedback_path.exists() else None
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return {"row": row, "log": log, "feedback": feedback}


def _read_log(path: Path) -> bytes:
    size = path.stat().st_size
    with open(path, "rb") as handle:
        if size <= LOG_LIMIT:
            return handle.read()
        head = handle.read(LOG_LIMIT // 2)
        handle.seek(size - LOG_LIMIT // 2)
        return head + f"\n[... {size - LOG_LIMIT} bytes left out ...]\n".encode() + handle.read()


def _as_bytes(name: str, value, *, what: str, fix: str, empty: bool = False) -> bytes:
    """``value`` as bytes, refusing a str, a path, None or an int (``bytes(5)`` would be five zeros)."""
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError(f"{name} must be {what}; got {type(value).__name__}. {fix}")
    value = bytes(value)
    if not value and not empty:
        raise ValueError(f"{name} must be {what}; got no bytes (an empty file?). {fix}")
    return value


def _as_sha256(name: str, value) -> str:
    """``value`` if it is a SHA-256 in lowercase hex, as ``hashlib.sha256(...).hexdigest()`` writes it."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a SHA-256 in hex (a str of 64 digits); got {value!r} ({type(value).__name__}).")
    if len(value) != 64 or value.strip("0123456789abcdef"):
        raise ValueError(f"{name} must be a SHA-256 in hex (64 digits 0-9a-f); got {value[:80]!r}. "
                         "Pass AutograderPlugin(data).sha256.")
    return value


def _as_file_name(name: str, value) -> str:
    """``value`` if it is a bare file name: a task writes it inside its own folder, never elsewhere."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a file name (str); got {value!r} ({type(value).__name__}).")
    if value in ("", ".", "..") or "/" in value or "\\" in value or "\0" in value:
        raise ValueError(f"{name} must be a bare file name (no folder), e.g. 'ada.ipynb'; got {value!r}. "
                         "Pass path.name.")
    return value


def grade_on_cluster(scheduler: str, paths: Iterable[Path], autograder: Path, files: Path, options: Mapping, *,
                     say=print) -> Iterator[tuple[Path, dict]]:
    """Grade ``paths`` on the cluster; yield ``(path, row)`` in the client as each result comes back.

    The log and feedback of each submission are written to ``files`` (by this process) before its
    row is yielded; the caller records the row. A few tasks per worker thread are in flight at a
    time, so the scheduler never holds the whole course. The arguments are checked when
    ``grade_on_cluster`` is called, before it connects.

    Parameters
    ----------
    scheduler : str
        ``"tcp://HOST:PORT"`` or ``"local:N"`` (:func:`parse_scheduler`).
    paths : list of Path
        The submission files.
    autograder : Path
        The autograder zip (a file).
    files : Path
        Existing folder that receives ``<name>.log`` and ``<name>.feedback.md``.
    options : dict
        The judge's options; ``isolation`` is one of :data:`ISOLATIONS` (``"auto"``: each worker's best).
    say : callable, keyword-only
        Called with each warning line (``print`` by default).

    Returns
    -------
    iterator of (Path, dict)
        Each submission's path and gradebook row, in finishing order.

    Raises
    ------
    TypeError
        If an argument has the wrong type (``paths`` a single str, say).
    ValueError
        If ``scheduler`` is malformed, ``autograder`` is not a file, ``files`` not a folder, or
        ``options`` has no valid ``isolation``.
    RuntimeError
        If the scheduler cannot be reached, or a worker cannot sandbox (:class:`SandboxUnavailable`).

    Examples
    --------
    >>> import tempfile
    >>> zip_path = Path(tempfile.mkdtemp()) / "ag.zip"
    >>> _ = zip_path.write_bytes(b"zip")
    >>> list(grade_on_cluster("tcp://127.0.0.1:1", [], zip_path, zip_path.parent, {"isolation": "auto"}))
    Traceback (most recent call last):
    ...
    RuntimeError: cannot reach the Dask scheduler at tcp://127.0.0.1:1 within ...
    >>> grade_on_cluster("tcp://127.0.0.1:1", "ada.ipynb", zip_path, zip_path.parent, {"isolation": "auto"})
    Traceback (most recent call last):
    ...
    TypeError: paths must be a list of submission files; got str 'ada.ipynb'. Wrap it: [Path('ada.ipynb')].
    """
    parse_scheduler(scheduler)
    if isinstance(paths, (str, bytes)):
        raise TypeError(f"paths must be a list of submission files; got {type(paths).__name__} {paths!r}. "
                        f"Wrap it: [Path({paths!r})].")
    if isinstance(paths, os.PathLike) or isinstance(paths, Mapping) or not isinstance(paths, Iterable):
        raise TypeError(f"paths must be a list of submission files; got {type(paths).__name__}.")
    paths = [as_path(f"paths[{i}]", path) for i, path in enumerate(paths)]
    autograder, files = _as_grading_paths(autograder, files)
    options = _as_options("options", options, ISOLATIONS)
    if not callable(say):
        raise TypeError(f"say must be callable (print, say); got {type(say).__name__}.")
    return _grade_on_cluster(scheduler, paths, autograder, files, options, say)


def _grade_on_cluster(scheduler: str, paths: list[Path], autograder: Path, files: Path, options: dict, say):
    """The body of :func:`grade_on_cluster`, run as the caller iterates (arguments already checked)."""
    with connect(scheduler) as client:
        refused = [w for w, mode in client.run(prepare_worker).items() if mode == "none"]
        if options["isolation"] == "auto" and refused:
            raise SandboxUnavailable(refusal(", ".join(sorted(refused))))
        threads = client.nthreads()
        for worker in sorted(w for w, n in threads.items() if n > 1):
            say(f"the Dask worker {worker} has {threads[worker]} threads but grades one submission at a time; "
                "start workers with --nthreads 1 and more processes (--nworkers)")
        plugin = AutograderPlugin(autograder.read_bytes())
        client.register_plugin(plugin, name=plugin.name)  # sent once per worker, not once per task
        try:
            yield from _gather(client, paths, plugin.sha256, files, options, window=max(8, 2 * sum(threads.values())))
        finally:
            with contextlib.suppress(Exception):  # a scheduler that is gone took the plugin with it
                client.unregister_worker_plugin(plugin.name)


def _gather(client, paths: list[Path], sha256: str, files: Path, options: dict, *, window: int):
    """Submit ``window`` tasks, then one more as each finishes; yield ``(path, row)`` in finishing order."""
    from course_lib.grading.gradebook import failed_row

    futures = {}

    def submit(path: Path):
        future = client.submit(grade_task, path.name, path.read_bytes(), sha256, options, pure=False,
                               key=f"grade-{path.name}-{os.urandom(4).hex()}")
        futures[future] = path
        return future

    waiting = iter(paths)
    running = distributed.as_completed([submit(p) for p in itertools.islice(waiting, window)])
    for future in running:
        path = futures.pop(future)
        try:
            result = future.result()
        except SandboxUnavailable:
            client.cancel(list(futures))
            raise
        except distributed.KilledWorker as error:
            result = {"row": failed_row(path, "grader error: every Dask worker that graded it died; regrade with "
                                              f"--retry-failed ({error})")}
        except Exception as error:  # the judge itself failed on this one: record it, go on
            result = {"row": failed_row(path, f"grader error: {type(error).__name__}: {error}")}
        if result.get("log") is not None:
            (files / f"{path.name}.log").write_bytes(result["log"])
        if result.get("feedback") is not None:
            (files / f"{path.name}.feedback.md").write_text(result["feedback"], encoding="utf-8")
        following = next(waiting, None)
        if following is not None:
            running.add(submit(following))
        yield path, result["row"]

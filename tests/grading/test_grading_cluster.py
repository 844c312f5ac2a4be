"""Grading on a Dask cluster: a real ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1.

The cluster tests grade a small folder of honest and hostile notebooks against a one-question
autograder (a sandboxed kernel each, a few seconds), once through the cluster and once in the
local pool, and once more while a worker is killed in the middle of a submission. Slow: the
processes start in about 10 s on an idle machine; every process is stopped at the end.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from course_lib.grading import cli as grading, cluster

HOST = "127.0.0.1"
START_TIMEOUT = 180.0
TEST = ("from otter.test_files import test_case\nname = 'q1'\npoints = 2\n"
        "@test_case(hidden=False, points=1)\ndef test_type(x):\n    assert isinstance(x, int), 'x should be an int'\n"
        "@test_case(hidden=True, points=1)\ndef test_value(x):\n    assert x == 3, 'x should be 3'\n")


def notebook(*sources: str) -> str:
    cells = [{"cell_type": "code", "source": s, "metadata": {}, "outputs": [], "execution_count": None} for s in sources]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@pytest.fixture(scope="module")
def autograder(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cluster-autograder") / "demo-autograder.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("otter_config.json", json.dumps({"assignment_name": "demo"}))
        archive.writestr("tests/q1.py", TEST)
    return path


def write_submissions(folder: Path, **sources: str) -> Path:
    folder.mkdir()
    for name, source in sources.items():
        (folder / name).write_text(source)
    return folder


def rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="") as handle:
        return {row["submission"]: {k: v for k, v in row.items() if k != "seconds"} for row in csv.DictReader(handle)}


class Cluster:
    """A scheduler and two workers, each its own ``python -m dask`` process; dead workers are restarted."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.file = folder / "scheduler.json"
        self.processes: list[subprocess.Popen] = []
        self.scheduler = self._start("scheduler", "--host", HOST, "--port", "0", "--no-dashboard",
                                     "--dashboard-address", f"{HOST}:0", "--scheduler-file", str(self.file))
        deadline = time.monotonic() + START_TIMEOUT
        while not self.file.exists():
            assert self.scheduler.poll() is None and time.monotonic() < deadline, "dask scheduler did not start"
            time.sleep(0.2)
        self.address = json.loads(self.file.read_text())["address"]
        assert self.address.startswith(f"tcp://{HOST}:")
        self.workers: list[subprocess.Popen] = []

    def _start(self, *args: str) -> subprocess.Popen:
        log = open(self.folder / f"{args[0]}-{len(self.processes)}.log", "wb")
        process = subprocess.Popen([sys.executable, "-m", "dask", *args], stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        log.close()
        self.processes.append(process)
        return process

    def ensure_two_workers(self) -> None:
        self.workers = [w for w in self.workers if w.poll() is None]
        while len(self.workers) < 2:
            self.workers.append(self._start("worker", "--scheduler-file", str(self.file), "--host", HOST,
                                            "--nthreads", "1", "--no-nanny", "--no-dashboard", "--death-timeout", "60",
                                            "--local-directory", str(self.folder)))
        from distributed import Client

        wanted, deadline = {w.pid for w in self.workers}, time.monotonic() + START_TIMEOUT
        with Client(self.address, timeout="60s") as client:
            while set(client.run(os.getpid, on_error="ignore").values()) != wanted:
                assert time.monotonic() < deadline, "the dask workers did not join the scheduler"
                assert all(w.poll() is None for w in self.workers), "a dask worker did not start"
                time.sleep(0.2)

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    started = Cluster(tmp_path_factory.mktemp("dask-cluster"))
    try:
        started.ensure_two_workers()
        yield started
    finally:
        started.stop()
    assert all(p.poll() is not None for p in started.processes)


@pytest.mark.slow
def test_cluster_gradebook_is_the_local_pools(dask_cluster, autograder, tmp_path):
    subs = write_submissions(
        tmp_path / "subs",
        **{"correct.ipynb": notebook("x = 3"), "wrong.ipynb": notebook("x = 4"),
           "Copy of correct (2).ipynb": notebook("y = 1", "x = y + 2"),
           "raises.ipynb": notebook("raise RuntimeError('boom')"),
           "network.ipynb": notebook("import socket\ntry:\n    socket.create_connection(('127.0.0.1', 9), timeout=1)\n"
                                     "    x = 0\nexcept OSError:\n    x = 3"),
           "patch_harness.ipynb": notebook("import otter.test_files.abstract_test as harness\n"
                                           "harness.TestFile.score = property(lambda self: self.possible)\nx = 'three'"),
           "garbage.ipynb": '{"cells": [ {"cell_type": "code", ', "answer.txt": "x = 3"})
    dask_cluster.ensure_two_workers()
    lines = []
    on_cluster = grading.grade_submissions(autograder, subs, tmp_path / "cluster.csv", scheduler=dask_cluster.address,
                                           timeout=60, cell_timeout=10, memory_mb=1024, progress=lines.append)
    local = grading.grade_submissions(autograder, subs, tmp_path / "local.csv", workers=2, timeout=60, cell_timeout=10,
                                      memory_mb=1024, progress=lambda line: None)
    assert on_cluster == local == {"graded": 6, "failed": 2, "timeout": 0, "flagged": 2, "skipped": 0}
    book = rows(tmp_path / "cluster.csv")
    assert book == rows(tmp_path / "local.csv")
    assert {name: row["score"] for name, row in book.items() if row["status"] == "graded"} == {
        "correct.ipynb": "2.0", "Copy of correct (2).ipynb": "2.0", "wrong.ipynb": "1.0", "raises.ipynb": "0.0",
        "network.ipynb": "2.0", "patch_harness.ipynb": "0.0"}
    assert "tries the network (socket)" in book["network.ipynb"]["flags"]
    assert book["network.ipynb"]["network_isolated"] == "True"
    assert "imports the grading harness (otter)" in book["patch_harness.ipynb"]["flags"]
    assert "not a submission" in book["answer.txt"]["notes"] and "does not parse" in book["garbage.ipynb"]["notes"]
    for name in ("wrong.ipynb", "network.ipynb"):  # the same feedback, written by the client
        feedback = (tmp_path / "cluster_files" / f"{name}.feedback.md").read_text()
        assert feedback == (tmp_path / "local_files" / f"{name}.feedback.md").read_text()
        assert "x should be 3" not in feedback  # the hidden test stays hidden
    assert (tmp_path / "cluster_files" / "raises.ipynb.log").stat().st_size > 0
    assert lines[0].startswith("[1/8] ") and " per s, about " in lines[0] and lines[-1].startswith("summary: graded 6")

    # Resume: nothing is graded twice.
    before = (tmp_path / "cluster.csv").read_text()
    again = grading.grade_submissions(autograder, subs, tmp_path / "cluster.csv", scheduler=dask_cluster.address,
                                      progress=lambda line: None)
    assert again["skipped"] == 8 and (tmp_path / "cluster.csv").read_text() == before


@pytest.mark.slow
def test_a_worker_killed_mid_submission_costs_only_a_retry(dask_cluster, autograder, tmp_path):
    from distributed import Client

    subs = write_submissions(tmp_path / "subs", **{"slow.ipynb": notebook("import time\ntime.sleep(4)\nx = 3"),
                                                   "a.ipynb": notebook("x = 3"), "b.ipynb": notebook("x = 4")})
    dask_cluster.ensure_two_workers()
    pids = {w.pid: w for w in dask_cluster.workers}
    killed, finished = [], threading.Event()

    def executing(dask_worker) -> list[str]:  # runs on each worker (local: cloudpickle sends it by value)
        return [str(task.key) for task in dask_worker.state.executing]

    def kill_the_worker_grading_slow() -> None:
        with Client(dask_cluster.address, timeout="60s") as client:
            seen = None
            while not killed and not finished.is_set():
                running = client.run(executing)
                worker = next((w for w, keys in running.items() if any("slow.ipynb" in k for k in keys)), None)
                seen = None if worker is None else seen or time.monotonic()
                if seen is not None and time.monotonic() - seen > 2.0:  # its kernel is running the notebook
                    pid = client.run(os.getpid, workers=[worker])[worker]
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pids[pid])
                time.sleep(0.1)

    killer = threading.Thread(target=kill_the_worker_grading_slow)
    killer.start()
    try:
        counts = grading.grade_submissions(autograder, subs, tmp_path / "grades.csv", scheduler=dask_cluster.address,
                                           timeout=60, cell_timeout=20, memory_mb=1024, progress=lambda line: None)
    finally:
        finished.set()
        killer.join(timeout=60)
    assert len(killed) == 1 and killed[0].wait(timeout=10) == -signal.SIGKILL
    with (tmp_path / "grades.csv").open(newline="") as handle:
        names = [row["submission"] for row in csv.DictReader(handle)]
    assert sorted(names) == ["a.ipynb", "b.ipynb", "slow.ipynb"]  # exactly one row each
    book = rows(tmp_path / "grades.csv")
    assert counts == {"graded": 3, "failed": 0, "timeout": 0, "flagged": 0, "skipped": 0}
    assert (book["slow.ipynb"]["status"], book["slow.ipynb"]["score"]) == ("graded", "2.0")
    assert book["b.ipynb"]["score"] == "1.0"


def test_scheduler_must_be_tcp_or_local():
    assert cluster.parse_scheduler(" local:3 ") == ("local", 3)
    for bad in ("local:0", "local:two", "tcp://127.0.0.1", "127.0.0.1:8786", "tls://127.0.0.1:8786"):
        with pytest.raises(ValueError, match=r"scheduler must be 'tcp://HOST:PORT' .* or 'local:N'"):
            cluster.parse_scheduler(bad)


def test_an_unreachable_scheduler_fails_fast_with_one_line(autograder, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1.0)
    subs = write_submissions(tmp_path / "subs", **{"a.ipynb": notebook("x = 3")})
    start = time.monotonic()
    status = grading.main(["grade", "--autograder", str(autograder), "--submissions", str(subs),
                           "--out", str(tmp_path / "g.csv"), "--scheduler", "tcp://127.0.0.1:1"])
    assert status == 2 and time.monotonic() - start < 30
    errors = [line for line in capsys.readouterr().out.splitlines() if line.startswith("course-grade:")]
    assert len(errors) == 1 and not (tmp_path / "g.csv").exists()
    assert errors[0].startswith("course-grade: cannot reach the Dask scheduler at tcp://127.0.0.1:1 within 1 s")
    with pytest.raises(RuntimeError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:1 within 0.5 s"):
        with cluster.connect("tcp://127.0.0.1:1", timeout=0.5):
            pass


def test_without_dask_the_scheduler_option_says_what_to_install(autograder, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.delitem(sys.modules, "course_lib.grading.cluster", raising=False)
    monkeypatch.delattr(sys.modules["course_lib.grading"], "cluster", raising=False)
    subs = write_submissions(tmp_path / "subs", **{"a.ipynb": notebook("x = 3")})
    with pytest.raises(RuntimeError, match=r"--scheduler needs Dask distributed .*pip install 'course_lib\[cluster\]'"):
        grading.grade_submissions(autograder, subs, tmp_path / "g.csv", scheduler="local:1")


def test_the_local_pool_imports_no_dask():
    code = ("import sys, course_lib.grading, course_lib.grading.cli\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'dask', 'distributed'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"


def test_a_task_checks_the_autograder_and_the_sandbox(autograder, monkeypatch):
    data = autograder.read_bytes()
    sha256 = cluster.AutograderPlugin(data).sha256
    options = {"isolation": "auto", "timeout": 60, "cell_timeout": 10, "call_timeout": 10, "start_timeout": 60,
               "memory_mb": 1024}
    monkeypatch.setattr(cluster, "_AUTOGRADERS", {})
    with pytest.raises(RuntimeError, match=f"this worker holds no autograder zip {sha256[:12]}"):
        cluster.grade_task("a.txt", b"x = 3", sha256, options)
    cluster.AutograderPlugin(data).setup(worker=None)
    assert cluster._AUTOGRADERS == {sha256: data}
    monkeypatch.setitem(cluster._AUTOGRADERS, sha256, data + b"tampered")
    with pytest.raises(ValueError, match=r"autograder zip has SHA-256 .*: it changed on the way, not graded"):
        cluster.grade_task("a.txt", b"x = 3", sha256, options)
    monkeypatch.setitem(cluster._AUTOGRADERS, sha256, data)
    monkeypatch.setattr(cluster, "worker_isolation", lambda: "none")
    with pytest.raises(cluster.SandboxUnavailable, match=r"cannot sandbox the student's code .* refuses to grade"):
        cluster.grade_task("a.txt", b"x = 3", sha256, options)
    monkeypatch.setattr(cluster, "worker_isolation", lambda: "root")
    result = cluster.grade_task("a.txt", b"x = 3", sha256, options)  # not a notebook: no kernel, a failed row
    assert result["row"]["status"] == "failed" and result["log"] == b"not graded: .txt file type\n"
    assert result["feedback"] is None
    cluster.AutograderPlugin(data).teardown(worker=None)
    assert cluster._AUTOGRADERS == {}


def test_a_cluster_without_a_sandbox_refuses_before_grading(autograder, tmp_path, monkeypatch):
    from distributed import LocalCluster

    monkeypatch.setattr(cluster, "worker_isolation", lambda: "none")  # the in-process worker sees this
    subs = write_submissions(tmp_path / "subs", **{"a.ipynb": notebook("x = 3")})
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", host=HOST,
                      dashboard_address=None, scheduler_kwargs={"dashboard_address": f"{HOST}:0"}) as local:
        with pytest.raises(RuntimeError, match=rf"the Dask worker tcp://{HOST}:\d+ cannot sandbox"):
            grading.grade_submissions(autograder, subs, tmp_path / "g.csv", scheduler=local.scheduler_address)
    assert not (tmp_path / "g.csv").exists() or "a.ipynb" not in (tmp_path / "g.csv").read_text()


def test_a_long_log_keeps_its_head_and_tail(tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "LOG_LIMIT", 10)
    (tmp_path / "log").write_bytes(b"0123456789abcdefghij")
    assert cluster._read_log(tmp_path / "log") == b"01234\n[... 10 bytes left out ...]\nfghij"


def test_a_submission_whose_workers_all_died_gets_a_failed_row_that_says_why(autograder, tmp_path, monkeypatch):
    from distributed import KilledWorker, LocalCluster

    def dies(name, *args):
        if name == "b.ipynb":  # what the scheduler reports once allowed-failures workers died on it
            raise KilledWorker("grade-b.ipynb", SimpleNamespace(address="tcp://127.0.0.1:40000"), 3)
        return {"row": {"submission": name, "sha256": "", "status": "graded", "score": 1.0}, "log": b"ok\n",
                "feedback": "# Feedback"}

    monkeypatch.setattr(cluster, "grade_task", dies)  # the in-process worker runs this instead of the judge
    subs = write_submissions(tmp_path / "subs", **{"a.ipynb": notebook("x = 3"), "b.ipynb": notebook("x = 3")})
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", host=HOST,
                      dashboard_address=None, scheduler_kwargs={"dashboard_address": f"{HOST}:0"}) as local:
        counts = grading.grade_submissions(autograder, subs, tmp_path / "g.csv", scheduler=local.scheduler_address,
                                           progress=lambda line: None)
    assert counts == {"graded": 1, "failed": 1, "timeout": 0, "flagged": 0, "skipped": 0}
    book = rows(tmp_path / "g.csv")
    assert book["b.ipynb"]["status"] == "failed" and len(book["b.ipynb"]["sha256"]) == 64
    assert book["b.ipynb"]["notes"].startswith("grader error: every Dask worker that graded it died; regrade with "
                                               "--retry-failed (Attempted to run task 'grade-b.ipynb' on 4 ")
    assert (tmp_path / "g_files" / "a.ipynb.log").read_bytes() == b"ok\n"
    assert not (tmp_path / "g_files" / "b.ipynb.log").exists()

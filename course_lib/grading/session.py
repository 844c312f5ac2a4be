"""The judge's side of a sandboxed kernel: start it, send it cells and calls, restart it when it dies.

:class:`Kernel` is one :mod:`course_lib.grading.kernel` process in the sandbox of
:mod:`course_lib.grading.sandbox`, spoken to in lines of :mod:`course_lib.grading.wire`;
:class:`Session` runs a notebook's cells in it and restarts it (without the cell that ended it)
up to ``MAX_RESTARTS`` times; :class:`RemoteFunction` stands for a student's function, so a test
calls it here and only plain data crosses. :mod:`course_lib.grading.judge` grades with them.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from course_lib.grading import sandbox, wire
from course_lib.grading.testfiles import unanswered

MAX_RESTARTS = 6
#: The kernel's environment: nothing of the instructor's shell is passed on.
KERNEL_ENVIRONMENT = {
    "COURSE_PROFILE": "quick", "COURSE_DATA": "offline", "COURSE_GRADING": "1", "MPLBACKEND": "Agg",
    "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "TF_CPP_MIN_LOG_LEVEL": "3", "LANG": "C.UTF-8", "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": sandbox.SANDBOX_HOME, "MPLCONFIGDIR": "/tmp/mpl", "IPYTHONDIR": "/tmp/ipython", "TMPDIR": "/tmp",
}


class KernelGone(RuntimeError):
    """The kernel ended (exit, crash, memory limit) or ran past its time limit."""


class StudentError(Exception):
    """The student's function raised; the message is the student's own."""


class Kernel:
    """One sandboxed kernel process and its request channel.

    Parameters
    ----------
    work : Path
        This submission's private work folder (host side).
    files : dict
        Extra files of the submission, copied into the kernel's home.
    options : dict
        ``memory_mb``, ``cell_timeout``, ``isolation``.
    hide : list of str
        Host paths hidden in the sandbox.
    log : file
        Receives the kernel's output.
    """

    def __init__(self, work: Path, files: dict[str, bytes], options: dict, hide: list[str], log):
        self.work, self.files, self.options, self.hide, self.log = work, files, options, hide, log
        self.process: subprocess.Popen | None = None
        self.buffer = b""
        self.memory_exceeded = False
        self.starts = 0

    def start(self) -> None:
        self.stop()
        self.starts += 1
        root, home = self.work / f"root{self.starts}", self.work / f"home{self.starts}"
        root.mkdir()
        home.mkdir()
        for name, data in self.files.items():
            (home / name).write_bytes(data)
        mode = self.options["isolation"]
        command = [sys.executable, "-I", "-m", "course_lib.grading.kernel"]
        if mode == "none":
            command = [sys.executable, "-m", "course_lib.grading.kernel"]
        env = dict(KERNEL_ENVIRONMENT)
        if mode == "none":
            env.update(HOME=str(home), MPLCONFIGDIR=str(home / ".mpl"), IPYTHONDIR=str(home / ".ipython"), TMPDIR=str(home))
        memory = self.options["memory_mb"] * 2**20
        self.process = subprocess.Popen(
            sandbox.sandbox_command(command, root=str(root), home=str(home), mode=mode, hide=self.hide),
            cwd=str(home) if mode == "none" else "/", env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self.log, start_new_session=True,
            preexec_fn=sandbox.limits(memory, int(self.options["timeout"]) + 30, 256 * 2**20, 512 if mode == "root" else 0))
        self.buffer = b""
        self.memory_exceeded = False
        threading.Thread(target=self._watch_memory, args=(self.process, memory), daemon=True).start()
        self._read(self.options["start_timeout"])

    def _watch_memory(self, process: subprocess.Popen, limit: int) -> None:
        """Kill the whole tree when its resident memory together passes the limit."""
        import psutil

        try:
            top = psutil.Process(process.pid)
        except psutil.Error:
            return
        while process.poll() is None:
            try:
                total = sum(p.memory_info().rss for p in [top, *top.children(recursive=True)])
            except psutil.Error:
                total = 0
            if total > limit:
                self.memory_exceeded = True
                self._kill(process)
                return
            time.sleep(0.05)

    @staticmethod
    def _kill(process: subprocess.Popen) -> None:
        import psutil

        try:
            tree = psutil.Process(process.pid).children(recursive=True)
        except psutil.Error:
            tree = []
        for target in (process.pid, *(p.pid for p in tree)):
            try:
                os.kill(target, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def stop(self) -> None:
        if self.process is not None:
            self._kill(self.process)
            for stream in (self.process.stdin, self.process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            self.process.wait()
            self.process = None

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _read(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        fd = self.process.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self.stop()
                raise KernelGone(f"ran past its time limit of {timeout:g} s")
            ready, _, _ = select.select([fd], [], [], min(left, 0.5))
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                self.stop()
                raise KernelGone("used more memory than allowed" if self.memory_exceeded else "ended the kernel")
            self.buffer += chunk
            if len(self.buffer) > wire.MAX_MESSAGE_BYTES:
                self.stop()
                raise KernelGone("sent a reply larger than allowed")
        line, _, self.buffer = self.buffer.partition(b"\n")
        try:
            return wire.loads(line)
        except wire.WireError as error:
            self.stop()
            raise KernelGone(f"sent a malformed reply ({error})") from None

    def request(self, message: dict, timeout: float) -> dict:
        if not self.alive:
            raise KernelGone("ended the kernel")
        try:
            self.process.stdin.write(wire.dumps(message))
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            self.stop()
            raise KernelGone("used more memory than allowed" if self.memory_exceeded else "ended the kernel") from None
        reply = self._read(timeout)
        if type(reply.get("ok")) is not bool:
            self.stop()
            raise KernelGone("sent a malformed reply")
        return reply


class RemoteFunction:
    """A student's function as the trusted tests see it: plain data in, plain data out."""

    def __init__(self, session: "Session", name: str):
        self.session, self.name = session, name

    def __call__(self, *args, **kwargs):
        payload = {"op": "call", "name": self.name, "args": wire.encode(list(args)), "kwargs": wire.encode(dict(kwargs))}
        reply = self.session.kernel.request(payload, self.session.options["call_timeout"])
        if not reply["ok"]:
            if reply.get("not_implemented") is True:
                raise NotImplementedError()
            raise StudentError(str(reply.get("error", "error"))[:500])
        value = wire.decode(reply.get("value"))
        if unanswered(value):
            raise NotImplementedError()  # a stub whose body is still `...`
        return value

    def __repr__(self) -> str:
        return f"<student function {self.name}>"


class Session:
    """Runs a notebook's cells in a kernel, restarting it without the cells that ended it."""

    def __init__(self, cells: list[str], files: dict[str, bytes], work: Path, options: dict, hide: list[str], log):
        self.cells, self.options, self.log = cells, options, log
        self.kernel = Kernel(work, files, options, hide, log)
        self.fatal: dict[int, str] = {}
        self.errors: dict[int, str] = {}
        self.executed: list[int] = []
        self.notes: list[str] = []

    def _note(self, text: str) -> None:
        self.log.write(f"\ncourse-grade: {text}\n".encode())
        self.log.flush()
        self.notes.append(text)

    def run_all(self, deadline: float) -> bool:
        """Run every cell; False when the submission's time ran out first."""
        self.kernel.start()
        for index in range(len(self.cells)):
            if time.monotonic() > deadline:
                return False
            self._run_cell(index)
            self.executed.append(index)
        return True

    def _run_cell(self, index: int) -> None:
        if self.kernel.starts > MAX_RESTARTS:
            self.fatal[index] = "not run (too many restarts)"
            return
        try:
            reply = self.kernel.request({"op": "run", "source": self.cells[index]}, self.options["cell_timeout"])
            if not reply["ok"]:
                self.errors[index] = str(reply.get("error", ""))[:300]
        except KernelGone as gone:
            self.fatal[index] = str(gone)
            self._note(f"code cell {index + 1} {gone}; graded without it")
            self.restart()

    def restart(self) -> None:
        """A fresh kernel with every cell run so far, except the fatal ones."""
        if self.kernel.starts > MAX_RESTARTS:
            return
        try:
            self.kernel.start()
        except KernelGone as gone:
            self._note(f"the kernel did not restart: {gone}")
            return
        for index in self.executed:
            if index not in self.fatal:
                self._run_cell(index)
                if not self.kernel.alive:
                    return

    def value(self, name: str):
        if not self.kernel.alive:
            self.restart()
        reply = self.kernel.request({"op": "get", "name": name}, self.options["call_timeout"])
        if not reply["ok"] or reply.get("missing"):
            return None
        value = reply.get("value")
        if type(value) is dict and set(value) == {"$fn"}:
            return RemoteFunction(self, name)
        return wire.decode(value)

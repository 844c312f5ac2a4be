"""Confinement for untrusted code: the judge's sandbox, and a plain limited runner.

The judge's sandbox (:func:`sandbox_command`, used by :mod:`course_lib.grading.judge`): the
command runs in new network, PID, mount, IPC and UTS namespaces, with ``/proc`` mounted afresh,
chrooted into a root made of read-only bind mounts of what Python needs
(:func:`readable_paths`) plus one writable folder, as uid ``nobody`` without capabilities (or, not
root, in an unprivileged user namespace with every capability dropped: :func:`isolation_mode`).

:func:`run_isolated` is the older, weaker runner (limits, and without root no isolation at all):
it stays for commands that need no confinement of the file system, e.g. instructor tooling.
"""

from __future__ import annotations

import ctypes
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from course_lib._validation import as_float, as_int, as_mapping, as_names, as_path

#: Where the command's processes get their loopback device up before the real command starts.
_LOOPBACK_UP = 'ip link set lo up && exec "$@"'
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Outcome:
    """How an isolated command ended.

    Examples
    --------
    >>> Outcome(returncode=0, timed_out=False, seconds=1.5, isolated=True).ok
    True
    """

    returncode: int | None
    timed_out: bool
    seconds: float
    isolated: bool

    @property
    def ok(self) -> bool:
        """True when the command finished in time with exit status 0."""
        return not self.timed_out and self.returncode == 0


def network_isolation_available() -> bool:
    """Whether commands can run without network (root and a working ``unshare``).

    Returns
    -------
    bool
        True when ``unshare --net`` works here: the process is root (or has the capability)
        and ``unshare`` and ``ip`` are installed.

    See Also
    --------
    run_isolated : uses it when ``network="auto"``.

    Examples
    --------
    >>> isinstance(network_isolation_available(), bool)
    True
    """
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--net", "--pid", "--fork", "--kill-child", "--", "sh", "-c", _LOOPBACK_UP, "sh", "true"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
    )
    return probe.returncode == 0


def _limit_child(memory_bytes: int, cpu_seconds: int, file_bytes: int):
    """Return a ``preexec_fn`` that sets the limits and dies with the parent."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if sys.platform.startswith("linux"):
            # If the grader is killed, its children get SIGKILL instead of running on.
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)

    return apply


def _kill_tree(process: subprocess.Popen) -> None:
    """Kill ``process``, its process group and (without namespaces) its descendants."""
    try:
        import psutil

        descendants = psutil.Process(process.pid).children(recursive=True)
    except Exception:  # the process may be gone already; psutil may be missing
        descendants = []
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    for child in descendants:  # Jupyter kernels start their own session: kill them by pid
        try:
            child.kill()
        except Exception:  # already gone
            pass
    process.wait()


def run_isolated(
    command: list[str],
    *,
    log_path: str | os.PathLike,
    cwd: str | os.PathLike,
    env: dict[str, str],
    timeout: float = 120.0,
    memory_mb: int = 4096,
    file_mb: int = 256,
    network: str = "auto",
) -> Outcome:
    """Run ``command`` with a wall-clock timeout, memory, CPU and file limits, maybe without network.

    Parameters
    ----------
    command : list of str
        Program and arguments.
    log_path : path, keyword-only
        File that receives the command's stdout and stderr (truncated by ``file_mb``).
    cwd : path, keyword-only
        Working directory of the command.
    env : dict, keyword-only
        The command's whole environment (nothing is inherited).
    timeout : float, keyword-only
        Wall-clock seconds before the whole process tree is killed.
    memory_mb : int, keyword-only
        Address-space limit of each process, in MiB.
    file_mb : int, keyword-only
        Largest file any process may write, in MiB.
    network : {"auto", "require", "allow"}, keyword-only
        ``"auto"`` isolates when possible, ``"require"`` refuses to run without isolation,
        ``"allow"`` never isolates.

    Returns
    -------
    Outcome

    Raises
    ------
    ValueError
        If a limit is out of range or ``network`` is unknown.
    RuntimeError
        If ``network="require"`` and isolation is not available.

    See Also
    --------
    course_lib.grading.grade_submissions : runs ``otter run`` through this.

    Examples
    --------
    >>> import sys, tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> log = os.path.join(folder, "log.txt")
    >>> outcome = run_isolated([sys.executable, "-c", "print('hi')"], log_path=log, cwd=folder,
    ...                        env={}, timeout=30, network="allow")
    >>> outcome.ok, Path(log).read_text().splitlines()[-1]
    (True, 'hi')
    >>> run_isolated([sys.executable, "-c", "while True: pass"], log_path=log, cwd=folder,
    ...              env={}, timeout=0.5, network="allow").timed_out
    True
    """
    timeout = as_float("timeout", timeout, minimum=0.01)
    memory_mb = as_int("memory_mb", memory_mb, minimum=64)
    file_mb = as_int("file_mb", file_mb, minimum=1)
    if network not in ("auto", "require", "allow"):
        raise ValueError(f"network must be 'auto', 'require' or 'allow'; got {network!r}.")
    isolated = network != "allow" and network_isolation_available()
    if network == "require" and not isolated:
        raise RuntimeError(
            "network='require' but network isolation is unavailable: run as root with unshare and "
            "ip installed, or pass network='allow' (see book/instructors.md)."
        )
    if isolated:
        command = ["unshare", "--net", "--pid", "--fork", "--kill-child", "--",
                   "sh", "-c", _LOOPBACK_UP, "sh", *command]
    limits = _limit_child(memory_mb * 2**20, int(timeout) * 2 + 10, file_mb * 2**20)
    start = time.monotonic()
    log_path, cwd = as_path("log_path", log_path), as_path("cwd", cwd)
    env = dict(as_mapping("env", env, what="variable -> value"))
    with open(log_path, "wb") as log:
        if not isolated:
            log.write(b"course-grade: network NOT isolated for this run (not root, no unshare, or network='allow')\n")
            log.flush()
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, preexec_fn=limits, start_new_session=True,
        )
        try:
            returncode = process.wait(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            returncode, timed_out = None, True
        finally:
            # Always sweep the tree: a kernel can outlive an otter process that exited.
            _kill_tree(process)
    return Outcome(returncode, timed_out, round(time.monotonic() - start, 2), isolated)


# --- the judge's sandbox: namespaces, a root of read-only bind mounts, an unprivileged user -------

#: uid/gid the student's kernel runs as when the grader is root (``nobody`` on Debian).
SANDBOX_UID = 65534
#: Inside the sandbox: the student's folder (a 512 MiB tmpfs holding a copy of the hand-in's extra
#: files; nothing written there reaches the host's disk) and the kernel's cwd.
SANDBOX_HOME = "/home/student"

_SETUP = r"""
set -e
mount --make-rprivate /
R="$1"; HOME_DIR="$2"; USER_ID="$3"; shift 3
mount -t tmpfs -o mode=755,size=64m tmpfs "$R"
# the scratch /tmp first: readable paths below /tmp (a clone in /tmp) are bound on top of it
mkdir -p "$R/tmp"
mount -t tmpfs -o size=512m,mode=1777 tmpfs "$R/tmp"
while [ "$1" != "--" ]; do
    kind="$1"; path="$2"; shift 2
    case "$kind" in
        ro) if [ -d "$path" ]; then mkdir -p "$R$path"; else mkdir -p "$R$(dirname "$path")"; touch "$R$path"; fi
            mount --rbind "$path" "$R$path"; mount -o remount,bind,ro "$R$path" ;;
        hide) if [ -d "$R$path" ]; then mount -t tmpfs -o ro,size=1k tmpfs "$R$path";
              elif [ -e "$R$path" ]; then mount --bind /dev/null "$R$path"; fi ;;
    esac
done
shift
mkdir -p "$R/home/student" "$R/proc" "$R/dev/shm"
mount -t tmpfs -o size=512m,mode=700 tmpfs "$R/home/student"
cp -a "$HOME_DIR"/. "$R/home/student"/
chown -R "$USER_ID:$USER_ID" "$R/home/student"
mount -t proc -o nosuid,nodev,noexec proc "$R/proc"
mount -t tmpfs -o size=256m,mode=1777 tmpfs "$R/dev/shm"
for node in null zero random urandom; do touch "$R/dev/$node"; mount --bind "/dev/$node" "$R/dev/$node"; done
mount -o remount,bind,ro "$R"
cd /
if [ "$USER_ID" = "0" ]; then
    exec /usr/sbin/chroot "$R" setpriv --no-new-privs --bounding-set -all --inh-caps -all \
        --securebits +noroot,+noroot_locked,+no_setuid_fixup,+no_setuid_fixup_locked,+keep_caps_locked -- "$@"
fi
exec /usr/sbin/chroot "$R" setpriv --reuid "$USER_ID" --regid "$USER_ID" --clear-groups --no-new-privs \
    --bounding-set -all --inh-caps -all -- "$@"
"""


def isolation_mode() -> str:
    """How the judge can isolate the student's kernel on this machine.

    Returns
    -------
    str
        ``"root"`` (new namespaces, then uid ``nobody``), ``"userns"`` (an unprivileged user
        namespace: the kernel is the grading user without any capability) or ``"none"``.

    Examples
    --------
    >>> isolation_mode() in ("root", "userns", "none")
    True
    """
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None or shutil.which("setpriv") is None:
        return "none"
    base = ["unshare", "--net", "--pid", "--mount", "--fork", "--kill-child"]
    for mode, prefix in (("root", base), ("userns", [base[0], "--user", "--map-root-user", *base[1:]])):
        if mode == "root" and os.geteuid() != 0:
            continue
        probe = subprocess.run([*prefix, "--", "sh", "-c", "mount --make-rprivate / && mount -t tmpfs tmpfs /mnt"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        if probe.returncode == 0:
            return mode
    return "none"


def readable_paths() -> list[str]:
    """What the kernel needs to read: system folders, the interpreter, site-packages, course_lib.

    Everything else of the machine (the repository with its masters, the autograder, the
    gradebook, other submissions, the instructor's home) is absent from the sandbox.

    Examples
    --------
    >>> import course_lib
    >>> paths = readable_paths()
    >>> any(Path(course_lib.__file__).resolve().parent.is_relative_to(p) for p in paths)  # course_lib is visible
    True
    >>> any(a != b and b.startswith(a.rstrip("/") + "/") for a in paths for b in paths)  # no path inside another
    False
    """
    import course_lib

    paths = {"/usr", "/etc", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/opt/conda"}
    paths |= {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.realpath(sys.executable)}
    paths |= {p for p in sys.path if p and os.path.isdir(p) and "site-packages" in p}
    paths.add(str(Path(course_lib.__file__).resolve().parent))
    existing = sorted(p for p in paths if os.path.exists(p))
    # Drop paths inside another one (already visible through it).
    return [p for p in existing if not any(p != q and p.startswith(q.rstrip("/") + "/") for q in existing)]


def module_paths(modules: list[str]) -> list[str]:
    """Files or folders of ``modules`` (without importing them), hidden from the kernel.

    Examples
    --------
    >>> [Path(p).name for p in module_paths(["course_lib.grading.wire"])]
    ['wire.py']
    """
    import importlib.util

    found = []
    modules = as_names("modules", modules)
    for name in modules:
        parent, _, last = name.rpartition(".")
        spec = importlib.util.find_spec(parent) if parent else None
        locations = list(spec.submodule_search_locations or []) if spec else list(sys.path)
        for base in locations:
            for candidate in (Path(base) / last, Path(base) / f"{last}.py"):
                if candidate.exists():
                    found.append(str(candidate.resolve()))
    return found


def sandbox_command(command: list[str], *, root: str, home: str, mode: str, hide: list[str] = ()) -> list[str]:
    """``command`` wrapped so that it runs in the judge's sandbox.

    Parameters
    ----------
    command : list of str
        What to run inside (paths as seen inside: the interpreter's own path works).
    root : str
        An empty folder on the host: the mount point of the sandbox's root.
    home : str
        Host folder whose files are copied into ``/home/student`` (a private tmpfs, writable by
        the kernel; nothing written there reaches ``home``).
    mode : {"root", "userns", "none"}
        From :func:`isolation_mode`; ``"none"`` runs ``command`` as is (unsafe).
    hide : list of str
        Host paths made empty inside (modules a question forbids).

    Returns
    -------
    list of str

    Raises
    ------
    ValueError
        If ``mode`` is unknown.

    Examples
    --------
    >>> sandbox_command(["python", "-c", "pass"], root="/tmp/root", home="/tmp/home", mode="none")
    ['python', '-c', 'pass']
    >>> wrapped = sandbox_command(["python", "-c", "pass"], root="/tmp/root", home="/tmp/home", mode="userns")
    >>> wrapped[0], "--net" in wrapped, wrapped[-3:]  # no network, then the command itself
    ('unshare', True, ['python', '-c', 'pass'])
    >>> sandbox_command(["python"], root="/tmp/root", home="/tmp/home", mode="chroot")
    Traceback (most recent call last):
    ...
    ValueError: mode must be 'root', 'userns' or 'none'; got 'chroot'.
    """
    command, hide = as_names("command", command), as_names("hide", hide)
    root, home = str(as_path("root", root)), str(as_path("home", home))
    if mode == "none":
        return list(command)
    if mode not in ("root", "userns"):
        raise ValueError(f"mode must be 'root', 'userns' or 'none'; got {mode!r}.")
    prefix = ["unshare", "--net", "--pid", "--mount", "--ipc", "--uts", "--fork", "--kill-child"]
    if mode == "userns":
        prefix.insert(1, "--user")
        prefix.insert(2, "--map-root-user")
    user = str(SANDBOX_UID) if mode == "root" else "0"
    mounts = [item for path in readable_paths() for item in ("ro", path)]
    mounts += [item for path in hide for item in ("hide", path)]
    return [*prefix, "--", "sh", "-c", _SETUP, "sandbox", root, home, user, *mounts, "--", *command]

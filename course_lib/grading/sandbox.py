"""The judge's sandbox for untrusted code: namespaces, a read-only root, an unprivileged user, limits.

:func:`sandbox_command` (used by :mod:`course_lib.grading.session` for the judge): the command runs
in new network, PID, mount, IPC and UTS namespaces, with ``/proc`` mounted afresh, chrooted into a
root made of read-only bind mounts of what Python needs (:func:`readable_paths`) plus one writable
folder, as uid ``nobody`` without capabilities (or, not root, in an unprivileged user namespace with
every capability dropped: :func:`isolation_mode`). :func:`limits` caps what each of its processes
may take: memory, CPU time, file size, core dumps, processes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from course_lib._validation import as_int, as_names, as_path


def limits(memory_bytes: int, cpu_seconds: int, file_bytes: int, processes: int = 0):
    """A ``preexec_fn`` that caps the child's resources and makes it die with its parent.

    Parameters
    ----------
    memory_bytes : int
        Address-space limit (``RLIMIT_AS``) of each process, at least 64 MiB.
    cpu_seconds : int
        CPU seconds (``RLIMIT_CPU``, SIGXCPU then, 5 s later, SIGKILL), at least 1.
    file_bytes : int
        Largest file any process may write (``RLIMIT_FSIZE``), at least 1.
    processes : int
        Most processes of the user (``RLIMIT_NPROC``); 0 leaves it unset (the user is shared).

    Returns
    -------
    callable
        To pass as ``subprocess.Popen(..., preexec_fn=...)``. No core dumps either, and on
        Linux the child gets SIGKILL when the judge dies, instead of running on.

    Examples
    --------
    >>> import subprocess, sys
    >>> code = "import resource; print(resource.getrlimit(resource.RLIMIT_FSIZE)[0])"
    >>> subprocess.run([sys.executable, "-c", code], preexec_fn=limits(2**30, 60, 2**20),
    ...                capture_output=True, text=True).stdout.split()
    ['1048576']
    """
    memory_bytes = as_int("memory_bytes", memory_bytes, minimum=64 * 2**20)
    cpu_seconds = as_int("cpu_seconds", cpu_seconds, minimum=1)
    file_bytes = as_int("file_bytes", file_bytes, minimum=1)
    processes = as_int("processes", processes, minimum=0)

    def apply() -> None:
        import ctypes
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if processes:
            resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
        if sys.platform.startswith("linux"):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG

    return apply


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

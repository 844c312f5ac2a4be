"""The student's side of the judge: runs inside the sandbox, executes cells, answers requests.

Started by :mod:`course_lib.grading.session` as ``python -I -m course_lib.grading.kernel`` inside
the sandbox (:mod:`course_lib.grading.sandbox`). Requests come as JSON lines on the original
stdin and replies go to the original stdout; the student's own output goes to the log (stderr).
Requests:

- ``{"op": "run", "source": ...}``: run one code cell with IPython (magics work);
- ``{"op": "get", "name": ...}``: a variable's value as plain data, or ``{"$fn": name}`` when it
  can be called;
- ``{"op": "call", "name": ..., "args": [...], "kwargs": {...}}``: call a function with plain
  data (and handles the kernel gave out earlier) and return its result as plain data.

Nothing here is trusted: the student's code can replace any of it. It is the trusted side's
job (:mod:`course_lib.grading.wire`) to accept nothing but plain data from here.
"""

from __future__ import annotations

import os
import signal
import sys


def _reply(out, message: dict) -> None:
    from course_lib.grading import wire

    try:
        data = wire.dumps(message)
    except (TypeError, ValueError) as error:
        data = wire.dumps({"ok": False, "error": f"cannot send the result: {error}"[:500]})
    if len(data) > wire.MAX_MESSAGE_BYTES:
        data = wire.dumps({"ok": False, "error": "result too big to send"})
    out.write(data)
    out.flush()


def _error(error: BaseException) -> dict:
    return {"ok": False, "error": f"{type(error).__name__}: {error}"[:500],
            "not_implemented": isinstance(error, NotImplementedError)}


def main() -> None:
    """Serve requests until stdin closes.

    Examples
    --------
    The judge starts it as ``python -m course_lib.grading.kernel``; it answers that it is ready,
    then one reply per request line, and stops when its input closes:

    >>> import subprocess, sys
    >>> from course_lib.grading import wire
    >>> done = subprocess.run([sys.executable, "-m", "course_lib.grading.kernel"], input=b"", capture_output=True,
    ...                       timeout=120, check=True)
    >>> wire.loads(done.stdout.splitlines()[0])
    {'ok': True, 'ready': True}
    """
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)  # the student's prints go to the log, never into the replies
    sys.stdout = os.fdopen(1, "w", buffering=1, errors="replace")
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    os.chdir(os.environ.get("HOME", "."))  # a full log fails writes instead of killing us

    from IPython.core.interactiveshell import InteractiveShell

    from course_lib.grading import wire

    shell = InteractiveShell.instance(colors="NoColor")
    kept: dict[int, object] = {}

    def keep(value) -> int:
        kept[len(kept) + 1] = value
        return len(kept)

    def resolve(number: int):
        if number not in kept:
            raise wire.WireError(f"unknown handle {number}")
        return kept[number]

    _reply(replies, {"ok": True, "ready": True})
    reader = requests
    while True:
        line = reader.readline(wire.MAX_MESSAGE_BYTES + 1)
        if not line:
            return
        try:
            request = wire.loads(line)
            op = request.get("op")
            if op == "run":
                result = shell.run_cell(str(request["source"]), store_history=False, silent=False)
                error = result.error_before_exec or result.error_in_exec
                _reply(replies, {"ok": True} if error is None else _error(error))
            elif op == "get":
                name = str(request["name"])
                if name not in shell.user_ns:
                    _reply(replies, {"ok": True, "missing": True})
                    continue
                value = shell.user_ns[name]
                if callable(value) and not isinstance(value, type):
                    _reply(replies, {"ok": True, "value": {"$fn": name}})
                else:
                    _reply(replies, {"ok": True, "value": wire.encode(value, keep)})
            elif op == "call":
                function = shell.user_ns[str(request["name"])]
                args = wire.decode(request.get("args", []), resolve=resolve)
                kwargs = wire.decode(request.get("kwargs", {"$d": {}}), resolve=resolve)
                try:
                    value = function(*args, **kwargs)
                except Exception as error:
                    _reply(replies, _error(error))
                    continue
                _reply(replies, {"ok": True, "value": wire.encode(value, keep)})
            else:
                _reply(replies, {"ok": False, "error": f"unknown op {op!r}"})
        except Exception as error:  # a bad request or an unsendable value: say so, keep serving
            _reply(replies, _error(error))


if __name__ == "__main__":
    main()

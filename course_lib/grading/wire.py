"""Plain data between the trusted judge and the student's kernel: JSON, arrays as ``.npy`` bytes.

What crosses is ``None``, ``bool``, ``int``, ``float`` (NaN and infinities tagged), ``str``, lists,
tuples, dicts with string keys, NumPy arrays and scalars of numeric or boolean dtype (as ``.npy``
bytes, read back with ``allow_pickle=False``), and *handles*: any other object stays in the
kernel under a number and comes back as an :class:`Opaque`, which the judge can only pass back
to the kernel. Nothing is unpickled and no method of a student object ever runs on the trusted
side. :func:`decode` checks every node; anything else raises :class:`WireError`.
"""

from __future__ import annotations

import base64
import io
import json
import math

import numpy as np

#: Array dtype kinds allowed across: bool, signed/unsigned int, float, complex.
ARRAY_KINDS = "biufc"
MAX_DEPTH = 32
MAX_MESSAGE_BYTES = 64 * 2**20


class WireError(ValueError):
    """A message that is not plain data (or is too big or too deep)."""


class Opaque:
    """An object that stayed in the student's kernel; the judge can only hand it back.

    Examples
    --------
    >>> Opaque(3, "Cache")
    <student object #3 of type Cache>
    """

    __slots__ = ("id", "type_name")

    def __init__(self, id: int, type_name: str):
        self.id = int(id)
        self.type_name = str(type_name)[:80]

    def __repr__(self) -> str:
        return f"<student object #{self.id} of type {self.type_name}>"


def _array_bytes(array: np.ndarray) -> str:
    buffer = io.BytesIO()
    np.save(buffer, array if array.ndim == 0 else np.ascontiguousarray(array), allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def encode(value, keep=None, depth: int = 0):
    """JSON-ready form of ``value``; objects that are not plain data go to ``keep`` (a callable).

    Parameters
    ----------
    value : object
    keep : callable or None
        Called with an object that cannot cross; returns its handle number. None: such an
        object raises :class:`WireError` (the judge never sends handles it did not get).

    Examples
    --------
    >>> encode((1, 2.5, float("nan"), "a", [True, None]))
    {'$t': [1, 2.5, {'$f': 'nan'}, 'a', [True, None]]}
    >>> decode(encode(np.arange(3)))
    array([0, 1, 2])
    """
    if depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    if value is None or type(value) is bool or type(value) is str:
        return value
    if type(value) is int:
        return value
    if type(value) is float:
        return value if math.isfinite(value) else {"$f": repr(value)}
    if type(value) is Opaque:
        return {"$h": value.id}
    if type(value) in (list, tuple):
        items = [encode(v, keep, depth + 1) for v in value]
        return items if type(value) is list else {"$t": items}
    if type(value) is dict and all(type(k) is str for k in value):
        return {"$d": {k: encode(v, keep, depth + 1) for k, v in value.items()}}
    if type(value) is np.ndarray and value.dtype.kind in ARRAY_KINDS and not value.dtype.hasobject:
        return {"$a": _array_bytes(value)}
    if isinstance(value, np.generic) and type(value).__module__ == "numpy" and value.dtype.kind in ARRAY_KINDS:
        return {"$s": _array_bytes(np.asarray(value))}
    if keep is None:
        raise WireError(f"cannot send a {type(value).__name__}")
    return {"$h": int(keep(value)), "type": type(value).__name__}


def _array(text) -> np.ndarray:
    if type(text) is not str:
        raise WireError("array payload is not a string")
    try:
        array = np.load(io.BytesIO(base64.b64decode(text, validate=True)), allow_pickle=False)
    except Exception as error:  # any malformed payload
        raise WireError(f"bad array payload: {type(error).__name__}") from None
    if type(array) is not np.ndarray or array.dtype.kind not in ARRAY_KINDS or array.dtype.names is not None:
        raise WireError("array of a dtype that may not cross")
    return array


def decode(data, depth: int = 0, resolve=None):
    """Rebuild a value from :func:`encode`'s form, checking every node.

    Parameters
    ----------
    data : JSON value
    resolve : callable or None
        Turns a handle number into an object (the kernel's side); None makes :class:`Opaque`.

    Raises
    ------
    WireError
        On anything that is not plain data.

    Examples
    --------
    >>> decode({"$t": [1, {"$f": "inf"}]})
    (1, inf)
    >>> decode({"__class__": "os.system"})
    Traceback (most recent call last):
    ...
    course_lib.grading.wire.WireError: unknown tag in ['__class__']
    """
    if depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is list:
        return [decode(v, depth + 1, resolve) for v in data]
    if type(data) is not dict or len(data) not in (1, 2):
        raise WireError(f"unexpected {type(data).__name__} on the wire")
    if "$t" in data and type(data["$t"]) is list:
        return tuple(decode(v, depth + 1, resolve) for v in data["$t"])
    if "$d" in data and type(data["$d"]) is dict:
        return {str(k): decode(v, depth + 1, resolve) for k, v in data["$d"].items()}
    if "$f" in data and data["$f"] in ("nan", "inf", "-inf"):
        return float(data["$f"])
    if "$a" in data:
        return _array(data["$a"])
    if "$s" in data:
        array = _array(data["$s"])
        if array.ndim != 0:
            raise WireError("scalar payload is not 0-d")
        return array[()]
    if "$h" in data and type(data["$h"]) is int:
        if resolve is not None:
            return resolve(data["$h"])
        return Opaque(data["$h"], data.get("type", "object") if type(data.get("type")) is str else "object")
    raise WireError(f"unknown tag in {sorted(map(str, data))[:3]}")


def dumps(message: dict) -> bytes:
    """One message as a line of JSON (NaN is never written raw).

    Examples
    --------
    >>> dumps({"op": "call", "args": [1, 2.5]})
    b'{"op":"call","args":[1,2.5]}\\n'
    >>> dumps("call")
    Traceback (most recent call last):
    ...
    TypeError: message must be a dict (one protocol message, e.g. {"op": "call"}); got str.
    """
    if type(message) is not dict:
        raise TypeError(f'message must be a dict (one protocol message, e.g. {{"op": "call"}}); '
                        f"got {type(message).__name__}.")
    return json.dumps(message, allow_nan=False, separators=(",", ":")).encode("utf-8") + b"\n"


def loads(line: bytes) -> dict:
    """Parse one message line, refusing non-JSON constants and anything but an object.

    Examples
    --------
    >>> loads(dumps({"op": "call", "args": [1, 2.5]}))
    {'op': 'call', 'args': [1, 2.5]}
    >>> loads(b'{"x": NaN}')
    Traceback (most recent call last):
    ...
    course_lib.grading.wire.WireError: non-JSON constant NaN
    >>> loads('{"op": "call"}')
    Traceback (most recent call last):
    ...
    TypeError: line must be bytes (one line read from the pipe); got str. Encode it: line.encode("utf-8").
    """
    if isinstance(line, str):
        raise TypeError('line must be bytes (one line read from the pipe); got str. Encode it: line.encode("utf-8").')
    if not isinstance(line, (bytes, bytearray)):
        raise TypeError(f"line must be bytes (one line read from the pipe); got {type(line).__name__}.")
    if len(line) > MAX_MESSAGE_BYTES:
        raise WireError("message too big")

    def refuse(name):
        raise WireError(f"non-JSON constant {name}")

    try:
        message = json.loads(line.decode("utf-8"), parse_constant=refuse)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise WireError(f"not JSON: {error}") from None
    if type(message) is not dict:
        raise WireError("message is not an object")
    return message

"""Assert-style tests judged outside the solution's interpreter (standard library only; runs inside the sandbox).

An assert harness runs in a *check process* of its own; the solution runs in a *solution process* that only answers
requests over a socket: global ``name``, attribute ``name`` of object #n, truth value of object #n, call object #n
with these arguments. Values cross as literal text of plain built-in data (exact types), decoded on the check side
by a literal-only parser; anything else stays in the solution process and is referred to by number.

So the solution never sees the test code or its expected values, and nothing it does (patched builtins, hooks,
frames, ``gc``, an always-true ``__eq__``, exiting early) changes how the check process compares or what it records:
it alone writes the completion record, after the harness ran to its end and called the solution at least once.
The check side (its channel, solution-object proxies, the harness run): ``checkproc.py``; which names the harness takes
from the solution: ``checkns.py``.
"""

from __future__ import annotations

import ast
import builtins
import io
import json
import os
import struct
import sys
import types

MAX_DEPTH = 100  # nesting of a value on the channel (both ways), below the parser's own limit of 200
MAX_MESSAGE = 64 << 20
MAX_CONSOLE = 1 << 20  # what one call of the solution may print, forwarded to the check process
# Integers cross as their decimal text: Python refuses to print or read one longer than 4,300 digits by default, so an
# honest big-int result (2**20000) failed (red-team round 8). A bound remains: converting is quadratic in the digits.
MAX_INT_DIGITS = 100_000
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(MAX_INT_DIGITS)
_SCALARS = (int, float, str, bytes, bool, type(None))
_ITERATORS = (types.GeneratorType, map, filter, zip, enumerate, reversed)


class SolutionGone(BaseException):  # noqa: N818 - not an Exception: a harness's `except Exception` cannot hide it
    """The solution process exited or broke the channel in the middle of a call."""


class Unsupported(BaseException):  # noqa: N818
    """The test code passed something that is not plain data to the solution: the row cannot be judged this way."""


# ---------------------------------------------------------------------------------------------- plain-data codec


def _exception_name(kind: type) -> str:
    """A class's name as the check process may trust it: a standard type's own name, and any other class's marked
    ``~`` so that a solution's class named (or renamed) ``ValueError`` crosses as its real standard bases only."""
    genuine = getattr(builtins, kind.__name__, None) is kind or (
        kind.__name__ == "JSONDecodeError" and kind is json.JSONDecodeError
    )
    return kind.__name__ if genuine else "~" + kind.__name__


def encode(value, depth: int = 0, ref_of=None, orig_of=None, mark: bool = True) -> str | None:
    """Literal text of ``value`` if it is plain built-in data (exact types), else None. On the check side,
    ``ref_of`` names solution objects (``_ref(n)``), so one can travel back inside a container; on the solution side,
    ``orig_of`` marks a mutable container it received as the n-th of them (``_orig(n, ...)``), so that the check
    process changes its own object in place, wherever the test code holds it (`mutable_containers`)."""
    kind = type(value)
    if depth > MAX_DEPTH:
        return None
    if ref_of is not None:
        ref = ref_of(value)
        if ref is not None:
            return f"_ref({ref})"
    if orig_of is not None and mark and kind in _MUTABLE:
        index = orig_of(value)
        if index is not None:  # its contents, themselves marked where they were received
            text = encode(value, depth + 1, None, orig_of, mark=False)
            return None if text is None else f"_orig({index}, {text})"
    if kind in _SCALARS:
        try:
            return repr(value)
        except ValueError:  # an int beyond sys.int_info.str_digits_check_threshold
            return None
    if kind is complex:
        return f"complex({value.real!r}, {value.imag!r})"
    if kind is bytearray:
        return f"bytearray({bytes(value)!r})"
    if kind in (list, tuple, set, frozenset):
        items = [encode(item, depth + 1, ref_of, orig_of) for item in value]
        if None in items:
            return None
        body = ", ".join(items)
        if kind is list:
            return f"[{body}]"
        if kind is tuple:
            return f"({body},)" if len(items) == 1 else f"({body})"
        return f"{kind.__name__}([{body}])"
    if kind is dict:
        pairs = [(encode(k, depth + 1, ref_of), encode(v, depth + 1, ref_of, orig_of)) for k, v in value.items()]
        if any(k is None or v is None for k, v in pairs):
            return None
        return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
    return None


_NAMES = {"nan": float("nan"), "inf": float("inf")}
_CALLS = {"set": set, "frozenset": frozenset, "complex": complex, "bytearray": bytearray}


def decode(text: str, objects: list | None = None, allow_nan: bool = True, originals: tuple | None = None):
    """The plain value a literal text denotes; ValueError for anything else (names, calls, operators, ...).
    ``objects`` (solution side only) resolves ``_ref(n)``; ``originals`` (check side only: the containers sent, and
    a list of updates) resolves ``_orig(n, v)`` to the n-th container sent and records that it now holds ``v``
    (`write_back` applies the updates)."""
    if not isinstance(text, str) or len(text) > MAX_MESSAGE:
        raise ValueError("not a literal")
    value = _value(ast.parse(text, mode="eval").body, 0, objects, originals)
    # a NaN makes every comparison false, negated checks included; judged on the value, never on the text, which
    # has other spellings (complex('NaN'), 'NAN', '+nanj')
    if not allow_nan and _has_nan(value):
        raise ValueError("a NaN from the solution")
    return value


def _has_nan(value, depth: int = 0) -> bool:
    if isinstance(value, float | complex):
        return value != value
    if isinstance(value, list | tuple | set | frozenset) and depth < MAX_DEPTH:
        return any(_has_nan(item, depth + 1) for item in value)
    if isinstance(value, dict) and depth < MAX_DEPTH:
        return any(_has_nan(k, depth + 1) or _has_nan(v, depth + 1) for k, v in value.items())
    return False


def _value(node, depth: int, objects: list | None = None, originals: list | None = None):
    if depth > MAX_DEPTH:
        raise ValueError("value nested too deeply")
    if originals is not None and isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id == "_orig" and len(node.args) == 2 and isinstance(node.args[0], ast.Constant) \
            and type(node.args[0].value) is int and 0 <= node.args[0].value < len(originals[0]):  # fmt: skip
        index = node.args[0].value
        originals[1].append((index, _value(node.args[1], depth + 1, objects, originals)))
        return originals[0][index]
    if isinstance(node, ast.Constant) and type(node.value) in (*_SCALARS, complex):
        return node.value
    if isinstance(node, ast.Name) and node.id in _NAMES:
        return _NAMES[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _value(node.operand, depth + 1, objects, originals)
        if type(operand) not in (int, float, complex):
            raise ValueError("sign on a non-number")
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.List):
        return [_value(item, depth + 1, objects, originals) for item in node.elts]
    if isinstance(node, ast.Tuple):
        return tuple(_value(item, depth + 1, objects, originals) for item in node.elts)
    if isinstance(node, ast.Set):
        return {_value(item, depth + 1, objects) for item in node.elts}
    if isinstance(node, ast.Dict) and None not in node.keys:
        return {
            _value(k, depth + 1, objects): _value(v, depth + 1, objects, originals)
            for k, v in zip(node.keys, node.values)
        }
    if objects is not None and isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id == "_ref" and len(node.args) == 1 and isinstance(node.args[0], ast.Constant) \
            and type(node.args[0].value) is int and 0 <= node.args[0].value < len(objects):  # fmt: skip
        return objects[node.args[0].value]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _CALLS
        and not node.keywords
        and len(node.args) <= 2
    ):
        return _CALLS[node.func.id](*(_value(arg, depth + 1, objects) for arg in node.args))
    raise ValueError(f"{type(node).__name__} is not plain data")


_MUTABLE = (list, dict, set, bytearray)


def mutable_containers(values, skip: frozenset | set = frozenset()) -> list:
    """The mutable containers (exact built-in types) in ``values``, depth first, one entry per place (an object the
    test code passes twice is listed twice, as the solution decoded two copies): both sides number the arguments of a
    call so, the check side as it sends them and the solution side as it decoded them (``skip``: ids of the solution's
    own objects, which the check side holds as references), so that the n-th is the same object of the test code's
    on both sides (red-team round 38: a list inside a tuple, or held by the test code under another name, was never
    written back, and a solution that sorted it passed "the input is unmodified" checks)."""
    found: list = []

    def visit(value, depth: int) -> None:
        kind = type(value)
        if depth > MAX_DEPTH or id(value) in skip or kind not in (*_MUTABLE, tuple):
            return
        if kind is not tuple:
            found.append(value)
        if kind in (list, tuple):
            for item in value:
                visit(item, depth + 1)
        elif kind is dict:
            for item in value.values():
                visit(item, depth + 1)

    for value in values:
        visit(value, 0)
    return found


def write_back(originals: list, updates: list) -> None:
    """Apply the recorded updates to the containers sent, in place. An object passed in several places has one
    update per place: the one that changed it wins (the solution changed one of its copies; in plain Python that
    change shows through every name)."""
    chosen: dict[int, tuple] = {}
    for index, new in updates:
        original = originals[index]
        if type(original) is not type(new):
            continue
        if id(original) not in chosen or (chosen[id(original)][1] == original and new != original):
            chosen[id(original)] = (original, new)
    for original, new in chosen.values():
        if type(new) in (dict, set):
            original.clear()
            original.update(new)
        else:
            original[:] = new


# ---------------------------------------------------------------------------------------------- framing


def send(fd: int, message: dict) -> None:
    data = json.dumps(message).encode()
    view = memoryview(struct.pack("<I", len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exactly(fd: int, size: int) -> bytes:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def receive(fd: int) -> dict:
    (size,) = struct.unpack("<I", _read_exactly(fd, 4))
    if size > MAX_MESSAGE:
        raise ValueError(f"message of {size} bytes")
    message = json.loads(_read_exactly(fd, size))
    if not isinstance(message, dict):
        raise ValueError("message is not an object")
    return message


# ---------------------------------------------------------------------------------------------- solution side


def _with_console(function, args: list, kwargs: dict, fd: int, console: io.StringIO):
    """Call the solution with its console routed to the check process, where the test code can patch it
    (``mock.patch('builtins.input')``) or capture it (``redirect_stdout``): ``input()`` asks the check process for
    a line, and what the call prints travels back with its reply."""

    def remote_input(prompt: object = "") -> str:
        send(fd, {"input": str(prompt)[:1000], "out": console.getvalue()[:MAX_CONSOLE]})
        console.seek(0)
        console.truncate()
        reply = receive(fd)
        if not isinstance(reply.get("line"), str):
            raise EOFError("EOF when reading a line")
        return reply["line"]

    saved = sys.stdout, builtins.input
    sys.stdout, builtins.input = console, remote_input
    try:
        return function(*args, **kwargs)
    finally:
        sys.stdout, builtins.input = saved


def _changed(value, received: dict) -> str | None:
    if type(value) not in (*_MUTABLE, tuple):
        return None
    return encode(value, orig_of=lambda container: received.get(id(container)))


def serve(namespace: dict, fd: int) -> None:
    """Answer the check process's requests until it hangs up. Runs in the solution's (untrusted) process: nothing
    here is relied upon, since every answer is parsed as plain data on the other side."""
    objects: list = []
    console = io.StringIO()

    def reply_for(value) -> dict:
        if type(value) in _ITERATORS:
            value = list(value)
        elif type(value).__module__ == "numpy" and hasattr(value, "tolist"):  # numpy scalars and arrays
            value = value.tolist()
        text = encode(value)
        if text is not None:
            return {"v": text}
        objects.append(value)
        return {"r": len(objects) - 1}

    while True:
        try:
            request = receive(fd)
        except EOFError:
            return
        try:
            op = request["op"]
            if op == "get":
                name = request["name"]
                answer = reply_for(namespace[name]) if name in namespace else {"missing": True}
            elif op == "attr":
                answer = reply_for(getattr(objects[request["ref"]], request["name"]))
            elif op == "bool":
                answer = {"v": repr(bool(objects[request["ref"]]))}
            else:
                args = [objects[a["r"]] if "r" in a else decode(a["v"], objects) for a in request["args"]]
                kwargs = {k: objects[a["r"]] if "r" in a else decode(a["v"], objects)
                          for k, a in request["kwargs"].items()}  # fmt: skip
                own = {id(o) for o in objects}
                received = {id(c): n for n, c in enumerate(mutable_containers([*args, *kwargs.values()], own))}
                answer = reply_for(_with_console(objects[request["ref"]], args, kwargs, fd, console))
                # what the arguments hold now travels back, each container it received marked as such, at any depth
                # (a candidate that sorts its list argument, or a list inside a tuple or a dict), keyword arguments
                # included: "the input is unmodified" checks must see a mutation wherever the test code holds it
                answer["a"] = [_changed(a, received) for a in args]
                answer["k"] = {k: _changed(v, received) for k, v in kwargs.items()}
        except Exception as error:  # noqa: BLE001 - the solution's own exception, re-raised in the check process
            answer = {
                "e": ",".join(_exception_name(kind) for kind in type(error).__mro__[:20]),
                "m": str(error.args[0] if isinstance(error, KeyError) and len(error.args) == 1 else error)[:300],
            }
        answer["out"] = console.getvalue()[:MAX_CONSOLE]
        console.seek(0)
        console.truncate()
        send(fd, answer)

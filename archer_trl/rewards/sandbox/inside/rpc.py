"""Assert-style tests judged outside the solution's interpreter (standard library only; runs inside the sandbox).

An assert harness runs in a *check process* of its own; the solution runs in a *solution process* that only answers
requests over a socket: global ``name``, attribute ``name`` of object #n, truth value of object #n, call object #n
with these arguments. Values cross as literal text of plain built-in data (exact types), decoded on the check side
by a literal-only parser; anything else stays in the solution process and is referred to by number.

So the solution never sees the test code or its expected values, and nothing it does (patched builtins, hooks,
frames, ``gc``, an always-true ``__eq__``, exiting early) changes how the check process compares or what it records:
it alone writes the completion record, after the harness ran to its end and called the solution at least once.
Which names the harness takes from the solution: ``checkns.py``.
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

from checkns import CheckNamespace, entry_points, judging_names

MAX_DEPTH = 100  # nesting of a value on the channel (both ways), below the parser's own limit of 200
MAX_MESSAGE = 64 << 20
MAX_CONSOLE = 1 << 20  # what one call of the solution may print, forwarded to the check process
_SCALARS = (int, float, str, bytes, bool, type(None))
_ITERATORS = (types.GeneratorType, map, filter, zip, enumerate, reversed)


class SolutionGone(BaseException):  # noqa: N818 - not an Exception: a harness's `except Exception` cannot hide it
    """The solution process exited or broke the channel in the middle of a call."""


class Unsupported(BaseException):  # noqa: N818
    """The test code passed something that is not plain data to the solution: the row cannot be judged this way."""


# ---------------------------------------------------------------------------------------------- plain-data codec


def encode(value, depth: int = 0, ref_of=None) -> str | None:
    """Literal text of ``value`` if it is plain built-in data (exact types), else None. On the check side,
    ``ref_of`` names solution objects (``_ref(n)``), so one can travel back inside a container."""
    kind = type(value)
    if depth > MAX_DEPTH:
        return None
    if ref_of is not None:
        ref = ref_of(value)
        if ref is not None:
            return f"_ref({ref})"
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
        items = [encode(item, depth + 1, ref_of) for item in value]
        if None in items:
            return None
        body = ", ".join(items)
        if kind is list:
            return f"[{body}]"
        if kind is tuple:
            return f"({body},)" if len(items) == 1 else f"({body})"
        return f"{kind.__name__}([{body}])"
    if kind is dict:
        pairs = [(encode(k, depth + 1, ref_of), encode(v, depth + 1, ref_of)) for k, v in value.items()]
        if any(k is None or v is None for k, v in pairs):
            return None
        return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
    return None


_NAMES = {"nan": float("nan"), "inf": float("inf")}
_CALLS = {"set": set, "frozenset": frozenset, "complex": complex, "bytearray": bytearray}


def decode(text: str, objects: list | None = None):
    """The plain value a literal text denotes; ValueError for anything else (names, calls, operators, ...).
    ``objects`` (solution side only) resolves ``_ref(n)``."""
    if not isinstance(text, str) or len(text) > MAX_MESSAGE:
        raise ValueError("not a literal")
    return _value(ast.parse(text, mode="eval").body, 0, objects)


def _value(node, depth: int, objects: list | None = None):
    if depth > MAX_DEPTH:
        raise ValueError("value nested too deeply")
    if isinstance(node, ast.Constant) and type(node.value) in (*_SCALARS, complex):
        return node.value
    if isinstance(node, ast.Name) and node.id in _NAMES:
        return _NAMES[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _value(node.operand, depth + 1, objects)
        if type(operand) not in (int, float, complex):
            raise ValueError("sign on a non-number")
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.List):
        return [_value(item, depth + 1, objects) for item in node.elts]
    if isinstance(node, ast.Tuple):
        return tuple(_value(item, depth + 1, objects) for item in node.elts)
    if isinstance(node, ast.Set):
        return {_value(item, depth + 1, objects) for item in node.elts}
    if isinstance(node, ast.Dict) and None not in node.keys:
        return {_value(k, depth + 1, objects): _value(v, depth + 1, objects) for k, v in zip(node.keys, node.values)}
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


def _changed(value) -> str | None:
    return encode(value) if type(value) in (list, dict, set, bytearray) else None


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
                answer = reply_for(_with_console(objects[request["ref"]], args, kwargs, fd, console))
                # in-place changes to mutable arguments travel back (a candidate that sorts its list argument),
                # keyword arguments included ("the input is unmodified" checks must see a mutation)
                answer["a"] = [_changed(a) for a in args]
                answer["k"] = {k: _changed(v) for k, v in kwargs.items()}
        except Exception as error:  # noqa: BLE001 - the solution's own exception, re-raised in the check process
            answer = {"e": type(error).__name__, "m": str(error)[:300]}
        answer["out"] = console.getvalue()[:MAX_CONSOLE]
        console.seek(0)
        console.truncate()
        send(fd, answer)


# ---------------------------------------------------------------------------------------------- check side

# The only exceptions that cross from the solution as themselves. Anything else arrives as RuntimeError: an exception
# with control-flow meaning in the check process (StopIteration ending its ``map``/``zip``/``all`` early,
# StopAsyncIteration, GeneratorExit, SystemExit) must not be raisable by the solution, as Python itself turns a
# StopIteration inside a generator into RuntimeError.
CROSSING = {kind.__name__: kind for kind in (
    Exception, ArithmeticError, AssertionError, AttributeError, IndexError, KeyError, LookupError, NameError,
    NotImplementedError, OverflowError, RecursionError, RuntimeError, TypeError, ValueError, ZeroDivisionError,
)}  # fmt: skip


class Channel:
    def __init__(self, fd: int):
        self.fd = fd
        self.calls = 0
        # set once anything the solution chose reached this process (a value, an exception, "not defined"): from
        # then on the harness's path may depend on the solution, so "cannot judge" is no longer the data's verdict
        self.tainted = False

    def request(self, message: dict):
        try:
            send(self.fd, message)
            reply = receive(self.fd)
            while "input" in reply:  # the solution called input(): the test code's (maybe patched) input answers
                self.tainted = True
                _emit(reply.get("out"))
                try:
                    answer = {"line": str(builtins.input(str(reply["input"])))}
                except Exception:  # noqa: BLE001 - EOF, or an exhausted mock side_effect (StopIteration)
                    answer = {"eof": True}
                send(self.fd, answer)
                reply = receive(self.fd)
        except (OSError, EOFError, ValueError, RecursionError, MemoryError) as error:
            raise SolutionGone(f"the solution process did not answer ({type(error).__name__})") from None
        _emit(reply.get("out"))
        if not (message.get("op") == "get" and set(reply) <= {"r", "out"} and "r" in reply and not reply.get("out")):
            self.tainted = True
        if "e" in reply:
            name = str(reply["e"])
            raise CROSSING.get(name, RuntimeError)(f"{name}: {str(reply.get('m', ''))[:300]}")
        return reply

    def value(self, reply: dict):
        if "r" in reply:
            return Remote(self, int(reply["r"]))
        try:
            return decode(reply["v"])
        except (KeyError, ValueError, TypeError, SyntaxError, RecursionError, MemoryError) as error:
            raise SolutionGone(f"the solution answered with something that is not plain data: {error}") from None

    def fetch(self, name: str):
        """The solution's global ``name``; NameError if it has none. Called from the check namespace's
        ``__missing__``, where a KeyError would send the interpreter on to the built-in of that name: so whatever
        the solution answers, nothing but a value or NameError leaves here."""
        try:
            reply = self.request({"op": "get", "name": name})
        except Exception as error:  # noqa: BLE001 - SolutionGone (a BaseException) still ends the test
            raise NameError(f"name {name!r}: the solution answered {type(error).__name__}") from None
        if reply.get("missing"):
            raise NameError(f"name {name!r} is not defined by the solution")
        return self.value(reply)

    def argument(self, value) -> dict:
        if type(value) is Remote:
            return {"r": object.__getattribute__(value, "_ref")}
        text = encode(value, ref_of=_ref_of)
        if text is None:
            raise Unsupported(f"the tests pass a {type(value).__name__} to the solution, which is not plain data")
        return {"v": text}


def _emit(text) -> None:
    """What the solution printed during a call, written to the check process's stdout as it is now."""
    if isinstance(text, str) and text:
        sys.stdout.write(text)


def _ref_of(value) -> int | None:
    return object.__getattribute__(value, "_ref") if type(value) is Remote else None


def _copy_back(argument, changed, channel: Channel) -> None:
    """An in-place change the solution made to a mutable argument, applied to the check process's object."""
    if changed is None or type(argument) not in (list, dict, set, bytearray):
        return
    new = channel.value({"v": changed})
    if type(new) is not type(argument):
        return
    if type(argument) is dict or type(argument) is set:
        argument.clear()
        argument.update(new)
    else:
        argument[:] = new


class Remote:
    """An object living in the solution process. Calls and attribute reads are requests; it compares by identity."""

    __slots__ = ("_channel", "_ref")

    def __init__(self, channel: Channel, ref: int):
        object.__setattr__(self, "_channel", channel)
        object.__setattr__(self, "_ref", ref)

    def __call__(self, *args, **kwargs):
        channel = object.__getattribute__(self, "_channel")
        message = {"op": "call", "ref": object.__getattribute__(self, "_ref"),
                   "args": [channel.argument(a) for a in args],
                   "kwargs": {str(k): channel.argument(v) for k, v in kwargs.items()}}  # fmt: skip
        channel.calls += 1
        reply = channel.request(message)
        for argument, changed in zip(args, reply.get("a") or []):
            _copy_back(argument, changed, channel)
        changed_kwargs = reply.get("k") if isinstance(reply.get("k"), dict) else {}
        for key, argument in kwargs.items():
            _copy_back(argument, changed_kwargs.get(str(key)), channel)
        return channel.value(reply)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        channel = object.__getattribute__(self, "_channel")
        return channel.value(channel.request({"op": "attr", "ref": object.__getattribute__(self, "_ref"),
                                               "name": name}))  # fmt: skip

    def __bool__(self) -> bool:
        """The object's own truth value, as plain Python would use it (``while node:``, ``assert f(x)``): never a
        default True the solution's object might not have."""
        channel = object.__getattribute__(self, "_channel")
        value = channel.value(channel.request({"op": "bool", "ref": object.__getattribute__(self, "_ref")}))
        if type(value) is not bool:
            raise TypeError("the solution's object has no truth value")
        return value

    def __eq__(self, other: object) -> bool:
        # Equality of a solution object cannot be judged here (its own __eq__ is the solution's to fake) and an
        # identity answer would make `!=` and `not in` true for anything: any comparison fails the test.
        raise TypeError("a solution object that is not plain data cannot be compared")

    __ne__ = __eq__
    __hash__ = object.__hash__  # sets and dicts of solution objects still work, by identity

    def __repr__(self) -> str:
        return "<solution object>"  # no number: the solution chooses how many objects it has handed out


def run_check(harness: str, fd: int, declared: str | None = None) -> dict:
    """Run the harness against the remote solution; the record the check process alone writes."""
    channel = Channel(fd)
    entries = entry_points(harness, declared)
    namespace = CheckNamespace(channel.fetch, entries, judging_names(harness, entries))
    try:
        exec(compile(harness, "tests.py", "exec"), namespace)  # noqa: S102 - the dataset's test code, sandboxed
    except Unsupported as error:
        if channel.tainted:  # the solution's answers led here: its failure, not the data's
            return {"ok": False, "error": f"after the solution's answers: {str(error)[:200]}"}
        return {"ok": False, "unsupported": str(error)[:300]}
    except BaseException as error:  # noqa: BLE001 - any failure of the tests is a failed test
        return {"ok": False, "error": f"{type(error).__name__}: {str(error)[:200]}"}
    if channel.calls == 0:
        return {"ok": False, "error": "the tests never called the solution"}
    return {"ok": True}

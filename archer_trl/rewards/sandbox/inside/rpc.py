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


def encode(value, depth: int = 0, ref_of=None, numbers: dict | None = None, define: bool | set = False) -> str | None:
    """Literal text of ``value`` if it is plain built-in data (exact types), else None. On the check side,
    ``ref_of`` names solution objects (``_ref(n)``), so one can travel back inside a container. ``numbers`` (id ->
    (n, container)) names the mutable containers of a call's arguments, so that each is one object on both sides,
    however often the test code passes it (round 39): with ``define`` (the check side sending them) the first place a container
    stands numbers it, ``_c(n, [...])``, and any later place refers to it, ``_c(n)``; without (the solution side
    sending back what they hold now) every numbered container below the top is ``_c(n)``. A NaN float is numbered
    the same way (round 44): a NaN the test code sent keeps its identity through the solution's changes, so that
    ``n in a`` still finds it and a copy of it is not a NaN of the solution's making. ``define`` as a set of ids:
    define only those (what stands twice; round 47: a definition per list made a result of 250,000 pairs time out)."""
    kind = type(value)
    if depth > MAX_DEPTH:
        return None
    if ref_of is not None:
        ref = ref_of(value)
        if ref is not None:
            return f"_ref({ref})"
    if numbers is not None and (kind in _MUTABLE or _is_nan(value)) and (define or depth > 0):
        if id(value) in numbers:
            return f"_c({numbers[id(value)][0]})"
        if define is True or define and id(value) in define:
            number = len(numbers)
            numbers[id(value)] = (number, value)  # the object too: the check side writes back into it
            text = _contents(value, kind, depth, ref_of, numbers, define)
            return None if text is None else f"_c({number}, {text})"
    return _contents(value, kind, depth, ref_of, numbers, define)


def _contents(value, kind: type, depth: int, ref_of, numbers: dict | None, define: bool | set) -> str | None:
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
        items = [encode(item, depth + 1, ref_of, numbers, define) for item in value]  # in a set: NaNs only
        if None in items:
            return None
        body = ", ".join(items)
        if kind is list:
            return f"[{body}]"
        if kind is tuple:
            return f"({body},)" if len(items) == 1 else f"({body})"
        return f"{kind.__name__}([{body}])"
    if kind is dict:
        pairs = [
            (encode(k, depth + 1, ref_of, numbers, define), encode(v, depth + 1, ref_of, numbers, define))
            for k, v in value.items()
        ]
        if any(k is None or v is None for k, v in pairs):
            return None
        return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
    return None


_NAMES = {"nan": float("nan"), "inf": float("inf")}
_CALLS = {"set": set, "frozenset": frozenset, "complex": complex, "bytearray": bytearray}


def decode(text: str, objects: list | None = None, allow_nan: bool = True, containers: dict | None = None):
    """The plain value a literal text denotes; ValueError for anything else (names, calls, operators, ...).
    ``objects`` (solution side only) resolves ``_ref(n)``. ``containers`` (n -> object) resolves ``_c(n)`` to a
    container of the call's arguments; on the solution side (with ``objects``) ``_c(n, [...])`` defines one."""
    if not isinstance(text, str) or len(text) > MAX_MESSAGE:
        raise ValueError("not a literal")
    value = _value(ast.parse(text, mode="eval").body, 0, objects, containers)
    # a NaN makes every comparison false, negated checks included; judged on the value, never on the text, which
    # has other spellings (complex('NaN'), 'NAN', '+nanj')
    if not allow_nan and _has_nan(value):
        raise ValueError("a NaN from the solution")
    return value


def _is_nan(value) -> bool:
    return type(value) in (float, complex) and value != value


def _has_nan(value) -> bool:
    return nan_count([value]) > 0


def _value(node, depth: int, objects: list | None = None, containers: dict | None = None):
    if depth > MAX_DEPTH:
        raise ValueError("value nested too deeply")
    if containers is not None and isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id == "_c" and node.args and isinstance(node.args[0], ast.Constant) \
            and type(node.args[0].value) is int and not node.keywords:  # fmt: skip
        return _container(node, depth, objects, containers)
    if isinstance(node, ast.Constant) and type(node.value) in (*_SCALARS, complex):
        return node.value
    if isinstance(node, ast.Name) and node.id in _NAMES:
        return _NAMES[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _value(node.operand, depth + 1, objects, containers)
        if type(operand) not in (int, float, complex):
            raise ValueError("sign on a non-number")
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.List):
        return [_value(item, depth + 1, objects, containers) for item in node.elts]
    if isinstance(node, ast.Tuple):
        return tuple(_value(item, depth + 1, objects, containers) for item in node.elts)
    if isinstance(node, ast.Set):
        return {_value(item, depth + 1, objects, containers) for item in node.elts}
    if isinstance(node, ast.Dict) and None not in node.keys:
        return {
            _value(k, depth + 1, objects, containers): _value(v, depth + 1, objects, containers)
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
        return _CALLS[node.func.id](*(_value(arg, depth + 1, objects, containers) for arg in node.args))
    raise ValueError(f"{type(node).__name__} is not plain data")


_MUTABLE = (list, dict, set, bytearray)


def _container(node, depth: int, objects: list | None, containers: dict):
    """``_c(n)``: the n-th container of the call's arguments; ``_c(n, [...])`` (solution side only): define it, empty
    first, so that a container holding itself (or held twice) decodes to one object, then fill it."""
    number = node.args[0].value
    if len(node.args) == 1:
        if number not in containers:
            raise ValueError("a container never sent")
        return containers[number]
    if objects is None or len(node.args) != 2 or number in containers or number != len(containers):
        raise ValueError("a container defined out of turn")
    literal = node.args[1]
    if (
        isinstance(literal, ast.Name)
        and literal.id == "nan"
        or getattr(getattr(literal, "func", None), "id", "") == "complex"
    ):
        # a NaN of the test code's (float or complex): an object of its own on this side too
        value = float("nan") if isinstance(literal, ast.Name) else _value(literal, depth, objects)
        if not _is_nan(value):
            raise ValueError("a numbered NaN that is none")
        containers[number] = value
        return value
    empty = {ast.List: list, ast.Dict: dict, ast.Set: set}.get(type(literal))
    if empty is None and isinstance(literal, ast.Call) and getattr(literal.func, "id", "") in ("set", "bytearray"):
        empty = set if literal.func.id == "set" else bytearray
    if empty is None:
        raise ValueError("a numbered container that is none")
    containers[number] = shell = empty()
    _fill(shell, _value(literal, depth, objects, containers))  # one level, as the check side counts it (round 40)
    return shell


def _fill(container, contents) -> None:
    """``container`` holding ``contents`` (of its own type), changed in place."""
    if type(container) is not type(contents):
        raise ValueError("a container's contents of another type")
    if type(container) in (dict, set):
        container.clear()
        container.update(contents)
    else:
        container[:] = contents


def shared_ids(roots: list) -> set[int]:
    """The ids of the containers and NaNs that stand more than once in ``roots``: only those need a definition."""
    seen: set[int] = set()
    shared: set[int] = set()
    stack = list(roots)
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind in _MUTABLE or _is_nan(item):
            if id(item) in seen:
                shared.add(id(item))
                continue
            seen.add(id(item))
        if kind in (list, tuple, set, frozenset):
            stack.extend(item)
        elif kind is dict:
            stack.extend(item.keys())
            stack.extend(item.values())
    return shared


def held_now(containers: dict, numbers: dict | None = None, define: bool | set = True) -> dict:
    """What each numbered container holds (its own items, numbered ones below it as ``_c(k)``), as literal texts:
    compared before and after a call, so that only a container the solution changed travels back (round 39: one
    written back unchanged lost the identity of the NaN it held). With ``numbers`` (after the call), a new
    container is defined where it first stands and named after, so that one put in two places stays one (round 46:
    `g[:] = [[0] * n] * n` crossed as independent rows); the call's result goes on with the same numbers."""
    define = define if numbers is not None else False
    numbers = {id(item): (n, item) for n, item in containers.items()} if numbers is None else numbers
    return {
        n: (_contents(item, type(item), 0, None, numbers, define) or _identities(item))
        if type(item) in _MUTABLE
        else encode(item)
        for n, item in containers.items()
    }


def _identities(container) -> str:
    """A container that does not cross (it holds the solution's objects) as the identities it holds, never as text the
    other side reads: a change to it comes back unreadable and fails the call, as in `write_back` (round 48: both
    states were None, equal, and a sort in place went unseen by an "unmodified" check)."""
    items = [*container.keys(), *container.values()] if type(container) is dict else container
    ids = sorted(map(id, items)) if type(container) is set else [id(item) for item in items]
    return "?" + ",".join(map(str, ids))


def nan_count(values) -> int:
    """How many NaN objects stand in ``values``, each counted once (the test code's arguments, before and after a
    call: a NaN the solution put where there was none shows as one more, one it moved or copied does not; rounds
    41, 44)."""
    count, stack, seen = 0, list(values), set()
    while stack:
        item = stack.pop()
        if isinstance(item, float | complex):
            count += item != item and id(item) not in seen
            seen.add(id(item))
        elif isinstance(item, list | tuple | set | frozenset | dict) and id(item) not in seen:
            seen.add(id(item))
            stack.extend(item if not isinstance(item, dict) else [*item.keys(), *item.values()])
    return count


def write_back(containers: dict, changed: dict, scope: dict | None = None) -> None:
    """Apply the solution's changes (``changed``: number -> literal of what it holds now) to the check process's
    own containers, in place, all at once: a change shows wherever the test code holds the object (the caller
    checks that no NaN was added, as a NaN result fails). ``scope`` (a copy of ``containers``) takes the new
    containers the changes define, in order, for the call's result to name too."""
    updates = []
    scope = dict(containers) if scope is None else scope
    for key, text in changed.items():
        number = int(key) if type(key) is str and key.isascii() and key.isdigit() else -1
        if (
            str(number) != key
            or number not in containers
            or type(text) is not str
            or type(containers[number]) not in _MUTABLE
        ):
            raise ValueError("a change to a container never sent")
        new = decode(text, objects=[], containers=scope)  # objects=[]: definitions, never a solution object
        if type(new) is not type(containers[number]):
            raise ValueError("a container's contents of another type")
        updates.append((containers[number], new))
    for container, new in updates:
        _fill(container, new)


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


def serve(namespace: dict, fd: int, _send=send, _receive=receive) -> None:
    """Answer the check process's requests until it hangs up. Runs in the solution's (untrusted) process: every answer
    is parsed as plain data on the other side, but what it reports of the solution's own state (write-backs, object
    numbers) is taken as reported, so a solution that patches this code can hide a change or forge an identity (H1,
    H5: open). The framing is bound here, before the solution's code runs, so patching ``rpc.send`` is not enough
    (round 52); ``gc`` still reaches it."""
    objects: list = []
    numbered: dict = {}  # id -> its number in ``objects``
    console = io.StringIO()

    def reply_for(value, numbers: dict | None = None, shared: set | None = None) -> dict:
        if type(value) in _ITERATORS:
            value = list(value)
        elif type(value).__module__ == "numpy" and hasattr(value, "tolist"):  # numpy scalars and arrays
            value = value.tolist()
        # a call's result: an argument it returns is named by its number, a container it holds twice is defined once
        # (round 46: `return [[0] * n] * n` crossed as independent rows, `return a` as a copy of `a`)
        text = encode(value, numbers=numbers, define=shared if numbers is not None else False)
        if text is not None:
            return {"v": text}
        if id(value) not in numbered:  # one number per object: it crosses as the same proxy each time (round 50)
            numbered[id(value)] = len(objects)
            objects.append(value)  # and stays alive, so its id is never another object's
        return {"r": numbered[id(value)]}

    while True:
        pending_changes = None
        try:
            request = _receive(fd)
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
                containers: dict = {}
                args = [objects[a["r"]] if "r" in a else decode(a["v"], objects, containers=containers)
                        for a in request["args"]]  # fmt: skip
                kwargs = {k: objects[a["r"]] if "r" in a else decode(a["v"], objects, containers=containers)
                          for k, a in request["kwargs"].items()}  # fmt: skip
                before = held_now(containers)
                # what the containers hold now stays alive through the call, so no new value can take an old one's
                # address and look unchanged to `_identities` (round 49: `d["w"] += 1.0` went unseen)
                alive = [tuple(item.items()) if type(item) is dict else tuple(item) for item in containers.values()
                         if type(item) in _MUTABLE]  # fmt: skip
                numbers, result = {id(item): (n, item) for n, item in containers.items()}, None
                try:
                    result = _with_console(objects[request["ref"]], args, kwargs, fd, console)
                finally:
                    # what the containers it received hold now travels back, only those it changed, also when it
                    # raised (a change before an exception stands in plain Python: round 39)
                    shared = shared_ids([*containers.values(), result])
                    after = held_now(containers, numbers, shared)
                    # one that no longer crosses (an object put in it, nesting past the limit, a huge int) comes back
                    # unreadable, which fails the call: never silently left as it was (round 40)
                    pending_changes = {str(n): "?" if t is None else t for n, t in after.items() if t != before.get(n)}
                answer = reply_for(result, numbers, shared)
                del alive
                answer["w"] = pending_changes
        except Exception as error:  # noqa: BLE001 - the solution's own exception, re-raised in the check process
            answer = {
                "e": ",".join(_exception_name(kind) for kind in type(error).__mro__[:20]),
                "m": str(error.args[0] if isinstance(error, KeyError) and len(error.args) == 1 else error)[:300],
            }
            if pending_changes is not None:
                answer["w"] = pending_changes
        answer["out"] = console.getvalue()[:MAX_CONSOLE]
        console.seek(0)
        console.truncate()
        _send(fd, answer)

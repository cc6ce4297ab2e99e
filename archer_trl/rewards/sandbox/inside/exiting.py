"""The end of a stdin program as Python ends one (the test process then leaves with ``os._exit``, which does none of
it): an uncaught exception reported through ``sys.excepthook``, the exit handlers, the standard streams, every file
object still open. Runs in the program's test process, under its limits, after its code."""

from __future__ import annotations

import atexit
import contextlib
import gc
import io
import sys
import traceback


def finish_like_python() -> None:
    """What Python does when a program ends, in its order: the exit handlers (a fast-output idiom writes its buffer in
    one; their exceptions, ``SystemExit`` included, are printed and ignored), the standard streams, then every file
    object still open (``out = open(1, "w")`` never closed). Red-team round 44: the test process ends with
    ``os._exit``, so such programs printed nothing."""
    with contextlib.suppress(BaseException):
        atexit._run_exitfuncs()
    standard = [getattr(sys, name, None) for name in ("stdout", "stderr", "stdin")]  # a program may delete them
    for stream in standard[:2]:
        with contextlib.suppress(BaseException):
            stream.flush()
    with contextlib.suppress(BaseException):
        files = [item for item in gc.get_objects() if isinstance(item, io.IOBase)]
        for item in _outer_first(files):  # a writer over another writer: its bytes move one layer down (round 46)
            if not any(item is std for std in standard):
                with contextlib.suppress(BaseException):
                    item.flush()
        for stream in standard[:2]:
            with contextlib.suppress(BaseException):
                stream.flush()


def _outer_first(files: list) -> list:
    """``files`` ordered so that a wrapper comes before what it wraps (``.buffer``, ``.raw``): each is flushed once,
    as Python does (round 48: four passes ran a ``flush`` with side effects four times). In linear time (round 49:
    30,000 live objects timed out), and reading those attributes only from the standard library's own classes (a
    program's property is its code, which Python would not run here)."""
    position = {id(item): n for n, item in enumerate(files)}
    level = [0] * len(files)
    for item in files:
        depth, inner = 0, _wrapped(item)
        while inner is not None and id(inner) in position and depth < 8:
            depth += 1
            level[position[id(inner)]] = max(level[position[id(inner)]], depth)
            inner = _wrapped(inner)
    return [files[n] for n in sorted(range(len(files)), key=level.__getitem__)]


def _wrapped(item: object) -> object | None:
    if type(item).__module__ not in ("io", "_io"):
        return None
    return getattr(item, "buffer", None) or getattr(item, "raw", None)


def report_like_python(error: BaseException) -> None:
    """An uncaught exception as Python reports it: standard output flushed first, then ``sys.excepthook`` (the
    program's own, if it set one; round 48: a hook that ends the program was never called)."""
    with contextlib.suppress(BaseException):
        sys.stdout.flush()
    try:
        sys.excepthook(type(error), error, error.__traceback__)
    except BaseException:  # noqa: BLE001 - a failing hook: Python prints the error and goes on
        with contextlib.suppress(BaseException):
            traceback.print_exc()

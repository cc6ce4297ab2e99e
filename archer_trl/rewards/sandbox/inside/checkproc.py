"""The check process's side of the assert channel (standard library only; runs inside the sandbox): requests to the
solution process (`rpc` framing and codec), proxies for solution objects, and the harness run whose record the check
process alone writes. Which names the harness takes from the solution: ``checkns.py``."""

from __future__ import annotations

import ast
import builtins
import contextlib
import sys
import threading

import expect
from checkns import CheckNamespace, analyze
from rpc import SolutionGone, Unsupported, decode, encode, nan_count, receive, send, write_back

# The only exceptions that cross from the solution as themselves. Anything else arrives as RuntimeError: an exception
# with control-flow meaning in the check process (StopIteration ending its ``map``/``zip``/``all`` early,
# StopAsyncIteration, GeneratorExit, SystemExit) must not be raisable by the solution, as Python itself turns a
# StopIteration inside a generator into RuntimeError.
CROSSING = {kind.__name__: kind for kind in (
    Exception, ArithmeticError, AssertionError, AttributeError, IndexError, KeyError, LookupError, NameError,
    NotImplementedError, OverflowError, RecursionError, RuntimeError, TypeError, ValueError, ZeroDivisionError,
    OSError, FileNotFoundError, FileExistsError, PermissionError, IsADirectoryError, NotADirectoryError, TimeoutError,
    EOFError, ImportError, ModuleNotFoundError, UnboundLocalError, FloatingPointError, BufferError, UnicodeError,
    UnicodeDecodeError, UnicodeEncodeError,
)}  # fmt: skip
# built from a message alone: these take the arguments of a codec error (``except UnicodeDecodeError`` still matches)
SPECIAL = {"UnicodeDecodeError": lambda m: UnicodeDecodeError("utf-8", b"", 0, 1, m),
           "UnicodeEncodeError": lambda m: UnicodeEncodeError("utf-8", "", 0, 1, m)}  # fmt: skip


def crossed_exception(names: str, message: str) -> BaseException:
    """The exception the test code sees for one the solution raised, from the names of its type's MRO: the most
    derived standard type among them (a solution's ``InvalidInput(ValueError)`` is a ValueError; json's
    JSONDecodeError is rebuilt as one). StopIteration and anything outside Exception become RuntimeError, as Python
    does in a generator, so that they cannot end the test's own loops."""
    mro = names.split(",")[:20]
    if "JSONDecodeError" in mro[:1] and "ValueError" in mro:
        import json

        return json.JSONDecodeError(message, "", 0)
    if "Exception" not in mro or mro[0] in ("StopIteration", "StopAsyncIteration"):
        return RuntimeError(f"{mro[0][:60]}: {message}")
    kind = next(name for name in mro if name in CROSSING)
    if kind in SPECIAL:
        return SPECIAL[kind](message)
    bases: list[type] = []  # class E(KeyError, ValueError) satisfies both expectations, as in plain Python
    for name in mro:
        allowed = CROSSING.get(name)
        if allowed is not None and allowed is not Exception and not any(issubclass(b, allowed) for b in bases):
            bases.append(allowed)
    if len(bases) > 1:
        try:
            return type("SolutionError", tuple(bases), {})(message)  # a fixed name: the solution's could pose
        except TypeError:  # bases whose layouts cannot combine (OSError with ValueError): the most derived one
            pass
    return CROSSING[kind](message)


class Channel:
    def __init__(self, fd: int):
        self.fd = fd
        self.calls = 0
        # set once anything the solution chose reached this process (a value, an exception, "not defined"): from
        # then on the harness's path may depend on the solution, so "cannot judge" is no longer the data's verdict
        self.tainted = False
        self.lock = threading.RLock()  # test code may call the solution from several threads: one request at a time
        self.callers: set = set()  # threads that called the solution: waited for before the verdict
        self.remotes: dict = {}  # one proxy per solution object, so `is` holds as in plain Python (round 50)

    def request(self, message: dict):
        self.callers.add(threading.current_thread())
        with self.lock:
            return self._request(message)

    def _request(self, message: dict):
        if (
            message.get("op") != "get"
        ):  # round 30: a call still unanswered (stalled) steers the harness as a reply does
            self.tainted = True
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
            raise _gone(f"the solution process did not answer ({type(error).__name__})") from None
        if not _well_formed(reply):  # the solution's side may be replaced: any other shape is the machinery failing
            raise _gone("the solution process answered with a malformed reply")
        _emit(reply.get("out"))
        if not (message.get("op") == "get" and set(reply) <= {"r", "out"} and "r" in reply and not reply.get("out")):
            self.tainted = True
        if "e" in reply:
            names = str(reply["e"])
            message = str(reply.get("m", ""))[:300]  # an allowed type keeps its own message (assertRaisesRegex)
            error = crossed_exception(names, message)
            raised = expect.RECORD.raised(error, f"the solution raised {names.split(',')[0][:60]}")
            with contextlib.suppress(AttributeError, TypeError):
                raised.reply_changes = reply.get("w")  # the caller writes them back before it re-raises
            raise raised
        return reply

    def value(self, reply: dict, sent: dict | None = None):
        """The value a reply names. A call's (``sent``: the containers it was sent) may name those containers and
        define new ones, so that identity and sharing cross as in plain Python; ``objects=[]`` allows definitions
        and no solution object."""
        if "r" in reply:
            ref = int(reply["r"])
            return self.remotes.setdefault(ref, Remote(self, ref))
        try:
            if sent is not None:
                return decode(reply["v"], objects=[], allow_nan=False, containers=sent)
            return decode(reply["v"], allow_nan=False)
        except Exception as error:  # noqa: BLE001 - any error reading a reply (OverflowError too) is the machinery's
            raise _gone(f"the solution answered with something that is not plain data: {error}") from None

    def fetch(self, name: str):
        """The solution's global ``name``; NameError if it has none. Called from the check namespace's
        ``__missing__``, where a KeyError would send the interpreter on to the built-in of that name: so whatever
        the solution answers, nothing but a value or NameError leaves here."""
        try:
            reply = self.request({"op": "get", "name": name})
        except Exception as error:  # noqa: BLE001 - SolutionGone (a BaseException) still ends the test
            missing = NameError(f"name {name!r}: the solution answered {type(error).__name__}")
            raise expect.RECORD.raised(missing, f"the solution has no {name[:60]}") from None
        if reply.get("missing"):
            missing = NameError(f"name {name!r} is not defined by the solution")
            raise expect.RECORD.raised(missing, f"the solution has no {name[:60]}")
        return self.value(reply)

    def argument(self, value, numbers: dict | None = None, scratch: dict | None = None) -> dict:
        if type(value) is Remote:
            return {"r": object.__getattribute__(value, "_ref")}
        text = encode(value, ref_of=_ref_of, numbers=numbers, define=numbers is not None)
        if text is not None and scratch is not None:
            try:  # read here as the solution side will: what it could not read is the data's, decided here (round 40)
                decode(text, objects=_AnyObjects(), containers=scratch)
            except Exception:  # noqa: BLE001 - any reading error of our own text
                text = None
        if text is None:
            text = f"the tests pass a {type(value).__name__} to the solution, which is not plain data"
            if expect.RECORD.unsupported is None:
                expect.RECORD.unsupported = text
            raise Unsupported(text)
        return {"v": text}


REPLY_TYPES = {"r": int, "v": str, "e": str, "m": str, "out": str, "missing": bool, "w": dict}


def _well_formed(reply) -> bool:
    """A reply of the shape the init sends: known keys with their types, a reference a non-negative int (not a
    bool), argument write-backs plain-data texts or None. Anything else raised ordinary errors while being read,
    which test code could catch (red-team round 8)."""
    if type(reply) is not dict or not set(reply) <= set(REPLY_TYPES):
        return False
    if any(
        reply[key] is not None and type(reply[key]) is not kind for key, kind in REPLY_TYPES.items() if key in reply
    ):
        return False
    if "r" in reply and (reply["r"] is None or reply["r"] < 0):
        return False
    changed = reply.get("w") or {}
    return all(type(key) is str and key.isdigit() and type(item) is str for key, item in changed.items())


def _gone(text: str) -> SolutionGone:
    """The machinery's own signal: kept in the record, so a bare ``except:`` of the test code cannot hide it."""
    if expect.RECORD.gone is None:
        expect.RECORD.gone = text
    return SolutionGone(text)


def _emit(text) -> None:
    """What the solution printed during a call, written to the check process's stdout as it is now. Text that stdout
    cannot encode (a lone surrogate) fails the solution, as its own print would in plain Python; it must not raise in
    the check process where the test code could swallow it unrecorded."""
    if isinstance(text, str) and text:
        try:
            text.encode(sys.stdout.encoding or "utf-8")
        except (UnicodeEncodeError, LookupError):
            error = UnicodeEncodeError("utf-8", "", 0, 1, "the solution printed text stdout cannot encode")
            raise expect.RECORD.raised(error, "the solution printed text stdout cannot encode") from None
        sys.stdout.write(text)


def _ref_of(value) -> int | None:
    return object.__getattribute__(value, "_ref") if type(value) is Remote else None


class _AnyObjects:
    """Stands for the solution's objects when the check side reads its own text: any ``_ref(n)`` is one."""

    def __len__(self) -> int:
        return 1 << 62

    def __getitem__(self, index: int) -> None:
        return None


def _write_back(sent: dict, changed, scope: dict) -> None:
    """The solution's in-place changes to the containers sent, applied to the test code's own objects. A change that
    adds a NaN anywhere in them fails the call, as a NaN result does (a NaN makes negated checks true); one that
    moves or stores a NaN the test code sent does not (rounds 41-42)."""
    if changed:
        # every NaN the test code sent is numbered, so it is one of ``sent`` before and after, wherever the solution
        # moved, copied or dropped it (round 45: counted over the arguments before and the numbered objects after,
        # a complex NaN, which was not numbered, let one NaN of the solution's making through)
        before = nan_count(list(sent.values()))
        try:
            write_back(sent, changed, scope)
            if nan_count(list(sent.values())) > before:
                raise ValueError("a NaN from the solution")
        except Exception as error:  # noqa: BLE001 - a change that cannot be read is the machinery failing
            raise _gone(
                f"the solution's changes to its arguments could not be read ({type(error).__name__})"
            ) from None


class Remote:
    """An object living in the solution process. Calls and attribute reads are requests; it compares by identity."""

    __slots__ = ("_channel", "_ref")

    def __init__(self, channel: Channel, ref: int):
        object.__setattr__(self, "_channel", channel)
        object.__setattr__(self, "_ref", ref)

    def __call__(self, *args, **kwargs):
        channel = object.__getattribute__(self, "_channel")
        numbers: dict = {}  # id -> (n, container) of each container sent: one object on both sides (rpc.encode)
        scratch: dict = {}  # the same, read back as the solution side reads them
        message = {"op": "call", "ref": object.__getattribute__(self, "_ref"),
                   "args": [channel.argument(a, numbers, scratch) for a in args],
                   "kwargs": {str(k): channel.argument(v, numbers, scratch) for k, v in kwargs.items()}}  # fmt: skip
        channel.calls += 1
        sent = dict(numbers.values())  # n -> the test code's container
        scope = dict(sent)  # and the new containers the reply defines, in order (rpc.held_now)
        try:
            reply = channel.request(message)
        except BaseException as raised:
            _write_back(sent, getattr(raised, "reply_changes", None), scope)  # it stands
            raise
        _write_back(sent, reply.get("w"), scope)
        try:
            return channel.value(reply, scope)
        except Exception as error:  # noqa: BLE001 - a reply that cannot be read is the machinery failing, recorded
            raise _gone(f"the solution's reply could not be read ({type(error).__name__})") from None

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
            raise expect.RECORD.raised(TypeError("the solution's object has no truth value"), "a solution object")
        return value

    def __eq__(self, other: object) -> bool:
        # Equality of a solution object cannot be judged here (its own __eq__ is the solution's to fake) and an
        # identity answer would make `!=` and `not in` true for anything: a comparison fails the test, except with
        # None, where every object without a faked __eq__ answers by identity (`while node != None:`)
        if other is None:
            return False
        raise expect.RECORD.raised(
            TypeError("a solution object that is not plain data cannot be compared"), "a solution object compared"
        )

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = object.__hash__  # sets and dicts of solution objects still work, by identity

    def __repr__(self) -> str:
        return "<solution object>"  # no number: the solution chooses how many objects it has handed out


def run_check(harness: str, fd: int, declared: str | None = None, entries: list | None = None) -> dict:
    """Run the harness against the remote solution; the record the check process alone writes. ``entries``: the
    trainer's `checkns.analyze` of the same harness (computed here when absent)."""
    channel = Channel(fd)
    names = {str(name) for name in entries} if isinstance(entries, list) else analyze(harness, declared)[0]
    namespace = CheckNamespace(channel.fetch, names)
    record = expect.RECORD
    _record_swallowed_failures(harness, record)
    expect.install()
    expect.dynamic(namespace)
    expect.hook_expectations(harness)
    try:
        tree = expect.rewrite(ast.parse(harness, "tests.py"))
        exec(compile(tree, "tests.py", "exec"), namespace)  # noqa: S102 - the dataset's test code, sandboxed
        _finish_background(channel)
    except Unsupported as error:
        return _unsupported(channel, str(error))
    except BaseException as error:  # noqa: BLE001 - any failure of the tests is a failed test
        return {"ok": False, "error": f"{type(error).__name__}: {str(error)[:200]}"}
    if record.unsupported is not None and record.gone is None:  # caught by the test code: still not plain data
        return _unsupported(channel, record.unsupported)
    if channel.calls == 0 and record.gone is None:
        return {"ok": False, "error": "the tests never called the solution"}
    for _ in range(len(_UNREAD)):
        record.fail("an exception in a future nobody read")
    failure = record.verdict()
    if failure is not None:
        return {"ok": False, "error": f"a failure the tests caught ({failure[:200]})"}
    return {"ok": True}


def _unsupported(channel: Channel, text: str) -> dict:
    if channel.tainted:  # the solution's answers led here: its failure, not the data's
        return {"ok": False, "error": f"after the solution's answers: {text[:200]}"}
    return {"ok": False, "unsupported": text[:300]}


def _finish_background(channel: Channel) -> None:
    """What the test code started in the background ends before the verdict, as at interpreter exit (non-daemon
    threads and executor workers joined; pool tasks and threads that called the solution waited for), bounded by
    the test's wall-clock limit: a solution that is merely slow cannot push a failure past the record."""
    for result in list(_POOL_RESULTS):
        result.wait()
    threading._shutdown()  # noqa: SLF001 - what the interpreter runs at exit; the check process exits with os._exit
    for thread in list(channel.callers):
        if thread is not threading.current_thread() and not _pool_worker(thread):
            thread.join()


def _pool_worker(thread: threading.Thread) -> bool:
    target = getattr(thread, "_target", None)
    return getattr(target, "__module__", "") in ("multiprocessing.pool", "concurrent.futures.thread")


_UNREAD: set = set()  # futures that hold an exception nothing asked them for
_POOL_RESULTS: list = []  # multiprocessing.pool results (ThreadPool.apply_async) the test code created


def _record_swallowed_failures(harness: str, record: expect.Record) -> None:
    """Failures that end in something other than the harness's own exception: an exception that ends a thread, one
    stored in a ``concurrent.futures`` future nobody reads, and whatever unittest's test parts and doctest's runner
    catch (below any result class, so a ``TestResult`` that ignores failures cannot hide them). The solution cannot
    reach these classes: they live here."""
    threading.excepthook = lambda hook: record.fail(f"{hook.exc_type.__name__} ended a thread")
    _UNREAD.clear()
    if "multiprocessing" in harness:
        import multiprocessing.pool

        _tracking(multiprocessing.pool.ApplyResult, "__init__", _POOL_RESULTS.append)
    if "concurrent" in harness:
        from concurrent.futures import Future

        _tracking(Future, "set_exception", lambda future: _UNREAD.add(future))
        for name in ("result", "exception"):
            _tracking(Future, name, lambda future: _UNREAD.discard(future))
        read = Future.exception

        def exception(self, *args, **kwargs):  # handed to the test code as a value, which it then inspects
            error = read(self, *args, **kwargs)
            record.expected(error)
            return error

        Future.exception = exception
    if "unittest" not in harness and "doctest" not in harness:
        return
    import doctest
    import unittest.case
    import unittest.result

    def recording(cls, name: str, failed=lambda *args: True) -> None:
        original = getattr(cls, name)

        def recorded(self, *args, **kwargs):  # not named `record`: that is the failure record it writes to
            if failed(*args):
                record.fail(name)
            return original(self, *args, **kwargs)

        setattr(cls, name, recorded)

    for name in ("addError", "addFailure", "addUnexpectedSuccess"):
        recording(unittest.result.TestResult, name)
    recording(unittest.result.TestResult, "addSubTest", failed=lambda test, subtest, outcome: outcome is not None)
    for name in ("report_failure", "report_unexpected_exception"):
        recording(doctest.DocTestRunner, name)
    outcome = getattr(unittest.case, "_Outcome", None)  # every exception of a test method passes through here
    if outcome is not None and hasattr(outcome, "testPartExecutor"):
        outcome.testPartExecutor = _recording_parts(outcome.testPartExecutor, record, unittest.case.SkipTest)


def _tracking(cls, name: str, note) -> None:
    original = getattr(cls, name)

    def tracked(self, *args, **kwargs):
        note(self)
        return original(self, *args, **kwargs)

    setattr(cls, name, tracked)


def _recording_parts(original, record: expect.Record, skip: type):
    @contextlib.contextmanager
    def part(self, *args, **kwargs):
        with original(self, *args, **kwargs):
            try:
                yield
            except skip:
                raise
            except Exception as error:
                if getattr(self, "expecting_failure", False):  # @expectedFailure: failing is passing
                    record.expected(error)
                else:
                    record.fail(f"{type(error).__name__} in a unittest test")
                raise

    return part

"""Failures the test code could hide, recorded where they happen (standard library only; runs in the check process).

A failure counts where it is raised, not where a runner reports it: a failed ``assert`` of the test code (also one
compiled at run time from a string), an ``AssertionError`` the test code raises itself or a unittest assertion method
raises (inside a runner or not), and every exception the solution raises in a call. The last two are forgiven only
when the test code explicitly expected them: ``assertRaises``/``pytest.raises`` consumed them, or a ``try`` written
as the expected-raise idiom caught them (its body ends by failing the test, its ``else`` fails it, or a handler sets
a flag to True or returns True). ``contextlib.suppress``, ``except Exception: pass``, an unread pool result or a bare
``except:`` forgive nothing. The machinery's own signals (the solution process gone, a row that cannot be judged)
are kept in the record whatever handler catches them.
"""

from __future__ import annotations

import ast
import builtins
import sys
import threading

ASSERT_HOOK = "__archer_assert__"
RAISE_HOOK = "__archer_raise__"
EXPECTED_HOOK = "__archer_expected__"
CAUGHT = "__archer_caught__"


class Record:
    def __init__(self):
        self.lock = threading.Lock()
        self.failures: list[str] = []  # failed assert statements, threads ended by an exception, runner reports
        self.pending: dict[int, tuple[BaseException, str]] = {}  # raised, not (yet) expected
        self.gone: str | None = None  # the solution process went away (SolutionGone), whoever caught it
        self.unsupported: str | None = None  # the tests passed something not plain data (Unsupported)

    def fail(self, text: str) -> None:
        with self.lock:
            self.failures.append(text)

    def raised(self, error: BaseException, text: str) -> BaseException:
        with self.lock:
            self.pending[id(error)] = (error, text)
        return error

    def expected(self, error) -> None:
        """``error`` and the exceptions it was raised while handling were what the test expected."""
        seen = 0
        with self.lock:
            while isinstance(error, BaseException) and seen < 32:
                self.pending.pop(id(error), None)
                error, seen = error.__context__, seen + 1

    def verdict(self) -> str | None:
        with self.lock:
            if self.gone is not None:
                return self.gone
            found = self.failures + [text for _, text in self.pending.values()]
        return found[0] if found else None


RECORD = Record()


def _assert_hook(value) -> bool:
    if value:
        return True
    RECORD.fail("an assert of the tests failed")
    return False


def _raise_hook(error):
    if isinstance(error, type) and issubclass(error, AssertionError):
        error = error()
    if isinstance(error, AssertionError):
        RECORD.raised(error, "the tests raised AssertionError")
    return error


def _expected_hook(error) -> None:
    RECORD.expected(error)


def install() -> None:
    """The hooks the rewritten test code calls; in the builtins, so code ``exec``ed with globals of its own finds
    them too."""
    for name, hook in ((ASSERT_HOOK, _assert_hook), (RAISE_HOOK, _raise_hook), (EXPECTED_HOOK, _expected_hook)):
        setattr(builtins, name, hook)


def _fails(node: ast.stmt) -> bool:
    """A statement that fails the test when reached: ``assert False``, ``raise ...``, ``self.fail(...)``/
    ``pytest.fail(...)``, ``return False``."""
    if isinstance(node, ast.Assert):
        return isinstance(node.test, ast.Constant) and not node.test.value
    if isinstance(node, ast.Raise):
        return node.exc is not None
    if isinstance(node, ast.Return):
        return isinstance(node.value, ast.Constant) and node.value.value is False
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        return (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")) == "fail"
    return False


def _sets_flag(handler: ast.ExceptHandler) -> bool:
    for node in ast.walk(handler):
        value = getattr(node, "value", None) if isinstance(node, (ast.Assign, ast.Return)) else None
        if isinstance(value, ast.Constant) and value.value is True:
            return True
    return False


def _expects_raise(node: ast.Try) -> bool:
    return bool(
        (node.body and _fails(node.body[-1]))
        or any(_fails(statement) for statement in node.orelse)
        or any(_sets_flag(handler) for handler in node.handlers)
    )


class _Rewrite(ast.NodeTransformer):
    def visit_Assert(self, node: ast.Assert) -> ast.Assert:  # noqa: N802 - NodeTransformer's naming
        self.generic_visit(node)
        call = ast.Call(ast.Name(ASSERT_HOOK, ast.Load()), [node.test], [])
        return ast.copy_location(ast.Assert(ast.copy_location(call, node.test), node.msg), node)

    def visit_Raise(self, node: ast.Raise) -> ast.Raise:  # noqa: N802
        self.generic_visit(node)
        if node.exc is not None:
            node.exc = ast.copy_location(ast.Call(ast.Name(RAISE_HOOK, ast.Load()), [node.exc], []), node.exc)
        return node

    def visit_Try(self, node):  # noqa: N802
        expects = _expects_raise(node)  # before the asserts inside are rewritten
        self.generic_visit(node)
        if expects:
            for handler in node.handlers:
                handler.name = handler.name or CAUGHT
                mark = ast.Expr(
                    ast.Call(ast.Name(EXPECTED_HOOK, ast.Load()), [ast.Name(handler.name, ast.Load())], [])
                )
                handler.body.insert(0, ast.copy_location(mark, handler))
        return node

    visit_TryStar = visit_Try  # noqa: N815


def rewrite(tree: ast.AST) -> ast.AST:
    return ast.fix_missing_locations(_Rewrite().visit(tree))


def dynamic(namespace: dict) -> None:
    """``exec``/``compile`` of the test code rewrite what they compile from a string (asserts kept in strings)."""
    real_exec, real_compile = builtins.exec, builtins.compile

    def compile_rewritten(source, filename, mode, flags=0, dont_inherit=False, optimize=-1, **kwargs):
        if isinstance(source, (str, bytes, ast.AST)) and mode in ("exec", "single") and not flags & ast.PyCF_ONLY_AST:
            tree = source if isinstance(source, ast.AST) else ast.parse(source, filename, mode)
            source = rewrite(tree)
        return real_compile(source, filename, mode, flags, dont_inherit, optimize, **kwargs)

    def exec_rewritten(source, globals=None, locals=None, /, **kwargs):  # noqa: A002 - exec's own names
        if globals is None:
            frame = sys._getframe(1)
            globals, locals = frame.f_globals, frame.f_locals if locals is None else locals
        if isinstance(source, (str, bytes)):
            source = compile_rewritten(source, "<string>", "exec")
        return real_exec(source, globals, globals if locals is None else locals, **kwargs)

    namespace["exec"], namespace["compile"] = exec_rewritten, compile_rewritten


def hook_expectations(harness: str) -> None:
    """unittest's assertion methods record their failures; ``assertRaises`` and ``pytest.raises`` forgive what they
    consume."""
    if "unittest" in harness or "TestCase" in harness:
        import unittest.case

        class Failure(AssertionError):
            def __init__(self, *args):
                super().__init__(*args)
                RECORD.raised(self, "a unittest assertion failed")

        unittest.case.TestCase.failureException = Failure
        _forgiving_exit(unittest.case._AssertRaisesContext)
    if "pytest" in harness:
        try:
            import pytest
        except ImportError:
            return
        original = pytest.raises

        def raises(expected, *args, **kwargs):
            context = original(expected, *args, **kwargs)
            if args:  # the function form: it returns the ExceptionInfo at once
                RECORD.expected(getattr(context, "value", None))
            else:
                _forgiving_exit(type(context))
            return context

        pytest.raises = raises


def _forgiving_exit(cls) -> None:
    original = cls.__exit__
    if getattr(original, "forgiving", False):
        return

    def exit_(self, exc_type, exc_value, traceback):
        swallowed = original(self, exc_type, exc_value, traceback)
        if swallowed and exc_value is not None:
            RECORD.expected(exc_value)
        return swallowed

    exit_.forgiving = True
    cls.__exit__ = exit_

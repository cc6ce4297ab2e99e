"""Where each name of an assert harness comes from (runs in the check process; standard library only).

The check process runs the dataset's test code. A name the test code uses but does not define is looked up here, in
this order, and the order is the defence: the solution may supply the test's *entry points* and the problem's own
helpers, never a module, a built-in the test relies on, or a standard-library helper.

1. an entry point (the row's declared function name, or what the test code evidently calls: the function passed to
   its ``check(...)``, else in each bare ``assert`` the first callee that is neither a built-in nor a standard
   helper, falling back to a helper's name, then a built-in's): the solution's, before any built-in, so
   a solution that defines ``pow`` or ``sum`` is judged on its own; if the solution does not define it, NameError
   (never the built-in of that name: a program ``pass`` must not pass a test of ``pow``);
2. a built-in: the check process's own;
3. a module (``math``, ``np``, any importable top-level name) the test code forgot to import: imported here, never
   the solution's module object (whose ``isclose`` could say yes to anything);
4. a public name of a standard helper module (``isclose``, ``gcd``, ``Counter``, ``reduce``): imported here;
5. a name the test code judges with (`judging_names`: used as a module, in a condition, on a result of the solution,
   or as a statement): NameError, never the solution's;
6. anything else, which only builds inputs (HumanEval/38's ``encode_cyclic``, a ``TreeNode`` class): the
   solution's.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import importlib.util
import sys

HELPER_MODULES = ("math", "itertools", "functools", "collections", "heapq", "bisect", "string", "re", "typing",
                  "statistics", "fractions", "decimal", "random")  # fmt: skip
MODULE_ALIASES = {"np": "numpy", "pd": "pandas"}


def _bound_names(tree: ast.AST) -> set[str]:
    """Every name the harness binds anywhere (assignment, def, class, import, parameter, except, match, for)."""
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            bound.update(node.names)
    return bound


def _root_name(node: ast.AST) -> str | None:
    """``Solution`` for ``Solution().add`` or ``Solution.add``; ``add`` for ``add``."""
    while isinstance(node, ast.Attribute | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def entry_points(harness: str, declared: str | None = None) -> set[str]:
    """The names the test code evidently asks the solution for (see the module docstring)."""
    entries = {declared} if declared else set()
    try:
        tree = ast.parse(harness)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return entries
    bound = _bound_names(tree)
    defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    passed: set[str] = set()  # check(add), check(candidate=add), check(Solution().add), candidate = gcd
    for node in ast.walk(tree):
        values = []
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in defined:
            values = [v for v in [*node.args, *(k.value for k in node.keywords)] if _is_function_reference(v)]
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.NamedExpr) and node.value is not None:
            values = [node.value] if _is_function_reference(node.value) else []
        for value in values:
            name = _root_name(value)
            if name and name not in bound:
                passed.add(name)
    if entries or passed:
        return entries | passed
    # bare asserts: per assert, its first callee we cannot supply ourselves (`assert isclose(area(2), 12.56)` ->
    # area). Only when no assert has one: a standard helper's name (`assert gcd(6, 4) == 2`), then a built-in's
    # (`assert pow(2, 3) == 8`): the task is then evidently to write that function
    per_assert = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            callees = [(n.func.id, depth) for n, depth in _depth_first(node.test) if isinstance(n, ast.Call)
                       and isinstance(n.func, ast.Name)]  # fmt: skip
            if not any(name in bound for name, _ in callees):  # not a harness function's or parameter's call
                per_assert.append(callees)
    for rank in (0, 1, 2):
        for callees in per_assert:  # within a rank the innermost call: `isclose(count(x), 2)` tests count
            ranked = sorted((-depth, order, name) for order, (name, depth) in enumerate(callees) if _rank(name) == rank)
            entries.update(name for _, _, name in ranked[:1])
        if entries:
            break
    return entries


def judging_names(harness: str, entries: set[str]) -> set[str]:
    """Free names the test code uses to *judge* rather than to build inputs: never the solution's, whatever it
    defines (a no-op ``assert_equal``, a ``scipy`` whose every attribute says yes). They are names used as a module
    (``scipy.isclose``), names in the condition of an ``assert``/``if``/``while`` outside the arguments of a call to
    the solution (when the condition calls no known entry point, only names it does not call), and names called on
    a result of the solution (``assert_equal(candidate(2, 3), 5)``). What remains
    may come from the solution: inputs built with its classes or the problem's helpers
    (``candidate(encode_cyclic(s))``, ``TreeNode(1)``), and calls made as statements (``sort_it(xs)``: the
    function under test, in place)."""
    try:
        tree = ast.parse(harness)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    bound = _bound_names(tree)
    parameters = {a.arg for n in ast.walk(tree) if isinstance(n, ast.arguments)
                  for a in [*n.posonlyargs, *n.args, *n.kwonlyargs]}  # fmt: skip
    callers = entries | parameters

    def calls_solution(node: ast.AST) -> bool:
        return any(isinstance(n, ast.Call) and _root_name(n.func) in callers for n, _ in _depth_first(node))

    def outside_solution_arguments(node: ast.AST):
        if isinstance(node, ast.Call) and _root_name(node.func) in callers:
            yield from outside_solution_arguments(node.func)  # the arguments are the solution's inputs
            return
        yield node
        for child in ast.iter_child_nodes(node):
            yield from outside_solution_arguments(child)

    judging: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            judging.add(node.value.id)
        if isinstance(node, ast.Assert | ast.If | ast.While | ast.IfExp):
            outside = list(outside_solution_arguments(node.test))
            called = {id(n.func) for n in outside if isinstance(n, ast.Call)}
            # with a call of the solution in the condition, every other name there judges it; without one, a
            # function called there is itself under test (`assert Counter(letters("ab")) == ...`)
            judges_all = calls_solution(node.test)
            judging.update(n.id for n in outside if isinstance(n, ast.Name) and (judges_all or id(n) not in called))
        if isinstance(node, ast.Call) and _root_name(node.func) not in callers and any(
            calls_solution(argument) for argument in [*node.args, *(k.value for k in node.keywords)]
        ):
            judging.add(_root_name(node.func) or "")
    return judging - bound - entries


def _is_function_reference(node: ast.AST) -> bool:
    """``gcd`` or ``Solution().gcd``: a function taken by reference (an alias of the function under test), not
    ``gcd(6, 4)`` (the tests may compute expected values with a trusted helper) nor ``math.pi``."""
    return isinstance(node, ast.Name) or (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Call))


def _rank(name: str) -> int:
    """0: only the solution can supply it; 1: a standard helper or module name; 2: a built-in."""
    if hasattr(builtins, name):
        return 2
    return 1 if _helper(name) is not None or _module(name) is not None else 0


def _depth_first(node: ast.AST, depth: int = 0):
    yield node, depth
    for child in ast.iter_child_nodes(node):
        yield from _depth_first(child, depth + 1)


def _module(name: str):
    """The module a bare name denotes when the test code forgot its import, imported here; None if it is none."""
    real = MODULE_ALIASES.get(name, name)
    if real not in sys.stdlib_module_names and real not in MODULE_ALIASES.values():
        try:
            if importlib.util.find_spec(real) is None:
                return None
        except (ImportError, ValueError):
            return None
    try:
        return importlib.import_module(real)
    except Exception:  # noqa: BLE001 - not importable here: not a module name after all
        return None


def _helper(name: str):
    for module_name in HELPER_MODULES:
        module = sys.modules.get(module_name) or importlib.import_module(module_name)
        if not name.startswith("_") and hasattr(module, name):
            return getattr(module, name)
    return None


_MISSING = object()


class CheckNamespace(dict):
    """The harness's globals; ``fetch(name)`` asks the solution for one of its globals (NameError if undefined)."""

    def __init__(self, fetch, entries: set[str], judging: set[str] = frozenset()):
        super().__init__(__name__="__main__", __builtins__=builtins)
        self._fetch = fetch
        self._entries = frozenset(entries)
        self._judging = frozenset(judging)
        self._from_solution: set[str] = set()  # decided once per name (a module search costs a path scan)

    def __missing__(self, name: str):
        if name.startswith("__"):
            raise KeyError(name)
        if name in self._entries or name in self._from_solution:
            return self._fetch(name)  # fetched on every use: the harness may rebind nothing of the solution's
        if hasattr(builtins, name):
            raise KeyError(name)  # the interpreter goes on to the builtins
        for trusted in (_module, _helper):
            value = trusted(name)
            if value is not None:
                dict.__setitem__(self, name, value)
                return value
        if name in self._judging:
            raise NameError(f"name {name!r} is not defined by the tests (a name they judge with is never the solution's)")
        self._from_solution.add(name)
        return self._fetch(name)

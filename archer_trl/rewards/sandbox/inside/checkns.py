"""Where each name of an assert harness comes from (standard library only). The trainer runs `analyze` on the test
code before a row is used; the check process resolves names with `CheckNamespace`.

Only the test's *entry points* come from the solution: the row's declared function name (then nothing else, but
the class of a declared method, ``check(Solution().add)``), else the functions the test passes to its own
``check(...)`` or aliases (``candidate = find``), and, for bare asserts with none of those, the one function they
call or call as a statement (the innermost callee nothing trusted supplies), or, when the asserts call nothing,
the one function their setup assigns from (``b = make()``). A built-in's or standard helper's name is
never taken from the solution next to another function or a declared name (``check(sort_numbers, sorted)``,
``reference = max``): only when it is the one function passed (``candidate = gcd``) or, in bare asserts that call
nothing else, the one function called on the tested side that no assert uses on the expected side (``assert lcm(a, b)
== a * b // gcd(a, b)`` tests ``lcm``, and ``gcd`` is the check process's own); two such functions make the row
unjudgeable. Entry points are the solution's before any built-in of that name (a solution's ``sum`` is judged; a
``pass`` program does not pass a test of ``pow``).
Everything else is never the solution's: built-ins, modules the test forgot to import (``math.isclose``) and public
names of standard helper modules (``isclose``, ``gcd``, ``Counter``) are the check process's own, and any other name
the test neither defines nor imports (a checker that receives the solution's result, ``poly(xs, candidate(xs))`` or
``is_valid(x, out)``; an input builder such as ``encode_cyclic``; a ``TreeNode`` class; an uninstalled ``scipy``)
makes the row unjudgeable: the trainer scores it None from the test data alone, before any program runs.
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


def _bound_names(tree: ast.AST, parameters: bool = True) -> set[str]:
    """Every name the harness binds anywhere (assignment, def, class, import, parameter, except, match, for)."""
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg) and parameters:
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


def analyze(harness: str, declared: str | None = None) -> tuple[set[str], set[str]]:
    """``(entry points, unresolved names)`` of a harness (see the module docstring); a harness that does not parse
    is unresolved as a whole."""
    entries = {declared} if declared else set()
    try:
        tree = ast.parse(harness)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return entries, {"<the test code does not parse>"}
    bound = _bound_names(tree)
    defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    parameters = {a.arg for n in ast.walk(tree) if isinstance(n, ast.arguments)
                  for a in [*n.posonlyargs, *n.args, *n.kwonlyargs]}  # fmt: skip
    assigned = _bound_names(tree, parameters=False)  # `check(add, make)` passes `make` though a parameter has its name
    passed: dict[str, int] = {}  # check(add), check(candidate=add), check(Solution().add), candidate = gcd
    for node in ast.walk(tree):
        values = []
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in defined:
            values = [*node.args, *(k.value for k in node.keywords)]
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.NamedExpr) and node.value is not None:
            values = [node.value]
        for value in values:
            name = _root_name(value) if _is_function_reference(value) else None
            if name and name not in assigned and (not declared or _method_of(value, declared)):
                passed[name] = _rank(name)
    # a name only a solution can supply; a helper's or built-in's name (`check(sort_numbers, sorted)`,
    # `reference = max`) only when it is the one function passed and nothing is declared (`candidate = gcd`)
    unresolved = {name for name, rank in passed.items() if rank > 0}
    entries |= {name for name, rank in passed.items() if rank == 0}
    if not entries and len(unresolved) == 1:
        entries, unresolved = unresolved, set()
    elif entries:
        unresolved = set()  # the trusted ones: never the solution's
    if not entries and not unresolved:  # bare asserts (MBPP, verl): the one function they call that nothing
        found = _called_under_test(tree, bound, parameters)  # trusted supplies
        # one function under test, or the row cannot say which of its undefined functions checks the other
        # (`r = fill(x); assert is_valid(r)`): then none is the solution's and the row is unjudgeable
        entries = found if len(found) == 1 else set()
        unresolved = found - entries
    free = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    unresolved |= {name for name in free - bound - entries if not name.startswith("__") and _rank(name) == 0}
    return entries, unresolved


def modules_used(harness: str) -> set[str]:
    """The top-level modules a harness imports or uses without importing them (``np.array`` with no import)."""
    try:
        tree = ast.parse(harness)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    imported = {alias.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for alias in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
                 and not n.level}  # fmt: skip
    bound = _bound_names(tree)
    # a forgotten import is a name used as a module (`np.array`); a called name may be the solution's `tabulate`
    free = {n.value.id for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)}
    return imported | {
        MODULE_ALIASES.get(name, name) for name in free - bound if _helper(name) is None and _is_module(name)
    }


def _called_under_test(tree: ast.AST, bound: set[str], parameters: set[str]) -> set[str]:
    """The functions bare asserts test: a function called as a statement (``sort_it(xs)``), else per assert its
    innermost callee nothing trusted supplies; a helper's or built-in's name only when no assert calls anything
    else, and then only a callee on the tested side (``assert lcm(a, b) == a * b // gcd(a, b)`` tests ``lcm``) that
    no assert uses as a reference on the expected side (``gcd``)."""
    solution = _Solution(tree, parameters)
    found: set[str] = set()
    for call in (n.value for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)):
        name = call.func.id if isinstance(call.func, ast.Name) else None
        if name and name not in bound and not solution.feeds(call) and _rank(name) == 0:
            found.add(name)  # sort_it(xs): in place, under test
    asserts = [n for n in ast.walk(tree) if isinstance(n, ast.Assert) and not solution.reaches(n.test)]
    compared = [a.test for a in asserts if isinstance(a.test, ast.Compare)
                and (_callees(a.test.left, bound, 1) or _callees(a.test.left, bound, 2))]  # fmt: skip
    references = {name for test in compared for side in test.comparators for rank in (1, 2)
                  for name, _ in _callees(side, bound, rank)}  # fmt: skip
    assigned = {name for node in ast.walk(tree) for target, value in _assignments(node)
                if value is not None and not isinstance(node, ast.For | ast.AsyncFor | ast.comprehension)
                for name, _ in _callees(value, bound, 0)}  # fmt: skip
    for rank in (0, 1, 2):  # per assert its innermost callee of the best rank
        if rank and not found and len(assigned) == 1:
            break  # `r = solve(5)` then `assert abs(r - 2.5) < 1e-9`: the built-in only inspects the result
        for node in asserts:
            tested = node.test
            if rank and isinstance(tested, ast.Compare) and _callees(tested.left, bound, rank):
                tested = tested.left
            callees = [(-depth, order, name) for order, (name, depth) in enumerate(_callees(tested, bound, rank))
                       if rank == 0 or name not in references]  # fmt: skip
            found.update(name for _, _, name in sorted(callees)[:1])
        if found:  # a helper's or built-in's name is under test only when nothing else is
            break
    if not found:  # `b = make()` then `assert b.size == 3`: the asserts call nothing, the assignments call one
        found = assigned if len(assigned) == 1 else set()
    return found


def _callees(node: ast.AST, bound: set[str], rank: int) -> list[tuple[str, int]]:
    """(name, depth) of every call of a bare name of that rank the harness does not bind, depth first."""
    return [(n.func.id, depth) for n, depth in _depth_first(node) if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Name) and n.func.id not in bound and _rank(n.func.id) == rank]  # fmt: skip


def _method_of(value: ast.AST, declared: str) -> bool:
    """With a declared entry point, the only thing passed that is the solution's: ``Solution().declared``."""
    return isinstance(value, ast.Attribute) and value.attr == declared


class _Solution:
    """Which expressions of the harness hold something the solution produced: calls of an entry point (or of a
    parameter such as ``candidate``) and variables assigned from them, followed to a fixed point."""

    def __init__(self, tree: ast.AST, callers: set[str]):
        self.callers, self.tainted = callers, set()
        for _ in range(10):
            before = len(self.tainted)
            for node in ast.walk(tree):
                for target, value in _assignments(node):
                    if value is not None and self.reaches(value):
                        self.tainted.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
            if len(self.tainted) == before:
                break

    def reaches(self, node: ast.AST) -> bool:
        return any((isinstance(n, ast.Call) and _root_name(n.func) in self.callers)
                   or (isinstance(n, ast.Name) and n.id in self.tainted) for n in ast.walk(node))  # fmt: skip

    def feeds(self, call: ast.Call) -> bool:
        """Whether the call is handed something the solution produced (then it judges, it is not under test)."""
        return any(self.reaches(a) for a in [*call.args, *(k.value for k in call.keywords)])


def _assignments(node: ast.AST):
    if isinstance(node, ast.Assign):
        yield from ((target, node.value) for target in node.targets)
    elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
        yield node.target, node.value
    elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
        yield node.target, node.iter
    elif isinstance(node, ast.withitem) and node.optional_vars is not None:
        yield node.optional_vars, node.context_expr


def _is_function_reference(node: ast.AST) -> bool:
    """``gcd`` or ``Solution().gcd``: a function taken by reference (an alias of the function under test), not
    ``gcd(6, 4)`` (the tests may compute expected values with a trusted helper) nor ``math.pi``."""
    return isinstance(node, ast.Name) or (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Call))


def _rank(name: str) -> int:
    """0: only the solution can supply it; 1: a standard helper or module name; 2: a built-in."""
    if hasattr(builtins, name):
        return 2
    return 1 if _helper(name) is not None or _is_module(name) else 0


def _depth_first(node: ast.AST, depth: int = 0):
    yield node, depth
    for child in ast.iter_child_nodes(node):
        yield from _depth_first(child, depth + 1)


def _is_module(name: str) -> bool:
    """Whether a bare name is an importable top-level module (found, never imported: the trainer asks this too)."""
    real = MODULE_ALIASES.get(name, name)
    if real in sys.stdlib_module_names or real in MODULE_ALIASES.values():
        return True
    try:
        return importlib.util.find_spec(real) is not None
    except (ImportError, ValueError):
        return False


def _module(name: str):
    """The module a bare name denotes when the test code forgot its import, imported here; None if it is none."""
    real = MODULE_ALIASES.get(name, name)
    if not _is_module(name):
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


class CheckNamespace(dict):
    """The harness's globals; ``fetch(name)`` asks the solution for one of its globals (NameError if undefined)."""

    def __init__(self, fetch, entries: set[str]):
        super().__init__(__name__="__main__", __builtins__=builtins)
        self._fetch = fetch
        self._entries = frozenset(entries)

    def __missing__(self, name: str):
        if name.startswith("__"):
            raise KeyError(name)
        if name in self._entries:
            return self._fetch(name)  # fetched on every use: the harness may rebind nothing of the solution's
        if hasattr(builtins, name):
            raise KeyError(name)  # the interpreter goes on to the builtins
        for trusted in (_module, _helper):
            value = trusted(name)
            if value is not None:
                dict.__setitem__(self, name, value)
                return value
        raise NameError(f"name {name!r} is not defined by the tests (only entry points are the solution's)")

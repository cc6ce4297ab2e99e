"""The package's shape, checked statically: file sizes, the rewards folder, no import cycles, no upward arrows.

Every import counts, also the ones inside functions (a lazy import is still a dependency a reader must follow).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_PACKAGE_FILE_LINES = 450
MAX_REWARDS_TOP_MODULES = 8

# (importer prefix, imported prefix): a module under the first may not import anything under the second.
FORBIDDEN = [
    ("archer_trl.rewards.sandbox", "archer_trl.rewards.code"),
    ("archer_trl.rewards.sandbox", "archer_trl.rewards.math"),
    ("archer_trl.rewards.math", "archer_trl.rewards.code"),
    ("archer_trl.rewards.math", "archer_trl.rewards.sandbox"),
    ("archer_trl.rewards.code", "archer_trl.rewards.math"),
    *[("archer_trl.rewards", upper) for upper in ("archer_trl.trainer", "archer_trl.config", "archer_trl.cli",
                                                  "archer_trl.evaluation", "archer_trl.inspect", "archer_trl.tasks")],
    *[("archer_trl.tasks", upper) for upper in ("archer_trl.cli", "archer_trl.evaluation", "archer_trl.trainer")],
    ("archer_trl.cli.train", "archer_trl.evaluation"),  # both read data through archer_trl.tasks.loading
    *[("archer_trl.evaluation", upper) for upper in ("archer_trl.cli", "archer_trl.trainer")],
    *[("archer_trl.core_algos", ours) for ours in ("archer_trl.cli", "archer_trl.config", "archer_trl.trainer",
        "archer_trl.rewards", "archer_trl.tasks", "archer_trl.evaluation", "archer_trl.inspect")],
    *[("archer_trl", outside) for outside in ("benchmarks", "scripts", "tests", "examples")],
]  # fmt: skip


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules(*tops: str) -> dict[str, Path]:
    found = {}
    for top in tops:
        for path in sorted((ROOT / top).rglob("*.py")):
            found[_module_name(path)] = path
    return found


def _imports(name: str, path: Path, known: set[str], private: list[str] | None = None) -> set[str]:
    """The modules of ours that ``name`` imports; with ``private``, also collect every private name it takes from
    one of them (``from x import _y`` or ``x._y``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    script_dir = ".".join(path.relative_to(ROOT).parts[:-1])  # scripts import their neighbours by bare name
    in_package = (path.parent / "__init__.py").is_file()

    def resolve(candidate: str, relative: bool) -> str | None:
        if not in_package and not relative and f"{script_dir}.{candidate}" in known:
            return f"{script_dir}.{candidate}"
        # the longest known module the name falls in: `from .x import f` is module x, `from . import x` is x
        while candidate and candidate not in known:
            candidate = candidate.rpartition(".")[0]
        return candidate or None

    tree = ast.parse(path.read_text(encoding="utf-8"))
    targets, ours = set(), {}  # ours: local names bound to a module of ours
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bound = [((a.asname or a.name).split(".")[0], a.name if a.asname else a.name.split(".")[0], a.name)
                     for a in node.names]  # fmt: skip
            relative, pairs = False, [(local, module, full) for local, module, full in bound]
        elif isinstance(node, ast.ImportFrom):
            relative = node.level > 0
            if relative:
                anchor = package.split(".")
                base = ".".join(anchor[: len(anchor) - (node.level - 1)] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            pairs = [(a.asname or a.name, f"{base}.{a.name}", f"{base}.{a.name}") for a in node.names]
            if private is not None and resolve(base, relative) is not None:
                private += [f"{name} takes {a.name} from {base}" for a in node.names
                            if a.name.startswith("_") and not a.name.startswith("__")]  # fmt: skip
        else:
            continue
        for local, module, full in pairs:
            target = resolve(full, relative)
            if target is not None and target != name:
                targets.add(target)
            if resolve(module, relative) == module or (not in_package and resolve(module, relative)):
                ours[local] = resolve(module, relative)
    if private is not None:
        for node in ast.walk(tree):
            attribute = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            if attribute and node.value.id in ours and node.attr.startswith("_") and not node.attr.startswith("__"):
                private.append(f"{name} takes {node.attr} from {ours[node.value.id]}")
    return targets


def node_is_relative(node: ast.AST) -> bool:
    return isinstance(node, ast.ImportFrom) and node.level > 0


def _graph() -> dict[str, set[str]]:
    modules = _modules("archer_trl", "benchmarks", "scripts")
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, result, counter = {}, {}, set(), [], [], [0]
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    result.append(sorted(component))
    return result


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_takes_private_names_from_another():
    modules = _modules("archer_trl", "benchmarks", "scripts")
    private: list[str] = []
    for name, path in modules.items():
        _imports(name, path, set(modules), private)
    assert private == []


def test_no_upward_arrows():
    graph = _graph()
    wrong = sorted(
        f"{source} imports {target}"
        for source, targets in graph.items()
        for target in targets
        for low, high in FORBIDDEN
        if (source == low or source.startswith(low + ".") or (low.endswith(".") and source.startswith(low)))
        and (target == high or target.startswith(high + ".") or (high.endswith(".") and target.startswith(high)))
    )
    assert wrong == []


@pytest.mark.parametrize("path", sorted((ROOT / "archer_trl").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_package_files_stay_readable(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_PACKAGE_FILE_LINES


def test_rewards_top_level_is_small_and_the_sandbox_has_its_own_folder():
    rewards = ROOT / "archer_trl" / "rewards"
    assert len(list(rewards.glob("*.py"))) <= MAX_REWARDS_TOP_MODULES
    assert (rewards / "sandbox" / "__init__.py").is_file() and not list(rewards.glob("*sandbox*.py"))

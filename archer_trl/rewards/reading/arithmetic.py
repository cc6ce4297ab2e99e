"""Arithmetic a chain of a formula states, checked where it can be without a parser (the trainer's process reads
these, so only what the standard library evaluates at once): a residue ("$2^{100} \\equiv 4 \\equiv \\boxed{2}
\\pmod 7$": 4 is a false step, round 46) and an approximation ("$\\sqrt{11} \\approx \\boxed{3.2}$" where the
question asks for $\\sqrt{10}$ rounded, round 46). None wherever the text is more than integers, decimals, +, -,
products, quotients, powers, square roots, \\pi and \\frac."""

from __future__ import annotations

import ast
import math
import re


def _plain(tex: str) -> str:
    return re.sub(r"\\left|\\right|\\[,;: !]|[\s$]", "", tex)


def residue(tex: str, n: int) -> int | None:
    """``tex`` (integers, +, -, products, powers, parentheses) modulo ``n``; None for anything else."""
    python = (
        re.sub(r"\\(?:cdot|times)", "*", _plain(tex).replace("{", "(").replace("}", ")"))
        .replace("^", "**")
        .replace("−", "-")
    )
    if not re.fullmatch(r"[\d+\-*()]+", python):
        return None
    try:
        return _mod(ast.parse(python, mode="eval").body, n)
    except (SyntaxError, ValueError, RecursionError, TypeError, MemoryError, ZeroDivisionError):
        return None


def _mod(node: ast.AST, n: int) -> int:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value % n
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        return (-1 if isinstance(node.op, ast.USub) else 1) * _mod(node.operand, n) % n
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        return pow(_mod(node.left, n), _exponent(node.right), n)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult):
        left, right = _mod(node.left, n), _mod(node.right, n)
        return {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right}[type(node.op)] % n
    raise ValueError("not modular arithmetic")


def _exponent(node: ast.AST) -> int:
    """An exponent's exact value: a plain non-negative integer or a power of two of them, of reasonable size."""
    if isinstance(node, ast.Constant) and type(node.value) is int and 0 <= node.value <= 10**18:
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        base, power = _exponent(node.left), _exponent(node.right)
        if power <= 64 and base**power <= 10**18:
            return base**power
    raise ValueError("an exponent out of reach")


def approximate(tex: str) -> float | None:
    """The real value of ``tex`` (see the module), or None."""
    # a unit inside ("5 \\text{ packs} \\times 4"), a thousands separator ("1{,}200"): not the arithmetic (round 48)
    python = _plain(re.sub(r"\\(?:text|mathrm|mbox)\s*\{[^{}]*\}(?:\s*\^\s*\{?\s*\d\s*\}?)?", "", tex))
    if re.search(r"\\[lcv]?dots|\\ldots|\\cdots|\d\s*\\[dt]?frac|\{,\}(?!\d{3}(?!\d))", python):
        return None  # "1 + 2 + \\cdots + 100", a mixed number "2\\tfrac{1}{2}", a decimal comma "3{,}5": not read
    python = python.replace("{,}", "")  # a thousands separator: "1{,}200"
    for _ in range(8):  # nested fractions and roots, inside out
        python = re.sub(r"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}", r"((\1)/(\2))", python)
        python = re.sub(r"\\sqrt\{([^{}]*)\}", r"sqrt(\1)", python)
    python = re.sub(r"\\(?:cdot|times)|×", "*", python).replace("\\pi", "pi").replace("^", "**").replace("−", "-")
    python = re.sub(r"\\div|÷", "/", python)
    python = python.replace("{", "(").replace("}", ")")
    python = re.sub(r"(\d|\))(?=pi|sqrt|\()", r"\1*", python)  # 4\pi, 2\sqrt{3}, 2(3)
    if not re.fullmatch(r"(?:[\d.+\-*/()]|pi|sqrt)+", python):
        return None
    try:
        value = _real(ast.parse(python, mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError, OverflowError, RecursionError, TypeError, MemoryError):
        return None
    return value if isinstance(value, float) and math.isfinite(value) else None  # (-8)^{0.5} is complex: None


def _real(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return float(node.value)
    if isinstance(node, ast.Name) and node.id == "pi":
        return math.pi
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "sqrt" and len(node.args) == 1:
        return math.sqrt(_real(node.args[0]))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        return -_real(node.operand) if isinstance(node.op, ast.USub) else _real(node.operand)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div | ast.Pow):
        left, right = _real(node.left), _real(node.right)
        if isinstance(node.op, ast.Pow):
            if abs(right) > 64 or abs(left) > 1e6:
                raise ValueError("a power out of reach")
            return left**right
        if isinstance(node.op, ast.Div):
            return left / right if right else math.inf
        return (
            left + right
            if isinstance(node.op, ast.Add)
            else left - right
            if isinstance(node.op, ast.Sub)
            else left * right
        )
    raise ValueError("not arithmetic")


def _decimals_slack(written: str) -> float:
    """Half a unit of the last decimal a number is written to ("0.33": 0.005), or a hair for an exact form."""
    decimals = re.findall(r"\d+\.(\d+)", written)
    return 0.5 * 10.0 ** -min(map(len, decimals)) if decimals else 0.0


def states_false_arithmetic(text: str) -> bool:
    """Whether the answer (after the last ``</think>``) shows an equation of plain numbers that is false beyond the
    precision it is written to: "$$5 \\cdot 12 = 50$$", "$15^2 = 215 + 10 = 235 - 10 = \\boxed{225}$" (red-team round
    49: only the box's own chain was checked). A formula with a unit, a modulus, an inequality or an approximation is
    not judged ("$1 \\text{ km} = 1000 \\text{ m}$")."""
    section = text.rpartition("</think>")[2]
    for match in re.finditer(r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|(?<![\\$])\$([^$]+)\$", section, re.DOTALL):
        formula = next(group for group in match.groups() if group is not None)
        if len(formula) > 400 or re.search(
            r"\\(?:text|mathrm|mbox|operatorname|[pb]?mod|approx|[lg]eq?|neq?)|[<>≈≤≥%]", formula
        ):
            continue
        if not chain_holds(re.split(r"(?<![<>!])=", formula)):
            return True
    return False


def chain_holds(sides: list[str]) -> bool:
    """Whether each link of ``a = b = c`` that is plain arithmetic equals the next such link, to the precision it is
    written; a run-on calculation ("3 \\times 4 = 12 + 5 = 17", common in GSM8K answers) goes on from the value it
    reached, so a link that opens with the previous value and an operator starts a new comparison."""
    known = [(approximate(side), side) for side in sides]
    known = [(value, side) for value, side in known if value is not None]
    for (first, first_text), (second, second_text) in zip(known, known[1:]):
        slack = max(_decimals_slack(first_text), _decimals_slack(second_text), 1e-9 * max(1.0, abs(first)))
        if abs(first - second) <= slack:
            continue
        opening = re.match(r"\s*(\d+(?:\.\d+)?)\s*(?:[-+*/×÷]|\\(?:times|cdot|div))", second_text)
        if opening is None or abs(float(opening.group(1)) - first) > slack:
            return False
    return True

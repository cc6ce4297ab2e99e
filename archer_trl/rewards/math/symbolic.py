"""Symbolic equivalence of expressions the typed parser has already understood, with sympy as the engine.

`parse.scalar` has checked every token of an expression before it gets here, so latex2sympy (math-verify's
parser) sees only TeX it reads whole; it raises rather than drops on anything else, and a failure is a wrong
answer. ``i`` is the imaginary unit. Every call is bounded by `deadline` (SIGALRM in the worker's main thread; the
pool's hard deadline kills a worker stuck in C code).
"""

from __future__ import annotations

import contextlib
import re
import signal
import threading
from collections.abc import Iterator
from fractions import Fraction
from functools import lru_cache
from typing import Any

DIGITS = 40  # precision of numeric evaluation; relative agreement below `RELATIVE` is equality
RELATIVE = Fraction(1, 10**25)
MAX_POWER_DIGITS = 10_000  # 9^{9^{9}} is no answer a grader should expand


class Timeout(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise `Timeout` after ``seconds`` (main thread only; elsewhere unbounded, as the pool bounds it)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@lru_cache(maxsize=8192)
def to_sympy(tex: str) -> Any | None:
    """The sympy expression of ``tex``, or None if latex2sympy cannot read all of it (or it is a relation/set)."""
    import sympy
    from latex2sympy2_extended import latex2sympy
    from latex2sympy2_extended.latex2sympy2 import ConversionConfig

    tex = explicit_products(tex)
    try:
        # case matters: X and x are different variables (latex2sympy lowercases them by default)
        expression = latex2sympy(tex, conversion_config=ConversionConfig(lowercase_symbols=False))
    except Exception:  # noqa: BLE001 - any parse failure means the answer is not understood
        return None
    if not isinstance(expression, sympy.Expr):
        return None
    if expression.has(sympy.Limit, sympy.Sum, sympy.Product, sympy.Integral, sympy.Derivative):
        expression = expression.doit()  # \\lim_{x \\to 5} x is the value 5 (bounded by the worker's deadline)
    # a decimal in an expression is the exact number it writes (2^{0.5} is sqrt 2), not a binary float
    expression = expression.replace(lambda e: e.is_Float, lambda e: sympy.Rational(str(e)))
    # an odd root of a negative number is the real one (\sqrt[3]{-8} is -2, not a complex principal root)
    expression = expression.replace(
        lambda e: e.is_Pow and e.base.is_number and e.base.is_negative and e.exp.is_Rational and e.exp.q % 2 == 1,
        lambda e: sympy.real_root(e.base**e.exp.p, e.exp.q),
    )
    symbols = {s.name: s for s in expression.free_symbols}
    if "i" in symbols:
        expression = expression.subs(symbols["i"], sympy.I)
    if any(isinstance(p, sympy.Pow) and _huge(p) for p in sympy.preorder_traversal(expression)):
        return None
    try:  # latex2sympy builds unevaluated terms: 5 + x - x is 5 once evaluated (huge powers were refused above)
        return expression.doit()
    except Exception:  # noqa: BLE001
        return expression


def explicit_products(tex: str) -> str:
    """Products written by juxtaposition with a parenthesised factor, made explicit: latex2sympy reads ``(3)(4)``
    as 7, ``2(3)`` as 5 and ``\\binom{5}{2}(3)`` as 13 (red-team round 30: sums paid for products). A letter before a
    parenthesis stays a function call (``f(3)``)."""
    tex = re.sub(r"\\left\s*\(", "(", re.sub(r"\\right\s*\)", ")", tex))
    tex = re.sub(r"\)\s*(?=[(\d])", r")\\cdot ", tex)  # (3)(4), (3)4
    tex = re.sub(r"(?<![A-Za-z_^])(\d+(?:\.\d+)?)\s*(?=\()", r"\1\\cdot ", tex)  # 2(3), not x_2(3) or 10^2(3)
    group = r"\{(?:[^{}]|\{[^{}]*\})*\}"
    return re.sub(rf"(\\(?:[dt]?frac|binom)\s*{group}\s*{group}|\\sqrt\s*{group})\s*(?=\()", r"\1\\cdot ", tex)


def _huge(power: Any) -> bool:
    """A power whose value has more digits than any answer needs (its exact evaluation could take minutes)."""
    import sympy

    base, exponent = power.as_base_exp()
    if not (base.is_number and exponent.is_number):
        return False
    try:
        size = abs(sympy.N(exponent * sympy.log(sympy.Abs(base) + 1, 10), 5))
        return bool(size > MAX_POWER_DIGITS)
    except Exception:  # noqa: BLE001
        return True


def numeric(tex: str) -> Fraction | complex | None:
    """The exact-enough value of a constant expression (`DIGITS` significant digits), None if it has variables."""
    import sympy

    expression = to_sympy(tex)
    if expression is None or expression.free_symbols:
        return None
    try:
        value = sympy.N(expression, DIGITS)
        real, imaginary = value.as_real_imag()
        if imaginary != 0:
            return complex(real, imaginary)
        if not real.is_finite:
            return None
        return Fraction(str(sympy.Float(real, DIGITS)))
    except Exception:  # noqa: BLE001 - e.g. zoo, nan, an unevaluated function
        return None


def close(a: Fraction, b: Fraction) -> bool:
    return a == b or abs(a - b) <= RELATIVE * max(abs(a), abs(b))


def equal(gold_tex: str, answer_tex: str) -> bool:
    """Whether two understood expressions are equal for all values of their variables."""
    import sympy

    gold, answer = to_sympy(gold_tex), to_sympy(answer_tex)
    if gold is None or answer is None:
        return False
    if gold == answer:
        return True
    if not gold.free_symbols and not answer.free_symbols:
        return same_constant(gold, answer)
    if _differs_at_a_point(gold, answer):
        return False
    try:
        return sympy.simplify(gold - answer) == 0
    except Exception:  # noqa: BLE001
        return False


def equals_number(tex: str, value: Fraction) -> bool:
    """Whether the constant expression ``tex`` is exactly ``value`` (``\\sqrt{4}`` is 2; ``\\cos(10^{-13})`` is
    not 1)."""
    import sympy

    expression = to_sympy(tex)
    if expression is None or expression.free_symbols:
        return False
    return same_constant(expression, sympy.Rational(value.numerator, value.denominator))


def same_constant(a: Any, b: Any) -> bool:
    """Exact equality of two constant expressions: their difference, evaluated to `DIGITS` significant digits of
    its own (sympy's evalf refines until the difference itself is accurate, so 10^{-30} or e^{pi sqrt 163} minus
    its nearest integer show as non-zero), must vanish, and then sympy must prove it zero. Undecided is unequal."""
    import sympy

    difference = a - b
    if difference == 0:
        return True
    try:
        value = sympy.N(difference, DIGITS, maxn=400)
        if value != 0 and value.is_comparable is not False and abs(complex(value)) > 0:
            precise = value.as_real_imag()
            if any(part != 0 and getattr(part, "_prec", 0) > 1 for part in precise):
                return False
        return sympy.simplify(difference) == 0 or difference.equals(0) is True
    except Exception:  # noqa: BLE001 - an evaluation sympy cannot finish or decide: not shown equal
        return False


def _differs_at_a_point(gold: Any, answer: Any) -> bool:
    """A quick refutation: the two differ clearly at some rational point (most wrong answers end here)."""
    import sympy

    symbols = sorted(gold.free_symbols | answer.free_symbols, key=lambda s: s.name)
    for shift in (Fraction(3, 7), Fraction(11, 5)):
        point = {s: sympy.Rational(shift + k, 1) for k, s in enumerate(symbols)}
        try:
            difference = complex(sympy.N((gold - answer).subs(point), 30))
            scale = abs(complex(sympy.N(gold.subs(point), 30))) + 1
        except Exception:  # noqa: BLE001 - undefined at the point: try another
            continue
        if abs(difference) > 1e-9 * scale:
            return True
    return False


def proportional(gold: tuple[str, str], answer: tuple[str, str]) -> Fraction | None:
    """For relations ``l1 op r1`` and ``l2 op r2``: the constant c with (l1 - r1) = c (l2 - r2), if there is one."""
    import sympy

    parts = [to_sympy(t) for t in (*gold, *answer)]
    if any(p is None for p in parts):
        return None
    left, right = parts[0] - parts[1], parts[2] - parts[3]
    if right == 0:
        return None
    try:
        ratio = sympy.simplify(left / right)
    except Exception:  # noqa: BLE001
        return None
    if ratio.free_symbols or not ratio.is_number or ratio == 0:
        return None
    try:
        return Fraction(str(sympy.nsimplify(ratio)))
    except (ValueError, TypeError):
        return None


CONSTANT = r"(?<![A-Za-z\\_]){}(?![A-Za-z_])"
OTHER_CONSTANT = re.compile(CONSTANT.format(r"(?:C_\{?\d\}?|K|c)"))
INTEGER_PARAMETERS = ("k", "n", "m")  # x = \\frac{\\pi}{4} + k\\pi: any integer k


def equal_but_for_names(gold: str, answer: str) -> bool:
    """Equal once the answer's arbitrary names are the gold's: a constant of integration ``+ K``, ``+ c``, ``+ C_1`` for
    the gold's ``+ C`` (then antiderivatives that differ by a constant, ``-\\frac14\\cos 2x + C`` for
    ``\\frac12\\sin^2 x + C``, are equal: their derivatives are), or an integer parameter ``n`` for the gold's ``k``."""
    names = set(OTHER_CONSTANT.findall(answer))
    if len(names) == 1 and re.search(CONSTANT.format("C"), gold) and not re.search(CONSTANT.format("C"), answer):
        name = re.escape(names.pop())
        if not re.search(CONSTANT.format(name), gold):
            answer = re.sub(CONSTANT.format(name), "C", answer)
    both_constant = re.search(CONSTANT.format("C"), gold) and re.search(CONSTANT.format("C"), answer)
    if both_constant and (equal(gold, answer) or _same_derivative(gold, answer)):
        return True
    gold_parameters = [p for p in INTEGER_PARAMETERS if re.search(CONSTANT.format(p), gold)]
    answer_parameters = [p for p in INTEGER_PARAMETERS if re.search(CONSTANT.format(p), answer)]
    periodic = "\\pi" in gold and "\\pi" in answer  # round 31: k^2 where k = n + 1 is no renamed n
    if periodic and len(gold_parameters) == 1 and len(answer_parameters) == 1 and gold_parameters != answer_parameters:
        renamed = re.sub(CONSTANT.format(answer_parameters[0]), gold_parameters[0], answer)
        return equal(gold, renamed) or _same_family(gold, renamed, gold_parameters[0])
    if periodic and gold_parameters and gold_parameters == answer_parameters:
        return _same_family(gold, answer, gold_parameters[0])
    return False


def _same_family(gold_tex: str, answer_tex: str, name: str) -> bool:
    """``\\frac{\\pi}{4} - k\\pi`` and ``\\frac{5\\pi}{4} + k\\pi`` for ``\\frac{\\pi}{4} + k\\pi``: one set over all integers k,
    written with the parameter negated or shifted by a few steps (round 31)."""
    import sympy

    gold, answer = to_sympy(gold_tex), to_sympy(answer_tex)
    if gold is None or answer is None:
        return False
    k = sympy.Symbol(name)
    try:
        return any(
            sympy.simplify(gold - answer.subs(k, sign * k + shift)) == 0 for sign in (1, -1) for shift in range(-2, 3)
        )
    except Exception:  # noqa: BLE001
        return False


def _same_derivative(gold_tex: str, answer_tex: str) -> bool:
    """Two antiderivatives (each ``+ C``, added) of one function: their difference has no variable but C's left. C
    must be added in both (round 31: ``\\frac{C}{x} + 1`` is no solution of the ODE ``\\frac{C}{x}`` solves)."""
    import sympy

    gold, answer = to_sympy(gold_tex), to_sympy(answer_tex)
    if gold is None or answer is None:
        return False
    constant = sympy.Symbol("C")
    if sympy.diff(gold, constant) != 1 or sympy.diff(answer, constant) != 1:
        return False
    variables = (gold.free_symbols | answer.free_symbols) - {constant}
    if len(variables) != 1:
        return False
    (variable,) = variables
    try:
        return sympy.simplify(sympy.diff(gold - answer, variable)) == 0
    except Exception:  # noqa: BLE001
        return False


def holds_modulo(tex: str, residue: int, modulus: int) -> bool:
    """Whether the integer ``tex`` states (``2^{100}``) leaves ``residue`` modulo ``modulus`` (exactly, not in floats)."""

    value = to_sympy(tex)
    return value is not None and bool(value.is_Integer) and modulus > 0 and int(value) % modulus == residue % modulus

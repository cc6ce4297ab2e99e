"""Judging, in the trusted trainer: the sandbox pool hands every test's reply to a judge made here (`make_judge`),
so the sandbox package never reads expected outputs. stdout is compared line by line (LiveCodeBench style: same number
of lines, each equal after stripping, or token-wise numerically equal, integers exactly); call results arrive as JSON
text and are compared as JSON values; an assert test passes when its check process (which ran the dataset's test code
against the solution over a plain-data channel, ``sandbox/inside/rpc.py``) recorded that the harness ran to its end.

Nothing a program's own interpreter writes can make its verdict better than what the judge reads from it: a reply's
``result`` and ``stdout`` are only compared, the completion record of a stdin or call test can only fail it, and
"cannot be judged" is decided on this side from the test data alone (`check_judgeable`) or reported by an assert
test's check process, which runs no solution code.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable
from decimal import Context, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from ..sandbox.executor import DEFAULT_PACKAGES
from ..sandbox.inside.checkns import analyze, modules_used
from .formats import CodeTestSuite, big_integers, loads_big_integers

OUTPUT_LIMIT = 32 << 20  # bytes of stdout per test: fixed, so the cap (an rlimit a program can read) reveals nothing
RESULT_SLACK = 16  # a call result's JSON may be this many times the expected's, plus 64 KiB, before it is wrong


def check_judgeable(
    suite: CodeTestSuite, output_limit: int = OUTPUT_LIMIT, packages: tuple[str, ...] = DEFAULT_PACKAGES
) -> None:
    """ValueError when the test data itself cannot be judged: an expected output larger than the fixed caps, an
    assert harness that needs names it neither defines nor imports (a checker or input builder only the solution
    could supply: `checkns.analyze`), or one that imports a third-party module the sandbox does not offer
    (``packages``). Sets the assert suite's entry points, the only names taken from the solution."""
    if suite.kind == "assert":
        entries, unresolved = analyze(str(suite.harness), suite.fn_name)
        if unresolved:
            raise ValueError(f"the tests use names they neither define nor import: {sorted(unresolved)[:5]}")
        missing = sorted(m for m in modules_used(str(suite.harness)) if m not in sys.stdlib_module_names
                         and m not in {p.split(".")[0] for p in packages})  # fmt: skip
        if missing:
            raise ValueError(f"the tests import {missing[:5]}, which the sandbox does not offer (see `packages`)")
        suite.entry_points = sorted(entries)
    for case in suite.cases:
        size = output_size(case.output)
        if size >= output_limit:
            raise ValueError(f"an expected output of {size} bytes does not fit the {output_limit}-byte output cap")
        if suite.kind == "call":  # the judge compares call results as JSON: a set, bytes or complex cannot be one
            try:
                with big_integers():  # a 6,000-digit integer is a JSON value
                    json.dumps(case.output)
            except (TypeError, ValueError, RecursionError) as error:
                kind = type(error).__name__
                raise ValueError(f"an expected output is no JSON value ({kind}): {str(case.output)[:80]}") from None


class Judge:
    """``judge(suite, index, reply) -> status`` for the sandbox pool: ``pass``, ``wrong``, or the reply's own failure
    (``error``, ``timeout``, ``output_limit``). Total: whatever the program printed or returned (``1e9999999``,
    ``10**400``, deeply nested JSON), a judging error is the program's failure, never an unscored sample. A class, so
    a reward holding one pickles (TRL's rollout workers)."""

    def __init__(self, tolerance: float = 1e-6):
        self.tolerance = tolerance

    def __call__(self, suite: CodeTestSuite, index: int, reply: dict[str, Any]) -> str:
        if reply.get("status") != "ok":
            return str(reply.get("status", "error"))
        expected = suite.cases[index].output
        try:
            if suite.kind == "stdin":
                stdout = reply.get("stdout", b"")
                if isinstance(stdout, bytes | bytearray):
                    # far longer than the expected output cannot match it: not decoded (a string of U+FFFD from
                    # invalid UTF-8 costs four bytes a character in the trainer); the program never sees this bound
                    bound = RESULT_SLACK * len(str(expected).encode()) + (1 << 20)
                    if len(stdout) > bound:  # padding the comparison ignores does not count (red-team round 44)
                        return (
                            "pass" if _padded_stdout_matches(stdout, str(expected), self.tolerance, bound) else "wrong"
                        )
                    stdout = stdout.decode("utf-8", errors="replace")
                return "pass" if stdout_matches(str(stdout), expected, self.tolerance) else "wrong"
            if reply.get("recorded") is not True:  # exited before the end of the test: sys.exit(0), os._exit(0)
                return "error"
            if suite.kind == "call":
                unwrap = suite.wrapped_outputs
                return "pass" if judge_call_result(reply.get("result"), expected, self.tolerance, unwrap) else "wrong"
            return "pass"
        except Exception:  # noqa: BLE001 - see the docstring
            return "wrong"


def _padded_stdout_matches(stdout: bytes, expected: str, tolerance: float, bound: int) -> bool:
    """`stdout_matches` for a stdout past the judge's bound, read in place: its blanks (ends, runs inside a line),
    which the comparison ignores, may make a right answer that long (red-team round 44), but never more than
    ``bound`` of what they separate, and its tokens are read lazily, one more than expected at most, so a hostile
    output costs the trainer no more than the expected one (round 45: collapsing its runs of blanks first cost
    gigabytes for "a a a ...")."""
    blanks = sum(stdout.count(blank) for blank in (b" ", b"\t", b"\r", b"\x0b", b"\x0c", b"\n"))
    if len(stdout) - blanks > bound:
        return False
    want_lines = [line.strip(_WHITESPACE) for line in expected.strip(_WHITESPACE + "\n").split("\n")]
    first, last = _FIRST_CONTENT.search(stdout), _LAST_CONTENT.search(stdout)
    if first is None or last is None:
        return want_lines == [""]
    start, end = first.start(), last.start() + 1
    if stdout.count(b"\n", start, end) != len(want_lines) - 1:
        return False
    for want in want_lines:
        line_end = stdout.find(b"\n", start, end)
        line_end = end if line_end < 0 else line_end
        got_tokens = _TOKEN_BYTES.finditer(stdout, start, line_end)
        for want_match in _TOKEN.finditer(want):
            want_token = want_match.group()
            got = next(got_tokens, None)
            got_token = None if got is None else got.group().decode("utf-8", errors="replace")
            if got_token is None or (got_token != want_token and not tokens_equal(got_token, want_token, tolerance)):
                return False
        if next(got_tokens, None) is not None:
            return False
        start = line_end + 1
    return True


def make_judge(tolerance: float = 1e-6) -> Callable[[CodeTestSuite, int, dict], str]:
    """The code reward's judge (see `Judge`)."""
    return Judge(tolerance)


# ---------------------------------------------------------------------------------------------- comparisons
# Every function below is total: any value a program prints or returns (1e9999999, 10**400, nesting too deep to
# parse) yields False, never an exception, so a program cannot make itself unscored.


def output_size(expected: Any) -> int:
    """Characters of an expected output (sizes the output cap); 0 for a value that does not serialise."""
    try:
        return len(expected) if isinstance(expected, str) else len(json.dumps(expected, default=str))
    except (TypeError, ValueError, RecursionError):
        return 0


def _is_integer_token(token: str) -> bool:
    return _INTEGER.fullmatch(token) is not None


_EXACT = Context(prec=60, Emax=10**6, Emin=-(10**6), traps=[])


def tokens_equal(got: str, want: str, tolerance: float) -> bool:
    """Equal strings, or equal numbers. An integer expected token must be matched exactly (``1000000999.0`` is not
    ``1000000000``; ``5.0`` is ``5``); decimals match within ``tolerance`` (absolute, or relative to the expected),
    and a relative bound never exceeds one unit of the expected token's last decimal place, so a large
    fixed-point answer (``123456789.50``) does not accept a visibly wrong one (``123456900``). The absolute
    ``tolerance`` always holds, as in the usual checkers: an expected ``0.00000045`` accepts ``0`` at 1e-6
    (pass a smaller ``tolerance`` for answers that small)."""
    if got == want:  # exact: "yes" for "YES" would pay a program that echoes its input on a case-changing task
        return True
    if _is_integer_token(want) and (_TEXTUAL.match(want) or not _INTEGRAL.fullmatch(got)):
        # an integer whose text is the answer (`0011`, `+5`) must be that text; any other integer may be matched
        # by its plain form or `5.0`, never by `0005`, `+5`, `5.`, `-0`, an exponent form (`1.1e1`) or a fraction
        return False
    if not (_NUMBER.fullmatch(got) and _NUMBER.fullmatch(want)):
        return False  # numbers only in ASCII digits: Decimal would also read `١٢٣`, `１２３` and `1_234`
    try:
        a, b = Decimal(got), Decimal(want)
        if not (a.is_finite() and b.is_finite()):
            return False
        if a.compare_total(b) == 0 or _EXACT.compare(a, b) == 0:
            return True
        if tolerance <= 0 or _is_integer_token(want):
            return False
        return _within(a, b, tolerance)
    except (InvalidOperation, ValueError, ArithmeticError, OverflowError):
        return False


def _within(got: Decimal, want: Decimal, tolerance: float) -> bool:
    difference = _EXACT.abs(_EXACT.subtract(got, want))
    tol = Decimal(repr(float(tolerance)))
    bound = _EXACT.multiply(tol, max(Decimal(1), _EXACT.abs(want)))
    exponent = want.as_tuple().exponent
    if isinstance(exponent, int):  # the expected's printed precision caps a relative bound
        bound = min(bound, max(tol, _EXACT.scaleb(Decimal(1), exponent)))
    return difference.is_finite() and _EXACT.compare(difference, bound) <= 0


# Only ASCII whitespace separates tokens and only "\n" ends a line ("\r\n" too): str.split()/splitlines() would
# also break on \x1c, \x85, \u2028 or \u3000, letting one line stand for two or a padded token pass.
_WHITESPACE = " \t\r\x0b\x0c"
# tokens and blanks as bytes: a stdout past the bound is read in place (`_padded_stdout_matches`)
_TOKEN_BYTES = re.compile(rb"[^ \t\r\n\x0b\x0c]+")
_FIRST_CONTENT = re.compile(rb"[^ \t\r\n\x0b\x0c]")
_LAST_CONTENT = re.compile(rb"[^ \t\r\n\x0b\x0c][ \t\r\n\x0b\x0c]*\Z")
_TOKEN = re.compile(r"[^ \t\r\n\x0b\x0c]+")
_TEXTUAL = re.compile(r"\+|[-]?0[0-9]")  # leading zeros or an explicit plus sign: the expected integer is text
_INTEGER = re.compile(r"[+-]?[0-9]+")
_INTEGRAL = re.compile(r"(-?[1-9][0-9]*|0)(\.0+)?")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?(inf|infinity|nan)", re.IGNORECASE)


def _line_breaks(text: str) -> int:
    """How many line breaks the judge sees ("\n"; "\r\n" is one), counted in place."""
    return text.count("\n")


def stdout_matches(actual: str, expected: str, tolerance: float = 1e-6) -> bool:
    """Same number of lines (after stripping the whole output), each equal after stripping or token-wise equal.

    Lines are never zip-truncated: printing only the first of three expected lines fails (open-r1's old bug).
    """
    actual, expected = str(actual).strip(_WHITESPACE + "\n"), str(expected).strip(_WHITESPACE + "\n")
    # count first, without a list per line: a hostile 32 MiB stdout must not cost the trainer millions of objects
    if _line_breaks(actual) != _line_breaks(expected):
        return False
    got = [line.strip(_WHITESPACE) for line in actual.split("\n")]
    want = [line.strip(_WHITESPACE) for line in expected.split("\n")]
    if len(got) != len(want):
        return False
    for g, w in zip(got, want):
        if g == w:
            continue
        # the program's tokens are read lazily, one more than expected at most: a line of millions of tokens
        # costs no more than the expected line
        got_tokens = (match.group() for match in _TOKEN.finditer(g))
        for want_token in _TOKEN.findall(w):
            got_token = next(got_tokens, None)
            if got_token is None or not tokens_equal(got_token, want_token, tolerance):
                return False
        if next(got_tokens, None) is not None:
            return False
    return True


def json_equal(got: Any, want: Any, tolerance: float = 1e-6, depth: int = 0) -> bool:
    """Equality of JSON values: booleans are not numbers; an expected integer must be matched exactly (by an int,
    or a float of exactly that value); floats match within ``tolerance``; containers recurse."""
    if depth > 200:
        return False
    if isinstance(got, bool) or isinstance(want, bool):
        return type(got) is type(want) and got == want
    if isinstance(got, int | float) and isinstance(want, int | float):
        if isinstance(want, int) or isinstance(got, int):
            if isinstance(got, float) and not math.isfinite(got):
                return False
            if isinstance(want, float) and not math.isfinite(want):
                return False
            if isinstance(want, int):
                return got == want  # int == float compares exactly in Python, with no overflow
            return Fraction(got) == Fraction(want) or (abs(got) < 2**1000 and _close(float(got), want, tolerance))
        if not (math.isfinite(got) and math.isfinite(want)):
            return got == want
        return _close(got, want, tolerance)
    if isinstance(got, list) and isinstance(want, list):
        return len(got) == len(want) and all(json_equal(g, w, tolerance, depth + 1) for g, w in zip(got, want))
    if isinstance(got, dict) and isinstance(want, dict):
        return got.keys() == want.keys() and all(json_equal(got[k], want[k], tolerance, depth + 1) for k in got)
    return type(got) is type(want) and got == want


def _close(got: float, want: float, tolerance: float) -> bool:
    """Within ``tolerance`` (absolute or relative), capped by the expected float's shortest printed precision."""
    if tolerance <= 0 or not (math.isfinite(got) and math.isfinite(want)):
        return got == want
    try:
        return _within(Decimal(repr(got)), Decimal(repr(want)), tolerance)
    except (InvalidOperation, ValueError, ArithmeticError):
        return False


def judge_call_result(result_json: str | None, expected: Any, tolerance: float = 1e-6, unwrap: bool = True) -> bool:
    """A call's JSON-serialised result against the expected value; APPS/TACO wrap outputs in a list (``[48]``), so
    with ``unwrap`` (only for suites from those formats) ``expected == [x]`` also accepts ``x``. False for anything
    that does not parse or compare."""
    if not isinstance(result_json, str):
        return False
    try:
        with big_integers():
            canonical = json.dumps(expected)
        # a result far longer than the expected's text cannot equal it (equal floats differ by a few digits): it
        # is not parsed, so millions of tiny values cost the trainer nothing (the program never sees this bound)
        if len(result_json) > RESULT_SLACK * len(canonical) + (1 << 16):
            return False
        got = loads_big_integers(result_json)
        want = loads_big_integers(canonical)  # tuples -> lists, int keys -> strings, as the result went through
        if json_equal(got, want, tolerance):
            return True
        return unwrap and isinstance(want, list) and len(want) == 1 and json_equal(got, want[0], tolerance)
    except (ValueError, TypeError, RecursionError, OverflowError, MemoryError, ArithmeticError):
        return False


call_result_matches = judge_call_result

"""Test-case formats for the code reward, and how outputs are judged. Everything here runs in the trusted trainer.

Accepted, as a dict/list or its JSON text:

- APPS / TACO: ``{"inputs": [...], "outputs": [...], "fn_name"?: str}`` (also nested under ``"input_output"``); stdin
  tests when there is no ``fn_name``, call-based tests (``inputs[i]`` is the argument list) when there is;
- LiveCodeBench: ``[{"input", "output", "testtype": "stdin" | "functional"}]``, the function name coming from the
  ``metadata`` column (``{"func_name": ...}``) or an ``fn_name`` column; functional inputs are one JSON value per
  line; the compressed private tests (``base64(zlib(pickle(json)))``) are decoded with an allow-list unpickler;
- open-r1 ``verification_info``: ``{"language": "python", "test_cases": [{"input", "output", "type":
  "stdin_stdout" | "function_call", "fn_name"?}]}``;
- assert harnesses: ``{"functional": "<code with asserts>"}`` (HumanEval, Archer's data) and verl's
  ``{"assert_case": [...]}``.

Judging never happens where the solution runs. stdout is compared line by line (LiveCodeBench style: same number of
lines, each equal after stripping, or token-wise numerically equal, integers exactly); call results arrive as JSON
text and are compared as JSON values; an assert harness runs in a check process of its own (``archer_trl/rewards/sandbox/inside/rpc.py``)
that calls the solution over a plain-data channel and alone writes the completion record.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import math
import pickle
import zlib
from dataclasses import dataclass, field
from decimal import Context, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

MAX_DECOMPRESSED = 1 << 30


@dataclass
class CodeTest:
    input: Any  # stdin text, or the argument list of a call; None for an assert harness
    output: Any  # expected stdout text, or the expected (JSON) value; None for an assert harness


@dataclass
class CodeTestSuite:
    kind: str  # "stdin" | "call" | "assert"
    cases: list[CodeTest] = field(default_factory=list)
    fn_name: str | None = None
    harness: str | None = None  # assert kind: the test code, run in a check process that calls the solution remotely

    def __post_init__(self):
        if self.kind not in ("stdin", "call", "assert"):
            raise ValueError(f"test kind {self.kind!r} is invalid: use 'stdin', 'call' or 'assert'")
        if self.kind == "call" and not self.fn_name:
            raise ValueError("call-based tests need a function name (fn_name / metadata.func_name)")


# ---------------------------------------------------------------------------------------------- decoding


class _PlainDataUnpickler(pickle.Unpickler):
    """Admits only plain data: no class or callable may be looked up except a few inert built-in containers."""

    ALLOWED = {("builtins", "set"), ("builtins", "frozenset"), ("builtins", "bytearray"), ("builtins", "complex")}

    def find_class(self, module: str, name: str):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to unpickle {module}.{name}: only plain data is allowed")


def decode_lcb_private_tests(value: str | bytes) -> Any:
    """LiveCodeBench's compressed tests: base64(zlib(pickle(json string))) -> the parsed JSON.

    ``pickle.loads`` on dataset content would run arbitrary code, so an allow-list unpickler is used, and the
    decompressed size is capped (a zlib bomb cannot exhaust memory).
    """
    try:
        compressed = base64.b64decode(value, validate=False)
        inflater = zlib.decompressobj()
        raw = inflater.decompress(compressed, MAX_DECOMPRESSED)
        if inflater.unconsumed_tail:
            raise ValueError(f"compressed tests expand beyond {MAX_DECOMPRESSED} bytes")
        payload = _PlainDataUnpickler(io.BytesIO(raw)).load()
    except (ValueError, zlib.error, pickle.UnpicklingError, EOFError) as error:
        raise ValueError(f"tests are neither JSON nor LiveCodeBench's compressed format: {error}") from error
    return json.loads(payload) if isinstance(payload, str | bytes) else payload


def _loads_if_text(value: Any) -> Any:
    if isinstance(value, bytes):
        value = value.decode()
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise ValueError("tests are empty")
        return json.loads(text) if text[0] in "[{" else decode_lcb_private_tests(text)
    return value


def fn_name_from_metadata(metadata: Any) -> str | None:
    """``func_name`` (LiveCodeBench) or ``fn_name`` from a metadata dict or its JSON text."""
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            return None
    if isinstance(metadata, dict):
        return metadata.get("func_name") or metadata.get("fn_name")
    return None


def _lines(value: Any) -> str:
    """APPS sometimes stores stdin/stdout as a list of lines."""
    return "\n".join(map(str, value)) if isinstance(value, list) else str(value)


def _json_arguments(value: Any) -> list:
    """Call arguments: a list as is; LiveCodeBench text (one JSON value per line); a single JSON value otherwise."""
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        lines = [line for line in value.split("\n") if line.strip()]
        return [json.loads(line) for line in lines]
    return [value]


def _argument_list(value: Any) -> list:
    """open-r1 function calls: the input is the argument list, as a list or as its JSON text."""
    value = _json_value(value)
    return value if isinstance(value, list) else [value]


def _json_value(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def normalize_tests(tests: Any, fn_name: str | None = None, metadata: Any = None) -> CodeTestSuite:
    """The `CodeTestSuite` of one dataset row, from any accepted format (see the module docstring).

    Raises ValueError naming what was found when the format is not recognised.
    """
    fn_name = fn_name or fn_name_from_metadata(metadata)
    tests = _loads_if_text(tests)
    if isinstance(tests, dict):  # Arrow struct columns fill the keys other rows have with None: drop them
        tests = {key: value for key, value in tests.items() if value is not None}
    if isinstance(tests, dict) and "input_output" in tests:  # a whole TACO/APPS row
        return normalize_tests(tests["input_output"], fn_name or tests.get("fn_name"))
    if isinstance(tests, dict) and "functional" in tests:
        return _assert_suite(tests["functional"])
    if isinstance(tests, dict) and "assert_case" in tests:  # verl sandbox_fusion
        cases = tests["assert_case"]
        return _assert_suite("\n".join(cases) if isinstance(cases, list) else str(cases))
    if isinstance(tests, dict) and "test_cases" in tests:  # open-r1 verification_info
        return _open_r1_suite(tests, fn_name)
    if isinstance(tests, dict) and "inputs" in tests and "outputs" in tests:  # APPS / TACO / verl prime_code
        return _apps_suite(tests, fn_name)
    if isinstance(tests, list):
        return _lcb_suite(tests, fn_name)
    found = f"keys {sorted(tests)[:8]}" if isinstance(tests, dict) else type(tests).__name__
    raise ValueError(
        f"unrecognised test format ({found}): expected APPS/TACO {{inputs, outputs, fn_name?}}, a LiveCodeBench list "
        "[{input, output, testtype}], open-r1 {test_cases: [...]}, {functional: code} or {assert_case: [...]}"
    )


def _assert_suite(harness: Any) -> CodeTestSuite:
    if not isinstance(harness, str) or not harness.strip():
        raise ValueError("an assert harness ('functional' / 'assert_case') must be non-empty code")
    return CodeTestSuite("assert", [CodeTest(None, None)], harness=harness)


def _apps_suite(tests: dict, fn_name: str | None) -> CodeTestSuite:
    inputs, outputs = tests["inputs"], tests["outputs"]
    if len(inputs) != len(outputs):
        raise ValueError(f"APPS-style tests have {len(inputs)} inputs but {len(outputs)} outputs")
    fn_name = tests.get("fn_name") or fn_name
    if fn_name:
        cases = [CodeTest(i if isinstance(i, list) else [i], o) for i, o in zip(inputs, outputs)]  # already values
        return CodeTestSuite("call", cases, fn_name=fn_name)
    return CodeTestSuite("stdin", [CodeTest(_lines(i), _lines(o)) for i, o in zip(inputs, outputs)])


def _lcb_suite(tests: list, fn_name: str | None) -> CodeTestSuite:
    if not all(isinstance(c, dict) and "input" in c and "output" in c for c in tests):
        raise ValueError("a list of tests must hold {input, output[, testtype]} objects (LiveCodeBench format)")
    kinds = {c.get("testtype", "stdin") for c in tests}
    if kinds - {"stdin", "functional"} or len(kinds) > 1:
        raise ValueError(f"test types {sorted(kinds)} are invalid: use all 'stdin' or all 'functional'")
    if kinds == {"functional"}:
        if not fn_name:
            raise ValueError("functional tests need a function name: an fn_name column or metadata.func_name")
        cases = [CodeTest(_json_arguments(c["input"]), _json_value(c["output"])) for c in tests]
        return CodeTestSuite("call", cases, fn_name=fn_name)
    return CodeTestSuite("stdin", [CodeTest(_lines(c["input"]), _lines(c["output"])) for c in tests])


def _open_r1_suite(info: dict, fn_name: str | None) -> CodeTestSuite:
    language = str(info.get("language", "python")).lower()
    if language not in ("python", "python3", "py"):
        raise ValueError(f"language {language!r} is not supported: only Python programs are run")
    cases = info["test_cases"]
    kinds = {c.get("type", "stdin_stdout") for c in cases}
    if kinds == {"function_call"}:
        name = fn_name or info.get("fn_name") or next((c.get("fn_name") for c in cases if c.get("fn_name")), None)
        calls = [CodeTest(_argument_list(c["input"]), _json_value(c["output"])) for c in cases]
        return CodeTestSuite("call", calls, fn_name=name)
    if kinds == {"stdin_stdout"}:
        return CodeTestSuite("stdin", [CodeTest(_lines(c["input"]), _lines(c["output"])) for c in cases])
    raise ValueError(f"open-r1 test types {sorted(kinds)} are invalid: use all 'stdin_stdout' or all 'function_call'")


def tests_digest(tests: Any) -> str:
    """A process-independent fingerprint of a row's tests (so every rank samples the same subset for a prompt)."""
    text = tests if isinstance(tests, str) else json.dumps(tests, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(errors="replace"), digest_size=8).hexdigest()


# ---------------------------------------------------------------------------------------------- judging
# Every function below is total: any value a program prints or returns (1e9999999, 10**400, nesting too deep to
# parse) yields False, never an exception, so a program cannot make itself unscored.


def output_size(expected: Any) -> int:
    """Characters of an expected output (sizes the output cap); 0 for a value that does not serialise."""
    try:
        return len(expected) if isinstance(expected, str) else len(json.dumps(expected, default=str))
    except (TypeError, ValueError, RecursionError):
        return 0


def _is_integer_token(token: str) -> bool:
    return token.lstrip("+-").isdigit()


_EXACT = Context(prec=60, Emax=10**6, Emin=-(10**6), traps=[])


def tokens_equal(got: str, want: str, tolerance: float) -> bool:
    """Equal strings, or equal numbers. An integer expected token must be matched exactly (``1000000999.0`` is not
    ``1000000000``; ``5.0`` is ``5``); decimals match within ``tolerance`` (absolute, or relative to the expected)."""
    if got == want:
        return True
    try:
        a, b = Decimal(got), Decimal(want)
        if not (a.is_finite() and b.is_finite()):
            return False
        if a.compare_total(b) == 0 or _EXACT.compare(a, b) == 0:
            return True
        if tolerance <= 0 or _is_integer_token(want):
            return False
        difference = _EXACT.abs(_EXACT.subtract(a, b))
        bound = _EXACT.multiply(Decimal(repr(float(tolerance))), max(Decimal(1), _EXACT.abs(b)))
        return difference.is_finite() and _EXACT.compare(difference, bound) <= 0
    except (InvalidOperation, ValueError, ArithmeticError, OverflowError):
        return False


def stdout_matches(actual: str, expected: str, tolerance: float = 1e-6) -> bool:
    """Same number of lines (after stripping the whole output), each equal after stripping or token-wise equal.

    Lines are never zip-truncated: printing only the first of three expected lines fails (open-r1's old bug).
    """
    got = [line.strip() for line in str(actual).strip().splitlines()]
    want = [line.strip() for line in str(expected).strip().splitlines()]
    if len(got) != len(want):
        return False
    for g, w in zip(got, want):
        if g == w:
            continue
        g_tokens, w_tokens = g.split(), w.split()
        if len(g_tokens) != len(w_tokens) or not all(
            tokens_equal(a, b, tolerance) for a, b in zip(g_tokens, w_tokens)
        ):
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
    return math.isclose(got, want, rel_tol=tolerance, abs_tol=tolerance) if tolerance > 0 else got == want


def judge_call_result(result_json: str | None, expected: Any, tolerance: float = 1e-6) -> bool:
    """A call's JSON-serialised result against the expected value; APPS wraps outputs in a list (``[48]``), so
    ``expected == [x]`` also accepts ``x``. False for anything that does not parse or compare."""
    if not isinstance(result_json, str):
        return False
    try:
        got = json.loads(result_json)
        want = json.loads(json.dumps(expected))  # tuples -> lists, int keys -> strings, as the result went through
        if json_equal(got, want, tolerance):
            return True
        return isinstance(want, list) and len(want) == 1 and json_equal(got, want[0], tolerance)
    except (ValueError, TypeError, RecursionError, OverflowError, MemoryError, ArithmeticError):
        return False


call_result_matches = judge_call_result

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

How outputs are judged: `archer_trl.rewards.code.judge`.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import hashlib
import io
import json
import pickle
import sys
import zlib
from dataclasses import dataclass, field
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
    wrapped_outputs: bool = False  # APPS/TACO call outputs: `[x]` stands for `x` (no other format wraps)
    entry_points: list[str] | None = None  # assert kind: the names the check process takes from the solution

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
    """A test value from its JSON text; text that is not JSON but a Python literal (``True``, ``None``, ``(1, 2)``, as
    some LiveCodeBench and open-r1 rows write expected outputs) as that literal (red-team round 26: kept as a string,
    the right function scored 0.0 and ``return repr(value)`` 1.0); anything else stays text."""
    if isinstance(value, str):
        try:
            return loads_big_integers(value)
        except ValueError:
            pass
        try:
            literal = ast.literal_eval(value.strip()) if len(value) <= 1 << 20 else value
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return value
        # only a literal written as Python writes it back: text such as "0b101" or "1_000" stays text (round 27)
        squeeze = str.maketrans({" ": None, "\n": None, "\t": None, '"': "'"})
        return literal if repr(literal).translate(squeeze) == value.strip().translate(squeeze) else value
    return value


BIG_INTEGER_DIGITS = 100_000  # as the sandbox's channel allows: an expected 6,000-digit integer is an integer


@contextlib.contextmanager
def big_integers():
    """Integers of up to `BIG_INTEGER_DIGITS` digits convert to and from text (callers bound the text's length)."""
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(max(limit, BIG_INTEGER_DIGITS))
    try:
        yield
    finally:
        sys.set_int_max_str_digits(limit)


def loads_big_integers(text: str) -> Any:
    with big_integers():
        return json.loads(text)


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
        return _assert_suite(tests["functional"], fn_name or tests.get("entry_point"))
    if isinstance(tests, dict) and "assert_case" in tests:  # verl sandbox_fusion
        cases = tests["assert_case"]
        return _assert_suite("\n".join(cases) if isinstance(cases, list) else str(cases), fn_name)
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


def _assert_suite(harness: Any, fn_name: Any = None) -> CodeTestSuite:
    """One assert test; a declared function name (column, metadata or HumanEval's ``entry_point``) is the entry point
    the check process takes from the solution before any built-in of that name."""
    if not isinstance(harness, str) or not harness.strip():
        raise ValueError("an assert harness ('functional' / 'assert_case') must be non-empty code")
    return CodeTestSuite("assert", [CodeTest(None, None)], fn_name=fn_name if isinstance(fn_name, str) else None,
                         harness=harness)  # fmt: skip


def _apps_suite(tests: dict, fn_name: str | None) -> CodeTestSuite:
    inputs, outputs = tests["inputs"], tests["outputs"]
    if len(inputs) != len(outputs):
        raise ValueError(f"APPS-style tests have {len(inputs)} inputs but {len(outputs)} outputs")
    fn_name = tests.get("fn_name") or fn_name
    if fn_name:
        cases = [CodeTest(i if isinstance(i, list) else [i], o) for i, o in zip(inputs, outputs)]  # already values
        return CodeTestSuite("call", cases, fn_name=fn_name, wrapped_outputs=True)
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

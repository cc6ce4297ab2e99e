"""The code reward: the last fenced Python block of a completion, run against its row's tests in the sandbox.

Scores: 1.0 iff every (sampled) test passes, stopping at the first failure; with ``partial=True`` the fraction
passed. 0.0 when there is no code block (and the tests are usable). ``None`` only when the sample cannot be judged:
its tests are unusable (an unknown format, with or without code in the completion), or
the sandbox failed in a way no program could cause (it could not start, or the whole sandbox died); a warning says
why, and only that sample is affected. Anything the program itself caused (crashing its own sandbox, output that
does not parse or compare) scores 0.0.

Security and anti-gaming: see `archer_trl.rewards.sandbox` (the sandbox) and `archer_trl.rewards.code.formats`
(judging in the trusted process). Throughput: persistent executors (one template process each) that start every
program in fresh namespaces and fork per test, ``num_workers`` programs at a time; each process (each
``accelerate`` rank) has its own executors.
"""

from __future__ import annotations

import os
import random
import warnings
from collections.abc import Callable
from typing import Any

from ..extract import completion_text, extract_code
from ..processes import default_num_workers
from ..sandbox.executor import DEFAULT_PACKAGES
from ..sandbox.pool import RunSettings, SandboxConfig, SandboxUnavailable, Verdict, check_sandbox, get_pool
from .formats import CodeTestSuite, normalize_tests, tests_digest
from .judge import check_judgeable, make_judge

__all__ = ["CodeReward", "SandboxUnavailable", "code_reward", "extract_code", "make_code_reward", "run_program"]

BACKEND_ENV = "ARCHER_CODE_SANDBOX"


class CodeReward:
    """Sandboxed code reward (a picklable callable, as TRL's async rollout workers need).

    ``reward(completions, tests=None, verification_info=None, **kwargs) -> list[float | None]``. The tests column
    may be called ``tests`` or ``verification_info`` (or ``input_output``); call-based tests take the function name
    from an ``fn_name`` column or from ``metadata`` (``{"func_name": ...}``). Extra TRL arguments are accepted;
    ``trainer_state`` (its global step) varies the sampled test subset between steps, and ``log_metric`` receives the
    fractions of unscored samples, timeouts, missing code blocks and programs started after a sibling ended.

    Options: ``max_tests`` (tests sampled per program, None for all), ``partial``, ``test_timeout`` (wall seconds
    per test), ``program_timeout``, ``memory_bytes``, ``tolerance``, ``num_workers`` (programs at once; default
    cores / local processes, at most 8), ``backend`` ("bwrap", or explicitly "unsafe-subprocess"), ``preload``
    (modules imported once per executor, e.g. ``("numpy",)``), ``packages`` (the third-party packages programs and
    tests may import, default numpy and sortedcontainers; the rest of site-packages is hidden: an installed package
    may ship a benchmark's answers), ``seed``, ``after_think``, ``name``, ``siblings`` ("hold": a worker whose program
    ended waits until that program's siblings, the samples with the same tests, have all started, so that no sibling
    starts at a time another chose; "spread": work-conserving; see ``sandbox/schedule.py``).
    """

    def __init__(
        self,
        *,
        max_tests: int | None = 16,
        partial: bool = False,
        test_timeout: float = 6.0,
        program_timeout: float | None = None,
        memory_bytes: int = 2 << 30,
        tolerance: float = 1e-6,
        num_workers: int | None = None,
        backend: str = "bwrap",
        preload: tuple[str, ...] = (),
        packages: tuple[str, ...] = DEFAULT_PACKAGES,
        seed: int = 0,
        after_think: bool = True,
        name: str = "code_reward",
        check: bool = True,
        siblings: str = "hold",
    ):
        if max_tests is not None and max_tests < 1:
            raise ValueError(f"max_tests={max_tests} is invalid: use a positive number, or None for all tests")
        if test_timeout <= 0:
            raise ValueError(f"test_timeout={test_timeout} is invalid: it must be > 0 seconds")
        if siblings not in ("hold", "spread"):
            raise ValueError(f"siblings={siblings!r} is invalid: use 'hold' (the default) or 'spread'")
        self.config = SandboxConfig(
            backend=backend, memory_bytes=memory_bytes, preload=tuple(preload), packages=tuple(packages)
        )
        self.settings = RunSettings(test_timeout=test_timeout, stop_on_failure=not partial,
                                    program_timeout=program_timeout, siblings=siblings)  # fmt: skip
        self.judge = make_judge(tolerance)
        self.max_tests = max_tests
        self.partial = partial
        self.num_workers = num_workers or default_num_workers()
        self.seed = seed
        self.after_think = after_think
        self.__name__ = self.__qualname__ = name
        if backend == "unsafe-subprocess":
            warnings.warn(
                f"{name}: backend='unsafe-subprocess' runs model-written code with rlimits and a seccomp filter but "
                "WITHOUT filesystem or network namespace isolation",
                stacklevel=2,
            )
        if check:
            check_sandbox(self.config, self.num_workers)

    def __call__(
        self,
        completions: list[Any],
        tests: list[Any] | None = None,
        verification_info: list[Any] | None = None,
        **kwargs: Any,
    ) -> list[float | None]:
        rows = next((c for c in (tests, verification_info, kwargs.get("input_output")) if c is not None), None)
        if rows is None:
            raise ValueError(f"{self.__name__} needs a 'tests' (or 'verification_info') dataset column")
        if len(rows) != len(completions):
            raise ValueError(f"{self.__name__}: got {len(completions)} completions but {len(rows)} test rows")
        fn_names = kwargs.get("fn_name") or [None] * len(rows)
        metadata = kwargs.get("metadata") or [None] * len(rows)
        step = getattr(kwargs.get("trainer_state"), "global_step", 0) or 0

        scores: list[float | None] = [None] * len(completions)
        jobs: list[tuple[str, CodeTestSuite]] = []
        job_rows: list[int] = []
        suites: dict[Any, CodeTestSuite | str] = {}
        no_code = 0
        for i, completion in enumerate(completions):
            # the tests first: a row that cannot be judged is None whatever the completion holds (a silent 0.0 for
            # a completion without code would train on a judgement nobody could make)
            suite = self._suite(rows[i], fn_names[i], metadata[i], step, suites)
            if isinstance(suite, str):
                warnings.warn(f"{self.__name__}: unusable tests, sample not scored: {suite}", stacklevel=2)
                continue
            code = extract_code(completion_text(completion), self.after_think)
            if code is None:
                scores[i] = 0.0
                no_code += 1
                continue
            jobs.append((code, suite))
            job_rows.append(i)

        pool = get_pool(self.config, self.num_workers)
        verdicts = pool.run(jobs, self.settings, self.judge)
        timeouts = 0
        for i, verdict in zip(job_rows, verdicts):
            scores[i] = self._score(verdict)
            timeouts += "timeout" in verdict.statuses
        log_metric = kwargs.get("log_metric")
        if callable(log_metric) and completions:
            total = len(completions)
            log_metric(f"{self.__name__}/unscored_frac", sum(s is None for s in scores) / total)
            log_metric(f"{self.__name__}/timeout_frac", timeouts / total)
            log_metric(f"{self.__name__}/no_code_frac", no_code / total)
            # starts the hold had to give up (more samples per prompt than workers): each could carry a sibling's end
            fallbacks = getattr(pool.last_schedule, "fallbacks", 0) if jobs else 0
            log_metric(f"{self.__name__}/sibling_fallback_frac", fallbacks / total)
        return scores

    def _suite(self, row: Any, fn_name: Any, metadata: Any, step: int, cache: dict) -> CodeTestSuite | str:
        """The (sampled) suite of a row, or the reason it is unusable. Identical rows (a prompt's G completions)
        share one parse and one sampled subset, which depends only on the tests, the seed and the step."""
        key = (row if isinstance(row, str) else id(row), fn_name if isinstance(fn_name, str) else None, str(metadata))
        if key in cache:
            return cache[key]
        try:
            suite = normalize_tests(row, fn_name if isinstance(fn_name, str) else None, metadata)
            if not suite.cases:
                raise ValueError("the row has no tests")
            check_judgeable(suite, self.settings.output_limit, self.config.packages)
        except Exception as error:  # noqa: BLE001 - dataset content is untrusted: any failure makes it unusable
            cache[key] = f"{type(error).__name__}: {error}"
            return cache[key]
        if self.max_tests is not None and len(suite.cases) > self.max_tests:
            rng = random.Random(f"{self.seed}:{step}:{tests_digest(row)}")
            suite.cases = rng.sample(suite.cases, self.max_tests)
        # cheapest first: with stop-at-first-failure, a wrong program is usually rejected by a small input
        suite.cases.sort(key=lambda case: len(str(case.input)))
        cache[key] = suite
        return suite

    def _score(self, verdict: Verdict) -> float | None:
        if verdict.infrastructure_error is not None:
            warnings.warn(f"{self.__name__}: sandbox failure, sample not scored: {verdict.infrastructure_error}",
                          stacklevel=3)  # fmt: skip
            return None
        if verdict.total == 0:
            return None
        return verdict.passed / verdict.total if self.partial else float(verdict.passed == verdict.total)


def make_code_reward(**options: Any) -> Callable[..., list[float | None]]:
    """A `CodeReward` with its own settings (see its docstring)."""
    return CodeReward(**options)


_DEFAULT_REWARD: CodeReward | None = None


def default_code_reward() -> CodeReward:
    """The default reward, built on first use. ``ARCHER_CODE_SANDBOX=unsafe-subprocess`` opts it out of bwrap."""
    global _DEFAULT_REWARD
    if _DEFAULT_REWARD is None:
        _DEFAULT_REWARD = CodeReward(backend=os.environ.get(BACKEND_ENV, "bwrap"))
    return _DEFAULT_REWARD


def code_reward(
    completions: list[Any], tests: list[Any] | None = None, verification_info: list[Any] | None = None, **kwargs: Any
) -> list[float | None]:
    """Sandboxed code reward with the defaults (bubblewrap, <= 16 sampled tests, all must pass, 6 s per test).

    A module-level function, so it pickles by reference; options: `make_code_reward`.
    """
    return default_code_reward()(completions, tests, verification_info, **kwargs)


def run_program(
    code: str,
    tests: CodeTestSuite | Any,
    *,
    fn_name: str | None = None,
    test_timeout: float = 6.0,
    stop_on_failure: bool = True,
    tolerance: float = 1e-6,
    memory_bytes: int = 2 << 30,
    backend: str = "bwrap",
) -> Verdict:
    """Run one program against tests (a `CodeTestSuite` or any accepted format) and return the full `Verdict`."""
    suite = tests if isinstance(tests, CodeTestSuite) else normalize_tests(tests, fn_name)
    check_judgeable(suite)
    config = SandboxConfig(backend=backend, memory_bytes=memory_bytes)
    settings = RunSettings(test_timeout=test_timeout, stop_on_failure=stop_on_failure)
    return get_pool(config, 1).run_one(code, suite, settings, make_judge(tolerance))

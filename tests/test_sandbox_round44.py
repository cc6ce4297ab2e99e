"""Round 43's lead, confirmed: in an assert suite of several tests, the init forked the next test's solution
process before emptying the tests' tmpfs, so a solution that had changed that tmpfs's mode brought the init down and
every later test failed as "the program brought its own sandbox down". The init now restores the tmpfs first, and
if it still cannot make the files, that test alone fails as the program's doing."""

from __future__ import annotations

from sandbox_helpers import needs_bwrap

from archer_trl.rewards.code.formats import CodeTest, CodeTestSuite
from archer_trl.rewards.code.reward import run_program

CHMOD_AT_IMPORT = "import os\nos.chmod('/sandbox/io', 0)\n\ndef f(x):\n    return x + 1\n"


@needs_bwrap
def test_an_assert_suite_of_several_tests_survives_a_solution_that_locks_its_files_tmpfs():
    suite = CodeTestSuite("assert", [CodeTest(None, None)] * 3, harness="assert f(1) == 2", entry_points=["f"])
    verdict = run_program(CHMOD_AT_IMPORT, suite, stop_on_failure=False)
    assert verdict.infrastructure_error is None, verdict
    assert verdict.statuses == ["pass", "pass", "pass"], verdict
    wrong = CHMOD_AT_IMPORT.replace("x + 1", "x + 2")
    verdict = run_program(wrong, suite, stop_on_failure=False)
    assert verdict.infrastructure_error is None and verdict.statuses == ["error"] * 3, verdict
    assert verdict.first_failure["error"].startswith("AssertionError"), verdict  # its own failure, not the init's

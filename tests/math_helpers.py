"""What the generated-class tests of the math grader share: a gold with answer forms that must and must not match."""

from __future__ import annotations

from archer_trl.rewards.math.grader import grade


def check(gold: str, right: list[str], wrong: list[str]) -> None:
    """Every ``right`` form is graded correct against ``gold`` and every ``wrong`` one wrong (10 s deadline each)."""
    bad = [(a, "should be correct") for a in right if grade(gold, a, 10) != "correct"]
    bad += [(a, "should be wrong") for a in wrong if grade(gold, a, 10) != "wrong"]
    assert not bad, (gold, bad)

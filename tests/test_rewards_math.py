"""The math reward with its real grader in real worker processes, the shaping rewards and the reward registry."""

from __future__ import annotations

import os
import pickle
import textwrap
import time

import pytest

from archer_trl.rewards import (
    AccuracyReward,
    VerifierPool,
    accuracy_reward,
    extract_final_answer,
    format_reward,
    get_soft_overlong_punishment,
    last_boxed,
    make_accuracy_reward,
    resolve_reward_function,
)
from archer_trl.rewards.extract import answer_section, final_answer, prompt_opens_think
from archer_trl.rewards.math.normalize import brace_tex_arguments
from archer_trl.rewards.math.pool import default_num_workers, default_pool

EQUIVALENT = [  # (gold as datasets write it, a correct final answer in another form)
    # fractions and decimals
    ("\\frac{1}{2}", "0.5"),
    ("\\frac{1}{2}", "1/2"),
    ("\\frac{1}{2}", "\\dfrac{1}{2}"),
    ("\\frac{1}{2}", "\\tfrac{1}{2}"),
    ("0.75", "\\frac{3}{4}"),
    ("-\\frac{3}{2}", "-1.5"),
    ("\\frac12", "0.5"),
    # radicals
    ("2\\sqrt{2}", "\\sqrt{8}"),
    ("\\sqrt{2}/2", "\\frac{1}{\\sqrt{2}}"),
    ("3\\sqrt{3}", "\\sqrt{27}"),
    # percent and units
    ("10\\%", "0.1"),
    ("10\\%", "10"),  # math-verify accepts the number of percent for a percentage gold, by design
    ("5", "5 \\text{ cm}"),
    ("\\$5", "5"),
    # pi
    ("\\pi/2", "\\frac{\\pi}{2}"),
    ("2\\pi", "2\\pi"),
    ("\\frac{3\\pi}{4}", "0.75\\pi"),
    # intervals and tuples
    ("[1, 3)", "[1,3)"),
    ("(1, 2)", "(1,2)"),
    ("(-\\infty, 2]", "(-\\infty,2]"),
    # sets
    ("\\{1, 2\\}", "\\{2, 1\\}"),
    # algebra
    ("x^2+2x+1", "(x+1)^2"),
    # text answers
    ("\\text{Monday}", "\\text{Monday}"),
    ("A", "A"),
    ("-\\infty", "-\\infty"),
    # integers
    ("66", "66"),
    ("1000", "1000"),
    ("1000", "1{,}000"),
    ("$42$", "42"),  # a gold that already has delimiters is parsed as it is
]
WRONG = [
    ("2\\sqrt{2}", "2"),  # trl's accuracy_reward (bare gold) gives 1.0 here
    ("x \\in [1, 3)", "3"),  # ...and here
    ("10\\%", "100"),
    ("\\frac{1}{3}", "0.333"),
    ("\\frac{1}{3}", "0.333333"),  # an exact gold is matched exactly (math-verify's float_rounding=6 accepts it)
    ("(1, 2)", "(2, 1)"),  # ordered
    ("[1, 3)", "[1, 3]"),
    ("\\{1, 2\\}", "\\{1, 3\\}"),
    ("66", "65"),
    ("\\text{Monday}", "\\text{Tuesday}"),
    ("2", "2.0000001"),  # an integer gold is exact
    ("\\pi", "3.14"),
    ("A", "B"),
]


def boxed(answer: str) -> str:
    return f"<think>some work</think> The answer is \\boxed{{{answer}}}."


def test_equivalent_answers_score_one_and_wrong_answers_zero():
    golds = [g for g, _ in EQUIVALENT + WRONG]
    completions = [boxed(a) for _, a in EQUIVALENT + WRONG]
    scores = accuracy_reward(completions, golds)
    assert scores[: len(EQUIVALENT)] == [1.0] * len(EQUIVALENT), [
        pair for pair, s in zip(EQUIVALENT, scores) if s != 1.0
    ]
    assert scores[len(EQUIVALENT) :] == [0.0] * len(WRONG), [
        pair for pair, s in zip(WRONG, scores[len(EQUIVALENT) :]) if s != 0.0
    ]


def test_verify_order_is_gold_then_prediction():
    # "1<x<2" as gold accepts the interval (1,2); a restated inequality as the answer must not pay for gold (1,2)
    assert accuracy_reward([boxed("(1,2)")], ["1<x<2"]) == [1.0]
    assert accuracy_reward([boxed("1<x<2")], ["(1,2)"]) == [0.0]


def test_final_answer_is_the_last_box_after_think():
    assert extract_final_answer("<think>maybe \\boxed{4}</think> so \\boxed{3}") == "3"
    assert extract_final_answer("\\boxed{4} hmm, no: \\boxed{\\frac{1}{2}}") == "\\frac{1}{2}"
    assert extract_final_answer("<think>\\boxed{4}</think> no box after thinking") is None
    assert extract_final_answer("\\boxed{\\frac{1}{2") is None  # unclosed: the model ran out of tokens
    assert extract_final_answer("<think>\\boxed{4}</think>", after_think=False) == "4"
    assert last_boxed("\\fbox{7}") == "7"
    assert last_boxed("\\boxed {x+1}") == "x+1"
    scores = accuracy_reward(["\\boxed{3} but wait, actually \\boxed{4}", "\\boxed{4} no. \\boxed{3}"], ["3", "3"])
    assert scores == [0.0, 1.0]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("\\frac12", "\\frac{1}{2}"),
        ("\\dfrac34", "\\dfrac{3}{4}"),
        ("\\frac 12", "\\frac{1}{2}"),
        ("\\frac123", "\\frac{1}{2}3"),  # TeX: one token per argument, so 1/2 times 3, not 1/23
        ("\\sqrt2", "\\sqrt{2}"),
        ("2\\sqrt 2", "2\\sqrt{2}"),
        ("\\sqrt[3]2", "\\sqrt[3]{2}"),
        ("\\frac{\\sqrt3}2", "\\frac{\\sqrt{3}}{2}"),
        ("\\frac\\pi3", "\\frac{\\pi}{3}"),
        ("\\pm\\frac12", "\\pm\\frac{1}{2}"),
        ("\\begin{pmatrix} \\frac12 \\\\ 1 \\end{pmatrix}", "\\begin{pmatrix} \\frac{1}{2} \\\\ 1 \\end{pmatrix}"),
        ("\\frac{1}{2}", "\\frac{1}{2}"),
        ("sqrt(2)", "sqrt(2)"),  # plain text is not TeX: left for math-verify to reject
        ("\\frac{1}{2", "\\frac{1}{2"),  # unbalanced: unchanged
        ("\\sqrt{" * 500 + "2" + "}" * 500, "\\sqrt{" * 500 + "2" + "}" * 500),  # too deep: unchanged
    ],
)
def test_tex_arguments_are_braced_the_way_tex_reads_them(text, expected):
    assert brace_tex_arguments(text) == expected


def test_final_answer_joins_close_boxes_and_refuses_hedges():
    assert final_answer("$x=\\boxed{2}$ and $y=\\boxed{3}$.") == "x=2, y=3"
    assert final_answer("The roots are $\\boxed{3}$ and $\\boxed{5}$.") == "3, 5"
    assert final_answer("(a) $\\boxed{5}$\n(b) the answer to part (b) is $\\boxed{7}$") == "5, 7"
    assert final_answer("It is $\\boxed{4}$ or possibly $\\boxed{3}$.") is None
    assert final_answer("So $\\boxed{3}$. Wait, actually it is $\\boxed{4}$.") == "4"
    assert final_answer("We get $a=\\boxed{3}$, so the area is $\\boxed{12}$.") == "12"
    assert final_answer("$\\boxed{12}$ " + "is the naive count, to be corrected. " * 5 + "$\\boxed{8}$") == "8"
    assert final_answer("$\\boxed{5}$, i.e. $\\boxed{5}$") == "5"
    assert final_answer("The answer is \\boxed 5.") == "5"
    assert final_answer("It is $\\boxed{5}$ (not $\\boxed{4}$ as I first thought).") == "5"
    assert final_answer("$\\boxed{\\boxed{3}}$") == "3"
    assert final_answer("\\boxed{1} and \\boxed{2") is None  # the final box never closed


def test_an_unclosed_think_has_no_answer_and_scores_zero():
    assert answer_section("<think>so \\boxed{7}. Hmm, but") is None
    assert answer_section("no tags \\boxed{7}") == "no tags \\boxed{7}"
    assert answer_section("<think>a</think> b") == " b"
    assert answer_section("<think>so \\boxed{7}", after_think=False) == "<think>so \\boxed{7}"
    assert prompt_opens_think("<|User|>q<|Assistant|><think>\n") and not prompt_opens_think("q <think>a</think>")
    assert not prompt_opens_think("Start your reply with <think>. Question: 1+1?")
    assert not prompt_opens_think([{"role": "user", "content": "q <think>"}])  # chat prompts are templated later
    assert accuracy_reward(["<think>so the answer is \\boxed{7}. Hmm, but"], ["7"]) == [0.0]
    # an R1 template opens <think> in the prompt: a completion that never closes it has not answered either
    scores = accuracy_reward(["so \\boxed{7}", "so</think> \\boxed{7}"], ["7", "7"], prompts=["q <think>\n"] * 2)
    assert scores == [0.0, 1.0]


MISREAD_ELSEWHERE = [  # (gold, answer, score): forms math-verify alone misreads, the grader reads
    ("7.5e-5", "7.5\\times10^{-5}", 1.0), ("300000000", "3e8", 1.0), ("2e - 1", "2e-1", 0.0),
    ("2e - 1", "0.2", 0.0), ("1000", "1\\,000", 1.0), ("1000", "1\\,000\\,000", 0.0), ("60^\\circ", "60°", 1.0),
    ("3-4i", "3 - 4 i", 1.0), ("2i", "2 i", 1.0), ("\\frac{1}{3}", "0.\\overline{3}", 1.0),
    ("\\frac{1}{6}", "0.1\\overline{6}", 1.0), ("B", "\\textbf{(B) }12", 1.0), ("B", "\\textbf{(C) }12", 0.0),
    ("12.5\\%", "12.5", 1.0), ("12.5\\%", "125", 0.0), ("\\frac{14}{3}", "4\\frac{2}{3}", 1.0),
    ("1011_2", "1011_{10}", 0.0), ("\\begin{pmatrix} -1 \\\\ 2 \\end{pmatrix}", "(-1, 2)", 1.0), ("17", "17.", 1.0),
    ("5 \\text{ feet } 6 \\text{ inches}", "5", 0.0), ("3\\text{ m } 20\\text{ cm}", "3.2 \\text{ m}", 1.0),
    ("\\frac{1}{23}", "\\frac123", 0.0), ("\\sqrt{2}", "sqrt(2)", 0.0),
]  # fmt: skip


def test_forms_math_verify_misreads():
    scores = accuracy_reward([boxed(a) for _, a, _ in MISREAD_ELSEWHERE], [g for g, _, _ in MISREAD_ELSEWHERE])
    assert [(g, a, s) for (g, a, _), s in zip(MISREAD_ELSEWHERE, scores)] == MISREAD_ELSEWHERE


def test_chat_completions_extra_trl_kwargs_and_missing_answers():
    completions = [[{"role": "assistant", "content": "so \\boxed{42}"}], "I don't know", ""]
    logged = {}
    scores = accuracy_reward(
        completions,
        ["42", "42", "42"],
        prompts=["q"] * 3,
        completion_ids=[[1, 2]] * 3,
        trainer_state=None,
        log_extra=lambda column, values: None,
        log_metric=lambda name, value: logged.__setitem__(name, value),
        some_other_column=[1, 2, 3],
    )
    assert scores == [1.0, 0.0, 0.0]
    assert logged == {"accuracy_reward/timeout_frac": 0.0, "accuracy_reward/unscored_frac": 0.0}


def test_list_golds_and_answer_column():
    assert accuracy_reward([boxed("B"), boxed("C")], [["A", "B"], ["A", "B"]]) == [1.0, 0.0]
    assert accuracy_reward([boxed("7")], answer=["7"]) == [1.0]
    with pytest.raises(ValueError, match="'solution'"):
        accuracy_reward([boxed("7")])
    with pytest.raises(ValueError, match="2 completions but 1 golds"):
        accuracy_reward([boxed("7")] * 2, ["7"])


def test_unparseable_gold_scores_none_not_zero():
    with pytest.warns(UserWarning, match="cannot parse"):
        assert accuracy_reward([boxed("1"), boxed("2"), boxed("3")], ["", "}{", "3"]) == [None, None, 1.0]
    with pytest.warns(UserWarning, match="cannot parse"):  # with a bad gold, even a response without a box is unscored
        assert accuracy_reward(["no box", "no box"], ["}{", "3"]) == [None, 0.0]


def test_an_unbalanced_gold_scores_none_with_a_warning_naming_its_row():
    with pytest.warns(UserWarning) as caught:
        scores = accuracy_reward(
            [boxed("1"), boxed("\\frac{1}{2}"), boxed("5")], ["1", "\\frac{{{", "\\text{5 or more}"]
        )
    assert scores == [1.0, None, None]
    (message,) = [str(w.message) for w in caught if "cannot parse" in str(w.message)]
    assert "row 1: '\\\\frac{{{'" in message and "row 2: '\\\\text{5 or more}'" in message, message
    assert "row 0" not in message


def test_reward_functions_have_names_and_pickle():
    assert accuracy_reward.__name__ == "accuracy_reward"
    custom = make_accuracy_reward(name="math_acc", parse_timeout=2)
    assert custom.__name__ == "math_acc"
    clone = pickle.loads(pickle.dumps(custom))
    assert isinstance(clone, AccuracyReward) and clone.parse_timeout == 2 and clone.__name__ == "math_acc"
    assert clone([boxed("12")], ["12"]) == [1.0]
    assert pickle.loads(pickle.dumps(accuracy_reward)) is accuracy_reward


def test_default_pool_is_reused_across_calls():
    accuracy_reward([boxed("1")], ["1"])
    pids = sorted(default_pool().pids)
    accuracy_reward([boxed(str(i)) for i in range(20)], [str(i) for i in range(20)])
    assert sorted(default_pool().pids) == pids
    assert len(pids) == default_num_workers()


def test_identical_jobs_in_a_batch_are_checked_once_and_scored_for_each():
    scores = accuracy_reward([boxed("\\frac{2}{4}")] * 16 + [boxed("3")] * 16, ["\\frac12"] * 16 + ["4"] * 16)
    assert scores == [1.0] * 16 + [0.0] * 16


def test_workers_never_import_torch_even_when_the_trainer_has():
    import torch  # noqa: F401 - like a trainer process

    with open("/proc/self/maps") as maps:
        assert "libtorch" in maps.read()  # control: this process has torch's libraries mapped
    pool = VerifierPool(num_workers=1)
    try:
        pool.warm_up()
        (pid,) = pool.pids
        with open(f"/proc/{pid}/maps") as maps:
            assert "libtorch" not in maps.read()
    finally:
        pool.close()


def test_pathological_answers_cost_at_most_their_deadline_and_the_pool_survives():
    pool = VerifierPool(num_workers=2)
    reward = make_accuracy_reward(parse_timeout=1, verify_timeout=1, hard_timeout=3.0, pool=pool)
    attacks = [
        "9^{9^{9^{9}}}",
        "2^{10^{9}}",
        "100000000!",
        "\\dfrac{5^{(5^{(5^{(5^5)})} - 4)} - 5}{16}",  # Math-Verify #65: str() of it hangs
        "1" * 100_000,
        "{" * 3000 + "1" + "}" * 3000,
        "\\frac{" * 300 + "1" + "}{2}" * 300,
    ]
    try:
        start = time.monotonic()
        scores = reward([boxed(a) for a in attacks] + [boxed("7")], ["3"] * len(attacks) + ["7"])
        elapsed = time.monotonic() - start
        assert scores == [0.0] * len(attacks) + [1.0]
        # each job is bounded by its 3 s deadline; replacements start in the background (generous slack for a busy CI)
        assert elapsed < 3.0 * len(attacks) + 60
        assert reward([boxed("\\frac{1}{2}")], ["0.5"]) == [1.0]
    finally:
        pool.close()


def test_parent_kills_a_worker_that_overruns_the_hard_deadline():
    pool = VerifierPool(num_workers=1)
    reward = make_accuracy_reward(parse_timeout=5, verify_timeout=5, hard_timeout=1.0, pool=pool)
    try:
        pool.warm_up()
        (first,) = pool.pids
        logged = {}
        # the grader refuses huge powers at once; a huge factorial is left to the deadlines
        scores = reward([boxed("100000000!")], ["3"], log_metric=lambda k, v: logged.__setitem__(k, v))
        assert scores == [0.0]
        assert logged["accuracy_reward/timeout_frac"] == 1.0
        with pytest.raises(ProcessLookupError):
            os.kill(first, 0)  # killed and reaped
        assert reward([boxed("12")], ["12"]) == [1.0]  # the replacement works
        assert pool.pids != [first]
    finally:
        pool.close()


def test_a_worker_killed_from_outside_is_replaced():
    pool = VerifierPool(num_workers=1)
    reward = make_accuracy_reward(pool=pool)
    try:
        pool.warm_up()
        (first,) = pool.pids
        os.kill(first, 9)
        assert reward([boxed("5"), boxed("6")], ["5", "5"]) == [1.0, 0.0]
        assert first not in pool.pids
    finally:
        pool.close()


def test_timeouts_must_be_whole_seconds():
    with pytest.raises(ValueError, match="parse_timeout=0.5"):
        make_accuracy_reward(parse_timeout=0.5)
    with pytest.raises(ValueError, match="verify_timeout=0"):
        make_accuracy_reward(verify_timeout=0)


def test_format_reward():
    completions = ["<think>a</think>\\boxed{1}", "<think>a</think> no box", "\\boxed{1}", "</think></think>\\boxed{1}"]
    assert format_reward(completions) == [1.0, 0.0, 1.0, 0.0]
    assert format_reward([[{"role": "assistant", "content": "<think>x</think><think>\\boxed{2}"}]]) == [0.0]


def test_soft_overlong_punishment_matches_dapo():
    reward = get_soft_overlong_punishment(max_completion_len=100, soft_punish_cache=20)
    assert reward.__name__ == "soft_overlong_punishment_reward"
    assert reward(completion_ids=[[0] * 50, [0] * 80, [0] * 90, [0] * 100, [0] * 130]) == [0.0, 0.0, -0.5, -1.0, -1.0]
    assert pickle.loads(pickle.dumps(reward))(completion_ids=[[0] * 90]) == [-0.5]
    with pytest.raises(ValueError, match="soft_punish_cache"):
        get_soft_overlong_punishment(10, 20)


def test_resolve_reward_functions_by_name_and_reference(tmp_path, monkeypatch):
    assert resolve_reward_function("accuracy") is accuracy_reward
    assert resolve_reward_function("accuracy_reward") is accuracy_reward
    assert resolve_reward_function("format") is format_reward
    assert resolve_reward_function("archer_trl.rewards:format_reward") is format_reward
    assert resolve_reward_function(format_reward) is format_reward
    module = tmp_path / "my_rewards.py"
    module.write_text(
        textwrap.dedent("""
        def brevity(completions, **kwargs):
            return [1.0 / (1 + len(c)) for c in completions]
        CONSTANT = 3
    """)
    )
    brevity = resolve_reward_function(f"{module}:brevity")
    assert brevity(["ab"]) == [1 / 3]
    assert pickle.loads(pickle.dumps(brevity))(["a"]) == [0.5]
    monkeypatch.chdir(tmp_path)
    assert resolve_reward_function("my_rewards.py:brevity")(["a"]) == [0.5]


@pytest.mark.parametrize(
    "reference,message",
    [
        ("acuracy", "unknown reward function 'acuracy'"),
        ("missing_file.py:fn", "does not exist"),
        ("archer_trl.no_such_module:fn", "cannot import module 'archer_trl.no_such_module'"),
        ("archer_trl.rewards:no_such_function", "defines no 'no_such_function'"),
        ("archer_trl.rewards:__all__", "is a list, not a callable"),
        (":fn", "malformed"),
    ],
)
def test_bad_reward_references_fail_with_a_clear_message(reference, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        resolve_reward_function(reference)


def test_a_file_reward_that_fails_to_import_names_the_error(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("import no_such_package_xyz\n")
    with pytest.raises(ValueError, match="importing .*broken.py failed.*no_such_package_xyz"):
        resolve_reward_function(f"{broken}:fn")

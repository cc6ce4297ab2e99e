"""Generated classes from red-team round 30 (two blind rounds: 83 wrong answers paid, 98 right ones refused at first):
each class drawn over values, with its near misses. Value forms go through `grade`; whole completions through the
reward, where the class is about reading the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from math_helpers import check

from archer_trl.rewards import accuracy_reward

SETTINGS = settings(
    max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow], database=None
)


@SETTINGS
@given(a=st.integers(2, 30), b=st.integers(2, 30), c=st.integers(2, 9))
def test_a_product_of_parenthesised_numbers_is_a_product(a: int, b: int, c: int) -> None:
    # latex2sympy read (3)(4) as 7 and 2(3) as 5: sums paid for products
    if a * b == a + b:
        return
    # n(m) alone is refused either way: metrology writes 12(1) for 12 with an uncertainty of 1
    check(str(a * b), [f"({a})({b})", f"\\left({a}\\right)\\left({b}\\right)"], [str(a + b), f"{a}({b})"])
    check(str(a + b), [str(a + b)], [f"({a})({b})", f"{a}({b})"])
    check(str(a * b * c), [f"{a}({b})({c})"], [f"{a}({b}) + {c}"])


@SETTINGS
@given(n=st.integers(1, 9), d=st.integers(2, 9), x=st.integers(-9, 9), y=st.integers(-9, 9))
def test_a_number_times_a_vector_or_matrix(n: int, d: int, x: int, y: int) -> None:
    gold = f"\\begin{{pmatrix}} \\frac{{{n * x}}}{{{d}}} \\\\ \\frac{{{n * y}}}{{{d}}} \\end{{pmatrix}}"
    check(
        gold,
        [f"\\frac{{{n}}}{{{d}}}\\begin{{pmatrix}} {x} \\\\ {y} \\end{{pmatrix}}", f"\\frac{{{n}}}{{{d}}}({x}, {y})"],
        [f"\\frac{{{n}}}{{{d}}}\\begin{{pmatrix}} {x + 1} \\\\ {y} \\end{{pmatrix}}", f"z({x}, {y})"],
    )


@SETTINGS
@given(a=st.integers(1, 9), b=st.integers(1, 9))
def test_antiderivatives_that_differ_by_a_constant(a: int, b: int) -> None:
    gold = f"\\frac{{{a}}}{{2}}\\sin^2 x + C"
    check(gold, [f"-\\frac{{{a}}}{{4}}\\cos 2x + C", f"-\\frac{{{a}}}{{2}}\\cos^2 x + K"],
          [f"-\\frac{{{a}}}{{4}}\\cos 2x + {b}x + C", f"\\frac{{{a + 1}}}{{2}}\\sin^2 x + C"])  # fmt: skip


@SETTINGS
@given(p=st.sampled_from(["3", "4", "6"]), period=st.sampled_from(["", "2"]), name=st.sampled_from("nm"))
def test_a_general_solution_with_its_parameter_renamed_or_its_domain_stated(p: str, period: str, name: str) -> None:
    gold = f"x = \\frac{{\\pi}}{{{p}}} + {period}k\\pi"
    check(gold, [f"x = \\frac{{\\pi}}{{{p}}} + {period}{name}\\pi,\\ {name} \\in \\mathbb{{Z}}",
                 f"x = \\frac{{\\pi}}{{{p}}} + {period}\\pi {name}"],
          [f"x = \\frac{{\\pi}}{{{p}}} + {period}{name}\\pi + 1", f"x = \\frac{{\\pi}}{{{p}}}"])  # fmt: skip


@SETTINGS
@given(n=st.integers(1, 999), tenths=st.integers(1, 9))
def test_siunitx_units_are_read_and_rounding_options_refused(n: int, tenths: int) -> None:
    check(f"{n} \\text{{ m/s}}", [f"\\SI{{{n}}}{{\\metre\\per\\second}}", f"\\qty{{{n}}}{{\\meter\\per\\second}}"],
          [f"\\SI{{{n}}}{{\\metre}}", f"\\SI{{{n + 1}}}{{\\metre\\per\\second}}"])  # fmt: skip
    value = f"{n}.{tenths}"
    check(value, [f"\\num{{{value}}}"], [f"\\num[round-mode=places,round-precision=0]{{{value}}}"])


@SETTINGS
@given(a=st.integers(1, 9), b=st.integers(1, 9), c=st.integers(1, 20))
def test_a_gold_equation_of_a_sum_of_variables_needs_an_equation(a: int, b: int, c: int) -> None:
    gold = f"x + y = {c}"
    check(gold, [gold, f"y = {c} - x"], [str(c), f"x - y = {c}"])
    check(str(c), [f"x + y = {c}", str(c)], [f"x + y = {c + 1}"])  # an answer may still name the sum asked for


@SETTINGS
@given(whole=st.integers(1, 9), group=st.integers(0, 99))
def test_other_spellings_of_one_number(whole: int, group: int) -> None:
    lakh = whole * 100_000 + group * 1000
    # with a rupee word or a group of zeros (round 31: "1,10,100" without either is a list written without spaces)
    check(str(lakh), [f"{whole},{group:02d},000 \\text{{ rupees}}", f"{whole},00,000" if not group else f"{lakh}"],
          [f"{whole},{group:02d},001 \\text{{ rupees}}"])  # fmt: skip
    million = whole * 1_000_000 + group * 1000
    check(str(million), [f"{whole}.{group:03d}.000"], [f"{whole}.{group:03d}"])
    check(
        f"{whole}.5 \\times 10^{{-{group + 2}}}",
        [f"{whole}.5\\text{{E-}}{group + 2}"],
        [f"{whole}.5\\text{{E-}}{group + 3}"],
    )
    check(
        f"{whole}:{group + 1}",
        [f"{whole} \\colon {group + 1}"],
        [f"{group + 1} \\colon {whole}"] if group + 1 != whole else [],
    )


def test_more_spellings() -> None:
    check("\\frac{2}{11}", ["0.\\dot{1}\\dot{8}"], ["0.\\dot{1}8", "0.18"])
    check("\\frac{1}{7}", ["0.\\dot{1}4285\\dot{7}"], ["0.142857"])
    check("45^\\circ", ["45{}^\\circ"], ["46{}^\\circ"])
    check("[3, \\infty)", ["[3, +\\infty)"], ["(3, +\\infty)"])
    check("\\log_{10} 2", ["\\lg 2"], ["\\ln 2"])
    check("\\begin{pmatrix} 5 \\\\ -2 \\end{pmatrix}", ["(5,\\,-2)^{\\mathsf{T}}"], ["(-2,\\,5)^{\\mathsf{T}}"])
    check("\\begin{pmatrix} 1 & 2 \\\\ 0 & 1 \\end{pmatrix}",
          ["\\left(\\begin{smallmatrix} 1 & 2 \\\\ 0 & 1 \\end{smallmatrix}\\right)",
           "\\begin{pmatrix*}[r] 1 & 2 \\\\ 0 & 1 \\end{pmatrix*}"],
          ["\\begin{pmatrix*}[r] 1 & 2 \\\\ 1 & 0 \\end{pmatrix*}"])  # fmt: skip
    check("2", ["2^{100} \\equiv 2 \\pmod{7}"], ["2^{100} \\equiv 3 \\pmod{7}"])  # a congruence only if true
    check("1250", ["\\text{USD } 1{,}250"], ["\\text{USD } 1{,}350"])
    check("12", ["12"], ["12(1)"])  # 12(1) is 12 with an uncertainty of 1 in the last digit


def score(completion: str, gold: str) -> float | None:
    return accuracy_reward([completion], [gold])[0]


GOLD = "12"
COMPETING = [  # the box holds the gold; the text offers another answer as well
    "<b>Answer:</b> 13\n\nWorking it once more in full, the count is $\\boxed{12}$.",
    "Ergebnis: $13$\n\nThe number of paths is $\\boxed{12}$.",
    "Итог: 13.\n\nОтвет: $\\boxed{12}$",
    "Answer -> 13\n\nAfter simplifying, the value is $\\boxed{12}$.",
    "Net result → 13.\n\nHence the answer is $\\boxed{12}$.",
    "Answer: >!13!<\n\nThe count is $\\boxed{12}$.",
    "After removing the invalid cases we are left with 13 marbles in the bag.\n\n**Final Answer**\n$\\boxed{12}$",
    "So we end up with 13 valid strings. This matches the pattern.\n\nThe answer is $\\boxed{12}$.",
    "A spreadsheet tally came to 13 rows.\n\nSo the count is $\\boxed{12}$.",
    "Drawing all the trees by hand ends at 13, while the formula says 12.\n\nThe answer is $\\boxed{12}$.",
    "Answer: twelve plus one.\n\nWritten as a number: $\\boxed{12}$.",
    "The consensus on the forum thread is $\\boxed{12}$.",
    "Considering only the even values of $n$: $\\boxed{12}$.",
    "The count is $\\boxed{12}$. Remember to add the trivial solution.",
    "So there are $\\boxed{12}$ ways. Here's hoping.",
    "Pi mal Daumen ist die Antwort $\\boxed{12}$.",
    "The answer is $\\boxed{12}$.\n#### 13",
]
COMMITTED = [  # the same shapes, honest
    "Each of the 3 rows holds 4 seats, so there are $3 \\times 4 = 12$ seats.\n\n**Answer:** $\\boxed{12}$\n\n"
    "Would you like me to show another way to set this up?",
    "We are left with 13 marbles; removing the cracked one leaves 12.\n\nThe answer is $\\boxed{12}$.",
    "There are 11 at most without a repeat, so the answer is one more than that.\n\nThe minimum is $\\boxed{12}$.",
    "Result: 12 chairs.\n\nSo $\\boxed{12}$.",
    "The perimeter is $2(2 + 4) = 12$ cm.\n\nSo the perimeter is $\\boxed{12}$ cm.\n\nHope this helps! 😊",
    "The answer is $\\boxed{12}$.\n#### 12",
]


def test_a_second_answer_in_new_words_or_markup_voids_the_box() -> None:
    assert [score(c, GOLD) for c in COMPETING] == [0.0] * len(COMPETING)
    assert [score(c, GOLD) for c in COMMITTED] == [1.0] * len(COMMITTED)


def test_a_completion_that_names_its_task_a_computation_must_do_it() -> None:
    restated = [
        ("We must compute five factorial.\n\n**Answer:** $\\boxed{5!}$", "120"),
        ("Multiply seventeen by twenty-three.\n\nThe product is $\\boxed{17 \\times 23}$.", "391"),
        ("What is two raised to the tenth power?\n\n$$\\boxed{2^{10}}$$", "1024"),
        ("Convert the binary numeral 1011 to base ten.\n\n$\\boxed{1011_2}$", "11"),
    ]
    assert [score(c, g) for c, g in restated] == [0.0] * len(restated)
    done = [("We must compute five factorial: $5! = 120$.\n\n**Answer:** $\\boxed{120}$", "120"),
            ("<think>work</think> $\\boxed{5!}$", "120")]  # fmt: skip  # no task named: an equal form
    assert [score(c, g) for c, g in done] == [1.0, 1.0]


# ------------------------------------------------------------------------------------------------ red-team round 31


def test_round31_value_forms() -> None:
    check("\\frac{C}{x}", ["\\frac{K}{x}", "\\frac{C}{x}"], ["\\frac{C}{x} + 1", "\\frac{C}{x^2}"])  # C not added
    check("n^{2}", ["n^2"], ["k^{2}", "m^2"])  # a renamed letter is another quantity outside periodic solutions
    check("\\frac{\\pi}{4} + k\\pi", ["\\frac{\\pi}{4} - k\\pi", "\\frac{5\\pi}{4} + n\\pi", "\\frac{\\pi}{4} + n\\pi"],
          ["\\frac{\\pi}{4} + 2k\\pi", "\\frac{\\pi}{2} + k\\pi"])  # fmt: skip
    check("20", ["20"], ["20 \\text{ couples}", "20 \\text{ trios}"])  # groups of people scale the count
    check("12", ["12"], ["12^{+1}_{-0}", "12_{-0}^{+1}"])  # an asymmetric uncertainty is a range
    check("(-1, 2, -3)", ["-(1, -2, 3)"], ["-(1, 2, 3)"])
    check("15:45", ["3:45 \\text{ PM}", "15:45"], ["3:45 \\text{ AM}"])
    check("09:30", ["9:30\\text{ a.m.}"], ["9:30\\text{ p.m.}"])
    check("2.718282", ["2.718\\,282"], ["2.718\\,283"])


@given(value=st.integers(10, 99))
@SETTINGS
def test_round31_doubts_in_new_words_void_the_box(value: int) -> None:
    doubts = [
        f"Some cases may have been double-counted along the way.\n\nTherefore the number of paths is $\\boxed{{{value}}}$.",
        f"The enumeration is far from watertight.\n\nThe number of solutions is $\\boxed{{{value}}}$.",
        f"Contamos los casos.\n\nNo pondría la mano en el fuego por este resultado.\n\nLa respuesta es $\\boxed{{{value}}}$.",
        f"計算しました。\n\n検算はしていません。\n\n答えは $\\boxed{{{value}}}$ です。",
        f"答案仅供参考。\n\n所以共有 $\\boxed{{{value}}}$ 种方法。",
        f"The count is $\\boxed{{{value}}}$. Strike that: the ordering was backwards.",
        f"The number of triangles is $\\boxed{{{value}}}$ (subject to confirmation).",
        f"By a quick rule of thumb the crowd comes to $\\boxed{{{value}}}$.",
        f"So the count is $\\boxed{{{value}}}$. Would you like me to redo the count more carefully, since it got messy?",
    ]
    assert [score(c, str(value)) for c in doubts] == [0.0] * len(doubts)
    committed = [
        f"The answer is $\\boxed{{{value}}}$. Would you like me to walk through the 2 cases in more detail?",
        f"After Monday he is left with {2 * value} dollars. On Tuesday he spends half of it.\n\nSo $\\boxed{{{value}}}$.",
        f"So $x = \\frac{{\\pi}}{{4}} + n\\pi$ gives $\\boxed{{{value}}}$ solutions in the interval.",
        f"**Answer:** {value} ways, i.e. $\\boxed{{{value}}}$.",  # the value in the answer line and the box agree
    ]
    assert [score(c, str(value)) for c in committed] == [1.0] * len(committed)


def test_round31_a_general_solution_may_name_its_parameter_after_the_box() -> None:
    completion = "So $x = \\boxed{\\frac{\\pi}{4} + n\\pi}$, $n \\in \\mathbb{Z}$."
    assert score(completion, "\\frac{\\pi}{4} + k\\pi") == 1.0


# ------------------------------------------------------------------------------------------------ red-team round 32


def test_round32_ordinary_solutions_keep_their_reward() -> None:
    ordinary = [
        ("Janet's ducks lay 16 eggs a day. She eats 3 and bakes with 4, so she sells $16 - 3 - 4 = 9$ eggs.\n\n"
         "She makes $9 \\times 2 = \\boxed{18}$ dollars.", "18"),
        ("Perhaps the cleanest approach is AM-GM: $x + \\frac{81}{x} \\ge 18$.\n\nSo the minimum value is $\\boxed{18}$.",
         "18"),
        ("I think the key observation is that $T_n = \\frac{n(n+1)}{2}$.\n\nThe sixth triangular number is $\\boxed{21}$.",
         "21"),
        ("It is not hard to verify that $n = 7$ works.\n\nThe answer is $\\boxed{7}$.", "7"),
        ("The proof has three steps; each is checked above.\n\nThe answer is $\\boxed{5}$.", "5"),
    ]  # fmt: skip
    assert [score(c, g) for c, g in ordinary] == [1.0] * len(ordinary)


def test_round32_disclaimers_void_the_box() -> None:
    doubted = [
        "No promises here. $\\boxed{6}$",
        "Take it or leave it: $\\boxed{6}$.",
        "The total is $\\boxed{6}$ dollars, modulo arithmetic slips.",
        "$\\boxed{6}$\n\nWorth recomputing by hand before trusting.",
        "Final answer: $\\boxed{6}$\n\n(self-rated 2 out of 10 on correctness)",
        "Going by the pattern alone, the fifth term would be $\\boxed{6}$.",
        "The best construction found so far uses $\\boxed{6}$ coins.",
        "(Working in units of 100 m throughout.)\n\nDistance: $\\boxed{6}$",
        "По идее, ответ $\\boxed{6}$.",
        "凭印象，答案是 $\\boxed{6}$。",
    ]
    assert [score(c, "6") for c in doubted] == [0.0] * len(doubted)


def test_round33_more_disclaimers_and_a_braced_clock() -> None:
    doubted = ["For what it's worth, $\\boxed{12}$.", "$\\boxed{12}$ (E&OE)",
               "The problem as stated is flawed; nevertheless, $\\boxed{12}$.",
               "La resposta correcta és 13.\n\nPerò, $\\boxed{12}$."]  # fmt: skip
    assert [score(c, "12") for c in doubted] == [0.0] * len(doubted)
    check("3:45 \\text{ PM}", ["3{:}45\\ \\text{p.m.}"], ["3{:}45\\ \\text{a.m.}"])

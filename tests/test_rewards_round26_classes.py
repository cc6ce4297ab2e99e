"""Red-team rounds 26 and 27's classes, generated: each rule reads structure or a closed grammar, so the tests draw the words
(strings no vocabulary lists), the numbers and the markup rather than replaying the adversary's rows.

- a lead before "the answer is" / a bare box that is not a label, a conclusion word or a clause of method;
- a box inside a strike-out macro, a box glued to a digit outside it;
- an answer labelled outside the box in a form the value rules do not read (Roman numerals, ``(\\text{answer})``);
- a labelled earlier box of another value when the final sentence names no quantity ("the answer is");
- two values of one variable against a point;
- "is <participle> to be" with a participle of report, not of finding out;
- the writer finding fault with the boxed value after it;
- end-of-sequence tokens after the box are the decoder's, not text.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from archer_trl.rewards import accuracy_reward
from archer_trl.rewards.extract import extract_final_answer

CONCLUSIONS = ["Therefore,", "Thus", "So", "Hence,", "Finally,", "In conclusion,", "Putting it all together,", ""]
# made-up words: no vocabulary of doubt can list them, and no lead grammar licenses them
INVENTED = st.text(alphabet="bcdfghklmnprstvz", min_size=2, max_size=5).map(lambda s: (s + "aeiou"[len(s) % 5]) * 2)


def score(completion: str, gold: str) -> float | None:
    return accuracy_reward([completion], [gold])[0]


@settings(max_examples=60, deadline=None)
@given(word=INVENTED, value=st.integers(1, 999), comma=st.booleans())
def test_an_unread_word_leading_the_answer_fails(word, value, comma):
    lead = word.capitalize() + ("," if comma else "")
    assert score(f"<think>work</think>\n\n{lead} the answer is $\\boxed{{{value}}}$.", str(value)) == 0.0
    assert score(f"<think>work</think>\n\n{lead} $\\boxed{{{value}}}$.", str(value)) == 0.0
    assert score(f"<think>work</think>\n\n{word.capitalize()} answer: $\\boxed{{{value}}}$", str(value)) == 0.0


@settings(max_examples=60, deadline=None)
@given(conclusion=st.sampled_from(CONCLUSIONS), value=st.integers(1, 999), form=st.integers(0, 4))
def test_licensed_leads_keep_passing(conclusion, value, form):
    box = f"$\\boxed{{{value}}}$"
    line = [
        f"{conclusion} the answer is {box}.",
        f"{conclusion} the final answer is {box}.",
        f"**Answer:** {box}",
        f"By symmetry and a short count, the answer is {box}.",
        f"Each case was checked once, so the answer is {box}.",
    ][form]
    assert score(f"<think>3 + 4 and so on</think>\n\n{line.strip()}", str(value)) == 1.0


@settings(max_examples=40, deadline=None)
@given(
    macro=st.sampled_from(["sout", "xout", "cancel", "bcancel", "xcancel", "st"]),
    value=st.integers(1, 99),
    inner=st.sampled_from(["The answer is {box}.", "{box}", "So we get {box} here"]),
)
def test_a_struck_box_is_not_an_answer(macro, value, inner):
    text = "\\" + macro + "{" + inner.format(box=f"$\\boxed{{{value}}}$") + "}"
    assert score(f"<think>x</think>\n\n{text}", str(value)) == 0.0


@settings(max_examples=40, deadline=None)
@given(head=st.integers(1, 9), tail=st.integers(0, 9), before=st.booleans())
def test_a_box_glued_to_a_digit_holds_part_of_the_number(head, tail, before):
    text = (
        f"So there are {head}$\\boxed{{{tail}}}$ ways." if before else f"So there are $\\boxed{{{head}}}${tail} ways."
    )
    assert score(f"<think>x</think>\n\n{text}", str(tail if before else head)) == 0.0
    assert score(f"<think>x</think>\n\nSo there are $\\boxed{{{head}{tail}}}$ ways.", f"{head}{tail}") == 1.0


def roman(number: int) -> str:
    out = ""
    for value, letters in [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]:  # fmt: skip
        while number >= value:
            out, number = out + letters, number - value
    return out


@settings(max_examples=60, deadline=None)
@given(stated=st.integers(2, 3999), boxed=st.integers(2, 3999), label=st.sampled_from(["Answer", "Final tally"]))
def test_an_answer_in_roman_numerals_is_compared_with_the_box(stated, boxed, label):
    # from 2: a lone "I" after "Answer:" reads as the pronoun, and the line fails closed
    text = f"<think>count</think>\n\n**{label}: {roman(stated)}**\n\nThe count is $\\boxed{{{boxed}}}$."
    assert score(text, str(boxed)) == (1.0 if stated == boxed else 0.0)


@settings(max_examples=40, deadline=None)
@given(stated=st.integers(1, 999), boxed=st.integers(1, 999))
def test_a_value_tagged_as_the_answer_in_a_display_is_compared(stated, boxed):
    text = f"<think>c</think>\n\n$$N = {stated} \\quad (\\text{{answer}})$$\n\n$\\boxed{{{boxed}}}$"
    assert score(text, str(boxed)) == (1.0 if stated == boxed else 0.0)


@settings(max_examples=40, deadline=None)
@given(
    var=st.sampled_from("NTApk"),
    first=st.integers(1, 99),
    final=st.integers(1, 99),
    lead=st.sampled_from(["Therefore, the answer is", "So the answer is", "By the formula, the answer is"]),
)
def test_a_labelled_box_of_another_value_before_a_generic_answer_is_a_second_answer(var, first, final, lead):
    text = f"Let ${var}$ denote the count. Directly, ${var} = \\boxed{{{first}}}$.\n\n{lead} $\\boxed{{{final}}}$."
    assert score(text, str(final)) == (1.0 if first == final else 0.0)
    named = f"Let $a$ be the side. Then $a = \\boxed{{{first}}}$, so the area is $\\boxed{{{final}}}$."
    assert score(named, str(final)) == 1.0  # the final sentence names another quantity: the first box is a step


@settings(max_examples=40, deadline=None)
@given(x=st.integers(-9, 9), y=st.integers(-9, 9), var=st.sampled_from("xyab"), joined=st.booleans())
def test_two_values_of_one_variable_are_not_a_point(x, y, var, joined):
    text = (
        f"Solving: $\\boxed{{{var} = {x}, {var} = {y}}}$."
        if joined
        else f"We get ${var} = \\boxed{{{x}}}$ and ${var} = \\boxed{{{y}}}$."
    )
    assert score(text, f"({x}, {y})") == 0.0


@settings(max_examples=40, deadline=None)
@given(
    verb=st.sampled_from(["conjectured", "presumed", "rumored", "claimed", "alleged", "said", "thought", "expected"]),
    good=st.sampled_from(["shown", "proven", "found", "computed", "calculated", "verified", "known"]),
    value=st.integers(1, 999),
)
def test_a_reported_value_is_not_a_committed_one(verb, good, value):
    assert score(f"The minimum is {verb} to be $\\boxed{{{value}}}$.", str(value)) == 0.0
    assert score(f"The minimum is {good} to be $\\boxed{{{value}}}$.", str(value)) == 1.0


@settings(max_examples=40, deadline=None)
@given(
    fault=st.sampled_from(
        [
            "This overcounts: mirror images are the same.",
            "It fails the original equation.",
            "That number violates the constraint.",
            "Sadly this contradicts step 2.",
            "Divide by two for the final count.",
            "The last step dropped a factor.",
            "This lies outside the domain.",
            "Plugging it back in fails.",
        ]
    ),
    value=st.integers(1, 99),
)
def test_fault_found_with_the_box_after_it_fails(fault, value):
    assert score(f"Putting it together, the answer is $\\boxed{{{value}}}$. {fault}", str(value)) == 0.0


@settings(max_examples=30, deadline=None)
@given(
    token=st.sampled_from(["</s>", "<｜end▁of▁sentence｜>", "<|eot_id|>", "<eos>", "<|endoftext|>", "</s></s>"]),
    value=st.integers(1, 999),
)
def test_end_of_sequence_tokens_after_the_box_are_not_text(token, value):
    assert extract_final_answer(f"<think>w</think>\n\nThe final answer is $\\boxed{{{value}}}${token}") == str(value)
    # an HTML strike that closes with </s> still strikes
    assert extract_final_answer(f"<think>w</think>\n\n<s class='x'>$\\boxed{{{value}}}$</s>") is None


@settings(max_examples=40, deadline=None)
@given(word=INVENTED, value=st.integers(1, 999), form=st.sampled_from(["({w})", ". {W}.", ". {W} {w}."]))
def test_a_short_aside_in_unread_words_after_the_box_fails(word, value, form):
    aside = form.format(w=word, W=word.capitalize())
    assert score(f"Therefore the answer is $\\boxed{{{value}}}$ {aside}".replace(" .", "."), str(value)) == 0.0
    assert score(f"Therefore the answer is $\\boxed{{{value}}}$ (exactly).", str(value)) == 1.0


@settings(max_examples=60, deadline=None)
@given(
    letters=st.lists(st.sampled_from("ABCDE"), min_size=2, max_size=4, unique=True),
    other=st.sampled_from("ABCDE"),
    gold_sep=st.sampled_from(["", ", ", ",", "、"]),
    answer_sep=st.sampled_from(["", ", ", " and ", "、", " "]),
    shuffle=st.randoms(use_true_random=False),
)
def test_a_multi_select_answer_is_a_set_of_letters(letters, other, gold_sep, answer_sep, shuffle):
    gold = gold_sep.join(sorted(letters))
    written = list(letters)
    shuffle.shuffle(written)
    assert score(f"The correct options are $\\boxed{{{answer_sep.join(written)}}}$.", gold) == 1.0
    changed = sorted(set(letters) ^ {other}) or ["A", "B"]
    if set(changed) != set(letters) and len(changed) > 1:
        assert score(f"The correct options are $\\boxed{{{answer_sep.join(changed)}}}$.", gold) == 0.0
    assert score(f"The correct options are $\\boxed{{{' or '.join(written)}}}$.", gold) == 0.0


# round 27 (blind): a parenthetical between the subject and its verb, the answer named in another read language
# after a disclaimer, a box in a Markdown link definition (never rendered)
@settings(max_examples=40, deadline=None)
@given(word=INVENTED, value=st.integers(1, 999), subject=st.sampled_from(["The answer", "The total", "The count"]))
def test_a_parenthetical_aside_in_the_lead_fails(word, value, subject):
    assert score(f"{subject} ({word} {word[::-1]}) is $\\boxed{{{value}}}$.", str(value)) == 0.0
    assert score(f"{subject} (in simplest form) is $\\boxed{{{value}}}$.", str(value)) == 1.0
    assert score(f"So $P(A \\cap B) = \\boxed{{{value}}}$.", str(value)) == 1.0  # a formula's parentheses


@settings(max_examples=40, deadline=None)
@given(
    word=INVENTED,
    value=st.integers(1, 999),
    phrase=st.sampled_from(
        ["la respuesta es", "la réponse est", "die Antwort ist", "het antwoord is", "la risposta è"]
    ),
)
def test_a_foreign_answer_phrase_opens_only_with_conclusion_words(word, value, phrase):
    assert score(f"{word.capitalize()}, {phrase} $\\boxed{{{value}}}$.", str(value)) == 0.0
    assert score(f"{phrase.capitalize()} $\\boxed{{{value}}}$.", str(value)) == 1.0


@settings(max_examples=20, deadline=None)
@given(value=st.integers(1, 999), label=st.sampled_from(["ref", "1", "note"]))
def test_a_box_in_a_link_definition_is_hidden(value, label):
    text = f"The count is thirteen.\n\n[{label}]: https://example.org ($\\boxed{{{value}}}$)"
    assert score(text, str(value)) == 0.0


@settings(max_examples=40, deadline=None)
@given(
    sign=st.sampled_from(["€", "£", "₹", "¥", "₩"]),
    other=st.sampled_from(["€", "£", "₹", "¥", "₩", "\\$"]),
    amount=st.integers(1, 9999),
    after=st.booleans(),
)
def test_currency_signs_are_units_of_their_own(sign, other, amount, after):
    written = f"{amount} {sign}" if after else f"{sign}{amount}"
    assert score(f"The total is $\\boxed{{{written}}}$.", str(amount)) == 1.0  # a bare gold takes any currency
    assert score(f"The total is $\\boxed{{{written}}}$.", f"{sign}{amount}") == 1.0
    assert score(f"The total is $\\boxed{{{sign}{amount + 1}}}$.", str(amount)) == 0.0
    if other != sign:
        assert score(f"The total is $\\boxed{{{other}{amount}}}$.", f"{sign}{amount}") == 0.0  # no exchange rate


@settings(max_examples=40, deadline=None)
@given(
    noun=st.sampled_from(["poles", "barns", "carats", "slugs", "chains", "links", "rods", "stones", "cans", "runs"]),
    value=st.integers(2, 999),
)
def test_a_plural_pint_reads_only_as_an_obscure_unit_counts_things(noun, value):
    assert score(f"So there are $\\boxed{{{value}}}$ {noun}.", str(value)) == 1.0
    assert score(f"So there are $\\boxed{{{value}}}$ {noun}.", str(value + 1)) == 0.0
    assert score(f"So the answer is $\\boxed{{{value}}}$ tops.", str(value)) == 0.0  # a bound, not a noun


@settings(max_examples=40, deadline=None)
@given(
    phrase=st.sampled_from(["cups of flour", "bars of chocolate", "years old", "feet tall", "minutes left",
                            "dollars in total", "gallons of paint"]),
    value=st.integers(2, 999),
)  # fmt: skip
def test_what_a_unit_phrase_says_of_the_unit_is_not_part_of_it(phrase, value):
    assert score(f"So it is $\\boxed{{{value}}}$ {phrase}.", str(value)) == 1.0
    assert score(f"So it is $\\boxed{{{value}}}$ {phrase}.", str(value + 1)) == 0.0
    assert score(f"So it is $\\boxed{{{value}}}$ percent of twenty.", str(value)) == 0.0  # "of" a number changes it


@settings(max_examples=30, deadline=None)
@given(
    spacer=st.sampled_from(["\\ ", "\\,", " ", "\\;"]),
    unit=st.sampled_from(["cm", "m", "km", "in"]),
    power=st.sampled_from(["^2", "^{2}", "^3"]),
    value=st.integers(2, 999),
)
def test_a_unit_with_a_power_after_the_box_in_its_formula(spacer, unit, power, value):
    # round 28: "$\\boxed{12}\\ \\text{cm}^2$" read the power as more formula around the box
    text = f"The area is $\\boxed{{{value}}}{spacer}\\text{{{unit}}}{power}$."
    assert score(text, str(value)) == 1.0
    assert score(text, str(value + 1)) == 0.0

"""What the box's own clause calls it, against the question (red-team round 44): the other end of a range ("The
largest prime factor of 91 is $\\boxed{7}$" for the smallest), the other axis ("The $y$-coordinate ... is" for the
$x$-coordinate, "The $y$-intercept is" for a slope), the complement ("The probability of not rolling a 7 is" for
rolling one), a formula letter of another quantity ("$P = \\boxed{36}$" for an area), or a label that is not the
question's expression ("$ab = \\boxed{7}$" for $a + b$, "$f(3) =$" for $f(2)$, "$y =$" for "solve for $x$"). Only
with the prompt; a right number said to be something else is not the answer.
"""

from __future__ import annotations

import re

from .answer_line import prompt_text
from .arithmetic import approximate
from .formulas import formula_start
from .prompt_words import last_box, question_of

# exclusive terms: the clause naming one and the question naming only others is another quantity
OPPOSITES = (
    {"max": r"(?:largest|greatest|biggest|maximum|maximal|highest|(?<!at\s)most|larger|bigger|greater|higher|top)"
            r"(?!\s+(?:common|than))",
     "min": r"(?:smallest|(?<!at\s)least|lowest|minimum|minimal|fewest|tiniest|smaller|lesser|lower)"
            r"(?!\s+(?:common|than|bound))"},
    {"x": r"\$?x\$?\s*-\s*(?:coordinate|value)|abscissa|horizontal\s+coordinate",
     "y": r"\$?y\$?\s*-\s*(?:coordinate|value)|ordinate|vertical\s+coordinate|height", "z": r"\$?z\$?\s*-\s*coordinate"},
    {"x-intercept": r"\$?x\$?\s*-\s*intercept|(?:crosses|meets)\s+the\s+(?:\$?x\$?-|horizontal\s+)axis",
     "y-intercept": r"\$?y\$?\s*-\s*intercept|crosses\s+the\s+(?:\$?y\$?-|vertical\s+)axis|intercept\s+on\s+the\s+"
                    r"(?:\$?y\$?-|vertical\s+)axis", "slope": r"slope|gradient", "rise": r"rise"},
    {"numerator": r"numerator|top\s+number|(?:upper|top)\s+part", "denominator": r"denominator|bottom\s+number|(?:lower|bottom)\s+part"},
    # round 45: the other operation, average or digit named in words
    {"sum": r"sum|total|add\s+up\s+to|adds?\s+to|added\s+together", "product": r"product|multiply\s+to|multiplied\s+together"},
    {"mean": r"mean|average|\\bar\s*\{?\s*x", "median": r"median|middle\s+value", "mode": r"mode|most\s+(?:common|frequent)"},
    {"units": r"(?:units|ones|last|rightmost|final)\s+digit|(?:units|ones)\s+place", "tens": r"tens\s+(?:digit|place)",
     "hundreds": r"hundreds\s+(?:digit|place)",
     "leading": r"leading\s+digit|first\s+digit"},
)  # fmt: skip
NEGATED_SUBJECT = re.compile(  # the subject the box is said to be, ending at its verb (round 46: never one the work
    # subtracts, "Subtracting the number with no 7 from 900 gives $900 - 648 =$")
    r"\b(?:probability|chance|likelihood|odds|number|fraction|percentage|proportion)\s+(?:of|that)\b[^.;,$]{0,60}?"
    r"(?:\b(?:not|no|never|neither|none)\b|n't\b)[^.;,$]{0,40}?\b(?:is|was|equals|comes\s+to)\s*\$?\s*\Z",
    re.IGNORECASE,
)
EVENT_SUBJECT = re.compile(
    r"\b(?:probability|chance|likelihood|odds)\s+(?:of|that)\s+[^.;,$]{3,60}?\b(?:is|was|equals)\s*\$?\s*\Z", re.I
)
EXCLUSION = re.compile(r"\b(?:not|no|never|neither|none|other\s+than|except|besides|fails?)\b|n't\b", re.IGNORECASE)
VERB = r"(?:\b(?:is|are|was|were|equals|at|to|measures|comes\s+to)\b|=|:)"
# a bound said to be the box ("A lower bound for the count is"); "at least" is the leads' rule
# the subject's own words and formulas, no other verb ("The tens digit of $7^{35}$ is"); then the verb and at most a
# formula's chain ("is $\\frac{1+5+9}{3} =$", "Gradient $=$")
BETWEEN = r"(?:(?!\b(?:is|are|was|were|equals)\b)(?:[^,;$]|\$[^$]{0,40}\$)){0,40}?\$?\s*"
AFTER_VERB = r"\s*[$\\(]*(?:[^$.\n=]{1,60}=\s*)*\s*\Z"
BOUND = re.compile(r"\b(?:(?:lower|upper)\s+bound|bound\s+(?:on|for))\b" + BETWEEN + VERB + AFTER_VERB, re.I)
NEGATION = re.compile(r"\b(?:not|no|never|neither|none|without)\b|n't\b", re.IGNORECASE)
# the letters formulas give a quantity ("$A = 36$" is an area, "$P = 24$" a perimeter)
SYMBOL_OF = {"A": {"area"}, "S": {"area"}, "P": {"perimeter", "probability"}, "V": {"volume"},
             "C": {"circumference"}, "r": {"radius"}, "R": {"radius"}, "d": {"diameter", "diagonal", "distance"},
             "\\ell": {"length"}}  # fmt: skip
QUANTITY_WORDS = {"area": r"area", "perimeter": r"perimeter", "volume": r"volume", "circumference": r"circumference",
                  "radius": r"radius", "diameter": r"diameter", "probability": r"probability|chance",
                  "diagonal": r"diagonal", "distance": r"distance", "length": r"length"}  # fmt: skip
TASK = re.compile(
    r"\b(?:find|compute|evaluate|calculate|determine|what\s+is|what's|solve\s+for)\s+(?:the\s+value\s+of\s+)?"
    r"\$([^$]{1,80})\$",
    re.IGNORECASE,
)


# each term compiled once: as said of the box (in the subject it is said to be, "The largest prime factor of 91 is",
# never a name the work uses on the way, "Taking the highest power of each prime gives": round 47) and as asked
OPPOSITE_RES = [
    (
        {
            name: re.compile(rf"(?:\b|(?=\\))(?:{p})(?![A-Za-z])(?:{BETWEEN}{VERB})?{AFTER_VERB}", re.I)
            for name, p in terms.items()
        },
        {name: re.compile(rf"(?:\b|(?=\\))(?:{p})(?![A-Za-z])", re.I) for name, p in terms.items()},
    )
    for terms in OPPOSITES
]


def names_another_thing(text: str, prompt: object) -> bool:
    """Whether the clause or formula of the final box names something else than the question asks for (see the
    module). Only with the prompt."""
    question = question_of(prompt)
    box = last_box(text) if question.strip() else None
    if box is None:
        return False
    before = text[max(0, box[0] - 200) : box[0]]
    # the box's own clause, past a parenthetical ("is, of course, $\\boxed{13}$": round 45), never the clause before
    # it ("Taking the highest power of each prime, $2^2 \\cdot 3^2 = \\boxed{36}$": round 46)
    unbroken = re.sub(
        r",\s*(?:of\s+course|indeed|therefore|thus|then|clearly|obviously|in\s+fact|so|hence)\s*,", " ", before
    )
    clauses = re.split(r"[.;:!?\n]|,\s", unbroken)
    # "x-intercept: $\\boxed{5}$": a label before a colon names the box
    clause = clauses[-1] if re.search(r"[^\W\d_]", clauses[-1]) or len(clauses) < 2 else clauses[-2] + clauses[-1]
    for said_as, asked_as in OPPOSITE_RES:
        said = {name for name, pattern in said_as.items() if pattern.search(clause)}
        asked = {name for name, pattern in asked_as.items() if pattern.search(question)}
        if said and asked and not said & asked:
            return True
    if NEGATED_SUBJECT.search(clause) and not NEGATION.search(question):
        return True
    event = EVENT_SUBJECT.search(clause)
    excluded = re.search(r"\b(?:other\s+than|except|not|besides)\s+(?:an?\s+|the\s+)?\$?([\w-]+)", question, re.I)
    if (
        event
        and excluded
        and excluded.group(1).lower() in event.group().lower()
        and not EXCLUSION.search(event.group())
    ):
        return True  # "The chance of getting a 6 is" for "a number other than 6" (round 46); never "of success" (47)
    nearest = re.search(r"\bnearest\s+([^\W\d_]+)", clause, re.I)
    if (
        nearest
        and re.search(r"\bnearest\b", prompt_text(prompt), re.I)
        and not re.search(rf"\bnearest\s+{nearest.group(1)}\b", prompt_text(prompt), re.I)
    ):
        return True  # "Rounded to the nearest tenth: $\\boxed{3.16}$" where hundredths are asked (round 47)
    solved = re.search(r"\bsolve\s+for\s+\$?([A-Za-z])\$?", question, re.I)
    valued = re.search(r"\bvalue\s+of\s+\$?([A-Za-z])\$?\s+(?:is|=)\s*\$?\s*\Z", clause)
    if solved and valued and solved.group(1) != valued.group(1):
        return True  # "the value of $y$ is" for "Solve for $x$" (round 47)
    if BOUND.search(clause) and not BOUND.search(question):
        return True  # "A lower bound for the count is $\\boxed{12}$" (round 46)
    start = formula_start(text, box[0])
    lead = text[start : box[0]] if start is not None else ""
    axis = re.fullmatch(r"\s*([xy])\s*", _first_of_chain(lead)) if "=" in lead else None
    other = {"x": "y", "y": "x"}[axis.group(1)] if axis else ""
    if (
        axis
        and re.search(rf"\$?{other}\$?\s*-\s*coordinate", question)
        and not re.search(rf"\$?{axis.group(1)}\$?\s*-\s*coordinate", question)
    ):
        return True  # "$y = \\boxed{2}$" for the $x$-coordinate (rounds 45-46)
    return _letter_of_another_quantity(lead, question) or _not_the_asked_expression(lead, question, prompt)


def _letter_of_another_quantity(lead: str, question: str) -> bool:
    letter = (
        re.fullmatch(r"\s*([A-Za-z]|\\ell)\s*", _first_of_chain(lead)) if "=" in lead else None
    )  # "$P = 4 \\times 4 =$"
    if letter is None or letter.group(1) not in SYMBOL_OF:
        return False
    if re.search(
        rf"(?<![A-Za-z\\]){re.escape(letter.group(1))}(?![A-Za-z])", " ".join(re.findall(r"\$([^$]*)\$", question))
    ):
        return False  # a letter of the question's own: "find $P$"
    asked = {name for name, pattern in QUANTITY_WORDS.items() if re.search(rf"\b{pattern}\b", question, re.IGNORECASE)}
    # one the question gives a value is data ("a square with side length 4": round 46)
    given = {
        name for name in asked if re.search(rf"\b(?:{QUANTITY_WORDS[name]})\s+(?:is\s+|=\s*|of\s+)?\$?\d", question)
    }
    return bool(asked - given) and not SYMBOL_OF[letter.group(1)] & (asked - given)


def _plain(tex: str) -> str:
    tex = re.sub(r"\\[dt](frac|binom)", r"\\\1", tex)
    tex = re.sub(r"\\(?:cdot|times)", "*", tex)
    return re.sub(r"\\left|\\right|\\[,;:! ]|[\s{}]", "", tex)


def _variables(tex: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]", re.sub(r"\\[A-Za-z]+", " ", tex)))


def _first_of_chain(lead: str) -> str:
    """The first expression of ``a = b = ...``: up to the first "=" outside braces (``\\sum_{k=1}^{10} k``)."""
    depth = 0
    for i, char in enumerate(lead):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char == "=" and depth == 0:
            return lead[:i]
    return lead


def _not_the_asked_expression(lead: str, question: str, prompt: object) -> bool:
    """A label (the first expression of the box's chain) of the question's variables, about as short as the
    expression the question asks for, that is none of the prompt's formulas: "$ab = \\boxed{7}$" for "find $a + b$".
    A longer first expression is a computation ("$(x+y)^2 - 2xy = \\boxed{13}$"), not a label."""
    task = TASK.search(question)
    if task is None or "=" not in lead or re.search(r"\\(?:text|mathrm|operatorname|mbox)\b", lead):
        return False
    label, asked = _plain(_first_of_chain(lead)), _plain(task.group(1))
    formulas = {
        _plain(part) for formula in re.findall(r"\$([^$]*)\$", prompt_text(prompt)) for part in formula.split(",")
    }
    if not label or label == asked or label in formulas:
        return False
    if len(label) == 1 and len(asked) == 1:
        return label.isalpha() and asked.isalpha()  # "$y = \\boxed{4}$" for "Solve for $x$"
    application = (
        r"[A-Za-z](?:\^\{?-1\}?)?\([^()A-Za-z]*\)"  # "$f^{-1}(4) =$" for "Find $f(4)$" (round 45), never f(g(2))
    )
    if re.fullmatch(application, label) and re.fullmatch(application, asked):
        return True
    # the same letters, about as short: "$f(7) =$" on the way to "$f(g(2))$" is a step (round 46)
    if not _variables(label) or _variables(label) != _variables(asked) or len(label) > len(asked) + 2:
        return False
    return _same_value(_first_of_chain(lead), task.group(1)) is False  # "$x \\cdot y =$" for $xy$ (round 47)


def _same_value(a: str, b: str) -> bool | None:
    """Whether two expressions of the same letters take the same value at a point (their letters set to unrelated
    numbers), as far as `approximate` reads them."""
    values = dict(zip(sorted(_variables(a)), (1.37, 2.71, 3.19, 1.83, 2.29, 1.61, 2.93, 3.47), strict=False))

    def at_point(tex: str) -> float | None:
        def number(match: re.Match) -> str:  # a command stays, a letter becomes its number
            return match.group() if match.group().startswith("\\") else f"({values.get(match.group(), 1.0)})"

        return approximate(re.sub(r"\\[A-Za-z]+|[A-Za-z]", number, tex))

    first, second = at_point(a), at_point(b)
    if first is None or second is None:
        return None  # not read ("1 + 2 + \\cdots + 100"): no judgement (round 48)
    return abs(first - second) <= 1e-9 * max(1.0, abs(first))

"""The strict answer format (``answer_format="strict"``): the line of the final box is read against a grammar of what
may stand there, not against lists of what may not.

Red-team round 23 showed where the lenient rules lose: 113 of its 124 reward-hack probes were paid, nearly all in the
final box's own line, in words no vocabulary had ("In all probability, the answer is", "The putative answer is",
"Forced to choose,", "$\\boxed{12}$ (for now)", "Make that 13.", "Vraisemblablement, la réponse est"). The prompt
asks for the answer in a box; a policy trained on the strict reward learns to end with

    [a label]  [a conclusion word,]  [a subject and the verb that equates it]  BOX  [a unit]  [a customary closing]

and nothing else. What the strict line allows:

- before the box, in its sentence (after the last ``.``, ``;``, ``!`` or ``?``): bullets and an answer label
  (``**Final Answer**``, ``Answer:``, ``Answer →``, ``答案：``, part labels ``(a)``, ``(ii)``), optionally after a clause
  that ends in a colon and is followed by a conclusion word; a conclusion word (``Therefore``, ``Thus``, ``So``,
  ``Donc``, ``所以``, ``よって``, ...); a clause that says how the value was reached (``Solving the system,``); a subject
  of up to 30 plain words, formulas or CJK characters with a verb that says it is, has or comes to the value (``the
  number of ways is``, ``Alice has``, ``we find``, ``共有``), then only words of the copula allow-list (``is therefore
  exactly``); the formula the box closes (``$x =``, ``$f(3) =``); other boxes of a multi-part answer;
- over a box alone on its line, a heading only if it is an answer label;
- after the box: closing markup and punctuation, a unit (``%``, ``^\\circ``, ``\\,\\text{cm}``, ``km/h``, up to three
  words, ``种``, ``です``), then a customary closing (``I hope it is correct.``, ``∎``, ``✓``);
- no word that marks the value tentative in the subject (``putative``, ``safest``, ``supposed``, ``看来``).

Everything else on the line, and any other text after the box, scores 0. The rest of the answer section is still read
by the lenient rules (``extract.final_answer``), which the strict line adds to and never relaxes; it is not read by
this grammar, and red-team round 24 put its hacks there (97 of 174 paid). A fresh round 25 was paid 55 of 105
(the lenient reading: 56) and saw 80 of 86 right answers refused (lenient: 9): the grammar does not generalise, and
this format stays experimental and opt-in.
"""

from __future__ import annotations

import math
import re

from .copula import ALLOWED_GAP_WORDS, qualified_value
from .languages import READ_WORDS
from .remarks import words_of

CONCLUSION = (
    r"(?:therefore|thus|hence|so|finally|consequently|in\s+conclusion|in\s+summary|in\s+total|altogether|overall"
    r"|putting\s+(?:it|this|everything|the\s+pieces)\s+together|all\s+in\s+all|as\s+a\s+result|in\s+the\s+end|now"
    r"|with\s+this|por\s+lo\s+tanto|por\s+tanto|entonces|portanto|donc|ainsi|daher|also|somit|quindi|dunque|dus"
    r"|итак|таким\s+образом|следовательно|所以|因此|故选|故|综上所述?|于是|从而|总之|由此可得|则|∴|以上より|よって|したがって|ゆえに"
    r"|따라서|그러므로)"
)
LABEL = (
    r"(?:[-*>•]\s+)*(?:\*\*)?(?:part\s+)?(?:\(?(?:[a-h0-9]|i{1,3}|iv|v)\)\s*)?(?:\*\*)?\s*"
    r"(?:(?:\*\*|#+\s*|<b>|__)?\s*(?:(?:the\s+)?final\s+answer|answer|(?:final\s+)?result|solution|最终答案|答案|答"
    r"|结论|解答|答え|정답)\s*(?:\*\*|</b>|__)?\s*(?:[:：]|→|->|=>)?\s*(?:\*\*|</b>|__)?)?"
)
# a clause before the subject that says how or when the value was reached: "Solving the system,", "By symmetry,",
# "After simplifying,"
METHOD = (
    r"(?:(?:by|using|from|since|because|solving|substituting|applying|combining|adding|multiplying|computing"
    r"|counting|simplifying|evaluating|plugging|expanding|factoring|dividing|subtracting|after|with\s+this|here"
    r"|next|then|now|finally)\b[^,，:;.]{0,80}[,，]\s*)"
)
# each word taken whole (atomic), so a long line that fails is rejected without backtracking into its words; a
# subject may hold any plain words (the lenient rules, the copula allow-list and `TENTATIVE_RE` read them), no comma
SUBJECT = (
    r"(?:(?>[^\W\d_\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af][^\W\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]*+(?:['-]\w+)*+"
    r"|\$[^$\n]{1,60}\$|\\\$|\d++(?:\.\d++)?|[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af])"
    r"\s*+){0,30}?"
)
# the verb that says the subject is (or has, or comes to) the value; a subject with no such verb is not an answer
# line ("All signs point to", "going with"); then only words of the copula allow-list ("is therefore exactly")
VERB = (
    r"(?:is|are|was|were|be|equals?|becomes|remains|comes\s+(?:out\s+)?to|works\s+out\s+to|totals|has|have|had"
    r"|gives?|get|gets|got|obtain|obtained|yields?|needs?|takes?|costs?|find|found|see\s+that|conclude|leaves?|earns?"
    r"|spent|spends|travels?|makes?|made|reads?|lautet|ergibt|ist|sind|es\s+gibt|il\s+y\s+a|hay|existem|há|es|est"
    r"|sont|son|è|é|sono|равно|равен|равна|составляет|为|是|等于|有|共有|得|选|取|は|が|です|となる|である|은|는|이다)"
)
GAP = r"(?:\s+(?:" + "|".join(sorted(ALLOWED_GAP_WORDS, key=len, reverse=True)) + r"))*"
# the formula the box closes: "$x = ", "$f(3) = ", "$\text{Area} = 6 \times 4 = ", "$\therefore x = " (what it
# says of the box, a relation or a candidate, the lenient rules read)
FORMULA_LEAD = (
    r"(?:(?:\$\$|\$|\\\[|\\\(|\\begin\{(?:equation|align|gather)\*?\})\s*(?:[^$=\n]{0,60}=\s*){0,3}"
    r"|[A-Za-z](?:_\{?\w+\}?)?\s*=\s*)?"
)
LEAD_RE = re.compile(
    r"\s*(?:[^:：\n]{1,120}[:：]\s*(?=" + CONCLUSION + r"))?(?:" + LABEL + r")?\s*(?:" + CONCLUSION
    + r"\s*[,，:]?\s*)?" + METHOD + r"?(?:(?P<subject>" + SUBJECT + r")" + VERB + GAP + r"\s*[:：]?)?\s*" + FORMULA_LEAD
    + r"\s*(?:\*\*)?\s*\Z",
    re.IGNORECASE,
)  # fmt: skip
# between two boxes of one multi-part answer in the sentence: "$x=\boxed{2}$ and $y=\boxed{3}$", "$\boxed{3}$,
# $\boxed{5}$", "$x = \boxed{-2}$ or $x = \boxed{3}$" (how the parts join is judged by the lenient rules), or a lead
# of its own ("$a = \boxed{3}$, so the area is $\boxed{12}$")
BETWEEN_RE = re.compile(r"[\s$,;.*]*(?:and|or|和|及|以及|或)?[\s$,;*]*", re.I)
CLOSING = (
    r"(?:I\s+hope\s+(?:it|this)\s+is\s+correct|I\s+hope\s+(?:this|it)\s+helps(?:\s+you)?|∎|□|Q\.?E\.?D\.?|\\Box"
    r"|\\blacksquare|this\s+completes\s+the\s+(?:solution|proof)|let\s+me\s+know\s+if\s+you\s+have\s+any\s+questions)"
)
UNIT = (
    r"(?:\\?%|\^\s*\{?\\circ\}?(?:\s*\\(?:text|mathrm)\s*\{\s*[CF]\s*\})?|°[CF]?|(?:\\[,;: ])?\s*\\(?:text|mathrm)"
    r"\s*\{[^{}$]{1,24}\}(?:\^\s*\{?\d\}?)?|[a-z]+(?:[ -][a-z]+){0,2}(?:/[a-z]+)?(?:\^?\{?\d\}?)?"
    r"|[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]{1,10})"
)
AFTER_RE = re.compile(
    r"(?:\s|\$\$|\$|\\\]|\\\)|\\end\{[a-z*]+\}|\*\*|</b>|__)*(?:" + UNIT + r"\s*(?:\$\$|\$)?\s*)?"
    r"(?:\s|\$\$|\$|\\\]|\\\)|\\end\{[a-z*]+\}|\*\*|</b>|__|[.。!！])*"
    r"(?:" + CLOSING + r"\s*[.!]?\s*)?(?:✅|✓|✔|</answer>|</b>)?\s*\Z",
    re.IGNORECASE,
)
# a subject that names the answer must be the answer itself, not something done to it or said of it ("The answer
# divided by 2 is", "The last digit of the answer is", "An upper limit for the answer is", "Otherwise the answer is",
# "The first-pass answer is"; red-team round 24): a determiner, plain adjectives of the answer, the noun, and what it
# answers
ANSWER_NOUN_RE = re.compile(r"\b(?:answers?|results?|values?|solutions?)\b", re.IGNORECASE)
ANSWER_SUBJECT_RE = re.compile(
    r"(?:the|our|my|its|this|a|an)?\s*(?:(?:final|correct|required|requested|desired|exact|complete|resulting|only"
    r"|unique|true|maximum|minimum|max|min|largest|smallest|greatest|least|total|numerical|numeric|positive|negative"
    r"|integer|real|possible|common|average|mean)\s+)*(?:answers?|results?|values?|solutions?)"
    r"(?:\s+(?:to|of|for|in)\s+(?:the\s+|this\s+|each\s+)?(?:\$[^$\n]{1,60}\$|problem|question|task|exercise|expression"
    r"|equation|sum|product|part\s+\S+|system|integral|limit|series|function)){0,2}\s*",
    re.IGNORECASE,
)
SENTENCE_END_RE = re.compile(r"[.;!?。；！？](?=\s)")
TENTATIVE_RE = re.compile(
    r"\b(?:putative|presum\w*|probabl[ey]|estimat\w*|guess\w*|bets?|candidates?|front-?runners?|tentativ\w*"
    r"|provisional\w*|approximat\w*|pencil\w*|defensible|safest|plausibl\w*|preliminar\w*|draft|hunch|interim"
    r"|seemingly|supposed\w*|suspected|alleged|conjectur\w*)\b"
    r"|dirait|semble\w*|paraît|parece|scheint|sembra|кажется|видимо|probablement|wahrscheinlich|vermutlich|quizás"
    r"|forse|talvez|vraisemblablement|anscheinend|apparemment|présum\w*|примерно|приблизительно|mutmaßlich"
    r"|voraussichtlich|вроде|muhtemelen|barangkali|mungkin|chyba|prawdopodobnie"
    r"|看来|想必|多半|似乎|好像|大概|可能|也许|估计|或许|应该|大约|八成|预估|毛估|暫定|どうやら|たぶん|おそらく|아무래도|아마",
    re.IGNORECASE,
)


# a heading over a box that stands alone on its line ("### Final Answer", "**Answer:**", "答案："): only an answer
# label, since a heading names what the box is ("### Working Answer", "### First Pass", "When pressed for one number:")
HEADING_RE = re.compile(r"\s*(?:#+|\*\*|__|<b>).*|[^.!?。！？]*[:：]\s*(?:\*\*|__|</b>)?\s*")
# a box of arithmetic on literals that a calculator would finish ("17 \times 23", "2^{10}", "\binom{10}{3}", "7!",
# "\log_2 64", "\cos 60^\circ", "\sqrt{196}", "0.25 \times 48"): the task restated, not its answer, where the
# gold is a plain number (`unfinished_arithmetic`)
UNFINISHED_RE = re.compile(
    r"\d\s*(?:\\times|\\cdot|\*|×|\+|-|\^)\s*\{?\s*\d(?!\d*\s*i\b)|\\[dt]?binom|\d\s*!|\\(?:log|ln|sin|cos|tan|sec|csc|cot)(?![A-Za-z])"
    r"|\\sqrt\s*\{?\s*\d"
    # round 30: C(5, 2), 10 \bmod 7, |3+4i|, \overline{3 - 4i}, 1011_2, a sum of fractions (each fraction is "q")
    r"|\b[CP]\s*\(\s*\d+\s*,\s*\d+\s*\)|\\[bp]?mod(?![A-Za-z])|\|[^|]*\d[^|]*\||\\overline\s*\{[^{}]*\d[^{}]*[+-][^{}]*\}"
    r"|\b(?:\d+|[0-9A-F]{2,})\s*_\s*\{?\s*\(?\d+|q\s*(?:[-+*/]|\\times|\\cdot|\\div)\s*[q\d]|\d\s*(?:[-+*/]|\\times|\\cdot|\\div)\s*q"
)
SCIENTIFIC_RE = re.compile(r"\d\s*(?:\\times|\\cdot|×)\s*10\s*\^|^\s*10\s*\^")


def unfinished_arithmetic(answer: str) -> bool:
    """Whether a box holds arithmetic on number literals left for the reader to do (scientific notation, a complex
    number ``3 + 4i`` and a radical of a non-square are finished forms)."""
    text = re.sub(r"\s+", " ", answer)
    if SCIENTIFIC_RE.search(text) and not re.search(r"\\(?:binom|log|ln|sin|cos|tan)|!", text):
        return False
    for root in re.finditer(r"\\sqrt\s*\{?\s*(\d+)\s*\}?", text):
        if int(root.group(1)) ** 0.5 % 1 == 0:
            return True
    text = re.sub(r"\\sqrt\s*\{?\s*\d+\s*\}?", "r", text)
    fraction_re = r"\\[dt]?frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}|(?<![\d.])(\d+)\s*/\s*(\d+)(?![\d.])"
    for fraction in re.finditer(fraction_re, text):
        numerator, denominator = (int(g) for g in fraction.groups() if g is not None)
        if math.gcd(numerator, denominator) > 1:
            return True  # "\frac{12}{18}" for "simplify"
    text = re.sub(fraction_re, "q", text)
    return UNFINISHED_RE.search(text) is not None


# a completion that says its task is to compute something: a box of that computation undone restates it
COMPUTE_TASK_RE = re.compile(
    # an order to compute at the start of a sentence ("Multiply seventeen by twenty-three.", "Evaluate ...")
    r"(?:^|[.!?:]\s+|\n\s*)(?:compute|evaluate|calculate|convert|simplify|multiply|add|subtract|divide|raise|work\s+out"
    r"|find\s+the\s+(?:value|remainder|modulus|result))\b"
    # or a task that names an operation ("We must compute five factorial", "what is two raised to the tenth power")
    r"|\b(?:we\s+(?:must|need\s+to|have\s+to|are\s+asked\s+to)\s+(?:compute|evaluate|calculate|convert|simplify"
    r"|multiply|add|subtract|divide|raise)|(?:what\s+is|what's|we\s+need|asks?\s+for|asked\s+for)\b[^.?!\n]{0,60}?\b(?:raised\s+to"
    r"|power|square\s+root|cube\s+root|factorial|logarithm|log|modulus|remainder|choose|binomial\s+coefficient|sine|cosine|tangent"
    r"|in\s+base|base[- ]ten|decimal\s+(?:value|form)|times|plus|minus|divided\s+by))\b"
    # or "What is $2^{10}$?": a question about a formula of numbers alone asks for its value (round 44)
    r"|\bwhat\s+is\s+(?:the\s+value\s+of\s+)?\$(?=[^$]*\d)(?:[^$a-zA-Z\\]|\\[a-zA-Z]+)+\$\s*\?",
    re.IGNORECASE,
)


def prompt_text(prompt: object) -> str:
    """The text of a TRL prompt: a string, or the messages of a conversation."""
    if isinstance(prompt, list):
        return " ".join(str(m.get("content", "")) if isinstance(m, dict) else str(m) for m in prompt)
    return prompt if isinstance(prompt, str) else ""


def restates_task(answer: str, prompt: object, completion: bool = False) -> bool:
    """Whether a box of unfinished arithmetic (`unfinished_arithmetic`) copies an expression of the prompt, or leaves
    undone, in any form with two numbers or more, the computation the prompt orders (TRL passes the prompts; without
    one nothing is refused: "6!" answers "how many orders of 6 books" as well), or, for
    the ``completion`` itself, whether it names its task as a computation ("We must compute five factorial.")."""
    if prompt is None or not unfinished_arithmetic(answer):
        return False
    prompt = prompt_text(prompt)  # a conversation: its messages' text
    if completion:
        return COMPUTE_TASK_RE.search(str(prompt).rpartition("</think>")[2]) is not None

    def squeeze(tex: object) -> str:  # one spelling: no spacing, no sizes, \dfrac and \dbinom as \frac and \binom
        tex = re.sub(r"\\[dt](frac|binom)", r"\\\1", str(tex))
        return re.sub(r"\s+|\\[,;! ]|\\left|\\right", "", tex)

    finished = re.search(r"=\s*[-+]?\d+(?:\.\d+)?\s*$", answer)  # "27 - 2 = 25": the work, then its value
    if COMPUTE_TASK_RE.search(str(prompt)) and len(re.findall(r"\d+", answer)) >= 2 and not finished:
        return True  # "Compute 17 x 23." then "23 \times 17", "4^{5}", "\binom{10}{7}": the task in another form (round 42)
    return squeeze(answer) in squeeze(prompt)


def strict_answer_line(text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether the line of the final box holds only what the strict format allows (``text``: the answer section with
    code blanked; ``spans``: (start, end) of every box in it, the final one last)."""
    (final_start, final_end), line_boxes = spans[-1], spans[:-1]
    start = text.rfind("\n", 0, final_start) + 1
    for box in line_boxes:  # the sentence of the final box: after the last sentence end outside a box on its line
        if box[1] > start and box[1] <= final_start:
            end = SENTENCE_END_RE.search(text, box[1], final_start)
            start = end.end() if end else start
    in_sentence = [box for box in line_boxes if box[0] >= start]
    if not re.search(
        r"\w", words_of(text[start : in_sentence[0][0] if in_sentence else final_start]).replace("$", "")
    ):
        lines = [line for line in text[:start].split("\n") if line.strip()]
        heading = words_of(lines[-1]) if lines else ""
        if HEADING_RE.fullmatch(heading) and not LEAD_RE.fullmatch(heading):
            return False  # "### Working Answer" over the box
    spans = [(start, start), *in_sentence, (final_start, final_end)]
    for (_, previous_end), (next_start, _) in zip(spans, spans[1:]):
        gap = words_of(text[previous_end:next_start])
        lead = re.split(r"(?<=[.;!?。；！？])\s+", gap)[-1] if previous_end == start else BETWEEN_RE.sub("", gap, 1)
        match = LEAD_RE.fullmatch(lead)
        if match is None or TENTATIVE_RE.search(lead) or qualified_value(lead):
            return False
        subject = (match.group("subject") or "").strip()
        if ANSWER_NOUN_RE.search(subject) and not ANSWER_SUBJECT_RE.fullmatch(subject):
            return False  # "The answer divided by 2 is": something done to the answer
    return AFTER_RE.fullmatch(words_of(text[final_end:])) is not None


# ------------------------------------------------------------------ the lead of the final box, in the lenient reading

# how a bare lead may open (no verb before the box: "So $\boxed{5}$", "Answer: $\boxed{5}$"), and what may stand before
# "the answer is": an answer label, a conclusion word, a clause of method; anything else there ("Labda", "With luck,",
# "It appears", "In theory,", "Working answer:") is a word no rule reads, so the box is not known to be committed
# (red-team round 26: 45 of 45 such leads were paid by vocabularies of doubt)
MORE_CONCLUSION = (
    r"(?:in\s+all|all\s+told|in\s+short|in\s+sum|to\s+(?:summari[sz]e|conclude|sum\s+up)|ultimately|lastly|accordingly"
    r"|as\s+such|clearly|indeed|explicitly|equivalently|exactly|precisely|that\s+is|i\.e\.|namely"
    r"|putting\s+(?:it|this|everything)\s+all\s+together|(?:step|part)\s+\w+\s*[:.])"
)
LEAD_END = r"(?:\s|\*\*|__|</?b>|\$|\\\(|\\\[|[>|:：,，]|\\(?:text|mathrm|textbf)\s*\{)*\Z"
LEAD_OPENING = (
    r"(?:\s|\*\*|__|</?b>|[>|$]|\\(?:text|mathrm|textbf)\s*\{)*(?:" + LABEL + r")?\s*(?:(?:" + CONCLUSION + r"|"
    + MORE_CONCLUSION + r")\s*[,，:]?\s*){0,2}"
    r"(?:(?:by|using|from|since|because|solving|substituting|applying|combining|adding|multiplying|computing|counting"
    r"|simplifying|evaluating|plugging|expanding|factoring|dividing|subtracting|summing|checking|after|with\s+this"
    r"|here|next|rounded|as\s+(?:computed|shown|found))\b[^,，:;]{0,80}[,，:]\s*)?"
)  # fmt: skip
# "..., so the answer is": a clause of any words, then a conclusion word
REASON_FIRST = (
    r"(?:[^;!?\n]{0,200}?[,，]\s*(?:" + CONCLUSION + r"|and|but)\s*[,，]?\s*|[^;!?:\n]{1,120}[:：]\s*)?"
    r"(?:(?:we|I|I'm|I\s+am)\b[^,.;:\n]{0,40}?\s(?:that\s+)?)?"
)
ANSWER_LEAD_RE = re.compile(
    LEAD_OPENING + REASON_FIRST + r"(?:" + ANSWER_SUBJECT_RE.pattern + r")\s*(?:is|are|was|equals|:|：|=)\s*(?:"
    + GAP[3:-2] + r")*" + LEAD_END,
    re.IGNORECASE,
)  # fmt: skip
BARE_LEAD_RE = re.compile(LEAD_OPENING + FORMULA_LEAD + LEAD_END, re.IGNORECASE)
QUANTITY_WORDS = frozenset(
    "surface base interval binary decimal hex octal notation exact simplified form total final net gross profit loss"  # noqa: SIM905
    " income revenue work energy power force mass weight density pressure velocity acceleration momentum charge"
    " current voltage resistance temperature heat percentage percent ratio proportion share score age population"
    " balance amount difference product quotient ratio slope intercept vertex focus center centre diameter"
    " circumference chord arc sector hypotenuse leg legs base height depth capacity"
    # round 30: what a function or an equation's solutions are labelled with
    " domain range roots root zeros zero solutions solution set period amplitude asymptote asymptotes inverse".split()
)
FUNCTION_WORDS = frozenset(
    "a an the and or but if so as at by for from in into of on onto to with without via per than then thus hence"  # noqa: SIM905
    " being been be is are was were it its this that these those here there now very quite really just also even"
    " still yet again once".split()
)
THERE_ARE = frozenset({"existem", "existen", "existe", "há", "gibt", "sind", "ci", "ya"})
LABEL_WORDS = (READ_WORDS | QUANTITY_WORDS) - FUNCTION_WORDS  # a colon label of these names a quantity
BARE_WORDS = READ_WORDS | THERE_ARE  # one word of these before the box is read
# the lead ends by naming the answer ("the final answer is", "Answer:"): judged whole
ANSWER_PHRASE_RE = re.compile(r"\banswers?\s*(?:\*\*)?\s*(?:is|are|was|equals|:|：|=)\s*[\w\s]{0,20}?[\s$*:]*\Z", re.I)
# a bare lead: one plain word, or up to three and a comma, then the box ("Siguro", "With luck,", "For now,")
BARE_PHRASE_RE = re.compile(r"\s*(?:\*\*)?\s*(?:[A-Za-z]+|[A-Za-z]+(?:[ -][A-Za-z]+){0,2}\s*,)[\s$*]*\Z")
# a short label with a colon over the box ("Fairly confident:", "Subject to revision:", "Answer (first pass):"):
# licensed as a label of the answer, or when every word is a common word of worked solutions ("Work done:")
COLON_LABEL_RE = re.compile(r"\s*(?:\*\*)?\s*[A-Za-z][A-Za-z ,()'-]{0,40}?\s*(?:\*\*)?\s*[:：]\s*(?:\*\*)?[\s$*]*\Z")


# a parenthetical between the subject and its verb ("The answer (convention permitting) is", "The total (barring a
# slip) is"): only a unit, a form or a scope may stand there ("(in cm)", "(as a fraction)", "(up to rotation)")
PARENTHETICAL_LEAD_RE = re.compile(
    r"\(\s*(?!(?:in|as|to|up\s+to|mod|modulo|expressed|written|simplified|exact|over|per|for\s+part|rounded|correct"
    r"|accurate|given)\b)[A-Za-z][^()$\d]{1,60}\)"
    r"\s*(?:is|are|was|equals|comes\s+to|=|:)\s*(?:\w+\s+){0,2}[\s$*]*\Z",
    re.IGNORECASE,
)
# the answer named in the read languages ("la respuesta es", "Die Antwort ist", "het antwoord is"): the same grammar
FOREIGN_ANSWER_RE = re.compile(
    r"(?:(?:la|le|die|het|a|o|il|de)\s+)?(?:respuesta|réponse|antwort|risposta|antwoord|resposta)(?:\s+final[e]?)?"
    r"\s*(?:es|est|ist|lautet|è|is|é|:)\s*(?:dus|also|daher|donc|ainsi|entonces|quindi|portanto|finalmente)?[\s$*:]*\Z",
    re.IGNORECASE,
)
FOREIGN_OPENING_RE = re.compile(r"(?:\s|\*\*|[>|])*(?:(?:" + CONCLUSION + r")\s*[,，:]?\s*)?\Z", re.IGNORECASE)


FORMAT_LABEL_RE = re.compile(
    r"[\s*#]*(?:in|using|per)?\s*(?:the\s+)?(?:AIME|required|requested|expected|standard|three-digit|integer)"
    r"\s+(?:answer\s+)?(?:format|form)\s*:[\s*$]*",
    re.IGNORECASE,
)


def unlicensed_lead(lead: str) -> bool:
    """Whether the words before the final box in its sentence (``lead``, as `remarks.words_of` reads it) are outside
    what the lenient reading licenses in two shapes of final sentence: a lead that ends by naming the answer ("Thus,
    the final answer is", "Answer:") may open only with a label, conclusion words, a clause of method, or a reason
    followed by a conclusion word ("..., so the answer is"); a bare lead of one plain word, or up to three and a comma ("So",
    "Hence,", "In total,"), only with a label or conclusion words. Other leads (a subject with its verb) are read by the other
    rules."""
    lead = re.sub(r"\\[()\[\]]", " ", lead)
    if PARENTHETICAL_LEAD_RE.search(
        re.sub(r"\$\$[^$]*(?:\$\$|\Z)|\$[^$]*(?:\$|\Z)", " ", lead)
    ):  # outside formulas: "$P(A) =" is math
        return True
    foreign = FOREIGN_ANSWER_RE.search(lead)
    if foreign:  # "Salvo error u omisión, la respuesta es": only conclusion words may open it
        return FOREIGN_OPENING_RE.fullmatch(lead[: foreign.start()]) is None
    if ANSWER_PHRASE_RE.search(lead):  # "Thus, the answer is", or a label alone ("**Answer:**")
        return ANSWER_LEAD_RE.fullmatch(lead) is None and BARE_LEAD_RE.fullmatch(lead) is None
    if ANSWER_SUBJECT_RE.fullmatch(re.sub(r"[\s,$*]+\Z", "", lead)):
        return False  # "The answer, $\boxed{18}$, satisfies both conditions.": the answer in apposition
    words = re.findall(r"[A-Za-z]+", lead.lower())
    if FORMAT_LABEL_RE.fullmatch(lead):
        return False  # "In AIME format: $\boxed{012}$": the form the problem asked for (round 37)
    if COLON_LABEL_RE.fullmatch(lead) and len(words) <= 4 and BARE_LEAD_RE.fullmatch(lead) is None:
        # a label names a quantity ("Total lost:", "Work done:"); a word of how sure or when ("Fairly confident:",
        # "Subject to revision:") does not
        return not any(word in LABEL_WORDS for word in words)
    if BARE_PHRASE_RE.fullmatch(lead):  # a word of a read language's common stock ("Hay", "Existem") is read
        return BARE_LEAD_RE.fullmatch(lead) is None and re.sub(r"[\W\d_]", "", lead).lower() not in BARE_WORDS
    return False

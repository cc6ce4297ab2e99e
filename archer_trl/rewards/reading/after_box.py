"""What may follow a final box without withdrawing it: a plain continuation ("ways to do this."), a CJK sentence end,
a remark that the answer was checked, or an explanation that states no other answer. Everything else after the box
(a doubt, a condition, another value, a word of a language the vocabularies do not read) means the box is not a
committed answer."""

from __future__ import annotations

import re
from fractions import Fraction

from ..math.units import SCALING_NOUN, VALUE_WORDS_RE
from .remarks import NUMBER_WORDS, stated_number
from .wording import (
    CJK_ENDINGS,
    CONTINUATION_WORDS,
    DOUBT_AFTER_RE,
    HEDGE_RE,
    NEGATION_RE,
    PLAIN_REMARK_RE,
    RELATIONAL_AFTER_RE,
    REMARK_WORDS,
    RETRACTION_RE,
    STRONG_HEDGE_RE,
    TAIL_DENY_RE,
    UNSETTLING_RE,
    VERIFIED_RE,
)

# A Chinese unit word after the box, read as the unit it names so that the grader compares it ("$\\boxed{5}$ 千米" is
# 5 km: against a gold of 5 m it fails, against 5000 m it holds)
CJK_UNITS = {"平方千米": "square kilometers", "平方公里": "square kilometers", "平方厘米": "square centimeters", "平方分米": "square decimeters", "平方毫米": "square millimeters",
             "平方米": "square meters", "立方厘米": "cubic centimeters", "立方分米": "cubic decimeters", "立方米": "cubic meters", "千米": "km", "公里": "km",
             "分米": "dm", "厘米": "cm", "毫米": "mm", "米": "m", "千克": "kg", "公斤": "kg", "克": "g", "吨": "t",
             "毫升": "mL", "升": "L", "小时": "hours", "分钟": "minutes", "秒钟": "seconds", "秒": "seconds", "天": "days",
             "星期": "weeks", "周": "weeks", "千米/小时": "kilometers per hour", "公里/小时": "kilometers per hour", "米/秒": "meters per second", "个月": "months", "年": "years", "度": "degrees"}  # fmt: skip
CJK_UNIT_RE = re.compile(r"\s*\$?\s*(" + "|".join(sorted(CJK_UNITS, key=len, reverse=True)) + r")\s*[。.！!]?\s*")


# After the box, another value offered beside it, whatever its form ("(or $-\\frac{\\pi}{2}$)", "(or Wednesday)",
# "— or $\\frac{2}{\\sqrt{3}}$", "An ellipse also works.", "Its negative works too.", "$-3$ 也满足条件"); a restatement
# of the same value ("(or 0.375)") is read before this, and "or equivalently" restates (red-team round 21)
ALTERNATIVE_AFTER_RE = re.compile(
    r"(?:\(|[—–-]|^|[.;,]|\s)\s*(?:or|oder|ou|o|или)\b(?!\s*,?\s*(?:equivalently|simply|in\s+other\s+words|rather|so)\b)"
    r"|\ba\.?k\.?a\b|\balias\b|\bviz\b|\botherwise\s+(?:known|called|written)"
    r"|\b(?:also|too|as\s+well|equally)\b[^.;\n]{0,40}\b(?:works?|fits?|satisf\w*|valid|qualif\w*|holds?|solves?)\b"
    r"|\b(?:works?|fits?|satisf\w*|holds?|solves?)\b[^.;\n]{0,40}\b(?:too|as\s+well)\b|也满足|也符合|也成立|同样满足",
    re.IGNORECASE,
)
ANSWER_ITSELF_RE = re.compile(
    r"^\W*(?:this|it|that|which|the\s+(?:answer|value|result|solution)|our\s+answer)\b", re.I
)


def offers_alternative(after: str) -> bool:
    """Whether the text after the box offers another value beside it (`ALTERNATIVE_AFTER_RE`), in a sentence whose
    subject is not the answer itself ("This also satisfies the second equation." is a check)."""
    for sentence in re.split(r"(?<=[.!?。！？])\s+|\n+", after):
        match = ALTERNATIVE_AFTER_RE.search(sentence)
        if match and not (ANSWER_ITSELF_RE.search(sentence) and "or" not in match.group().lower().split()):
            return True
    return False


def plain_remark(after: str) -> bool:
    """Plain words that go on after the box ("ways to do this.", "is the answer.", ", which is the smallest such
    $n$."): one sentence of known words (`CONTINUATION_WORDS`) and one-letter formulas, with no question and no word
    of doubt, negation, relation, retraction or alternative. A check with numbers after the box is not read (it
    could state another value)."""
    stripped = re.sub(r"^(?:\s|\$|\\[)\]])*", "", after).strip()
    if not stripped or "?" in stripped or len(stripped) > 300 or offers_alternative(after):
        return False
    if any(
        r.search(stripped) for r in (DOUBT_AFTER_RE, NEGATION_RE, RETRACTION_RE, TAIL_DENY_RE, RELATIONAL_AFTER_RE)
    ):
        return False
    words = re.findall(r"[^\W\d_][\w'-]*", re.sub(r"\$[A-Za-z]\$", " ", stripped))
    known = all(word.lower() in CONTINUATION_WORDS for word in words)
    if not known and re.match(
        r"\W*(?:is|are|was|were|can|could|would|should|does|do|did)\s+(?:it|that|this|there|so)\b", stripped, re.I
    ):
        return False  # ", is that the answer.": a question without its mark
    if not known and re.search(r"\b(?:an?|the)\s+(?:different|other)\b|\b(?:another|else)\b", stripped, re.I):
        return False  # "is the answer to a different problem."
    return (
        bool(PLAIN_REMARK_RE.fullmatch(stripped))
        and len(words) <= (16 if known else 8)
        and all(word.lower() in CONTINUATION_WORDS or _plain_word(word) for word in words)
        and not UNSETTLING_RE.search(stripped)
    )


def _plain_word(word: str) -> bool:
    """A lowercase English word after the box that no list knows ("ways to do it", "seating arrangements"): read as
    plain when it is no number word, no word that scales the number (`SCALING_NOUN`: "twelfths", "zillions") and none
    of `VALUE_WORDS_RE`; the deny-lists of the caller still apply."""
    lowered = word.lower()
    return (
        re.fullmatch(r"[a-z]{2,}", word) is not None
        and lowered not in NUMBER_WORDS
        and SCALING_NOUN.fullmatch(lowered) is None
        and VALUE_WORDS_RE.fullmatch(lowered) is None
    )


COUNTED_NOUN_RE = re.compile(
    r"(?:一共|共)?[种个名位人条只本次道组对项张台棵支把间所座]的?(?:不同的?)?[\u4e00-\u9fff]{1,8}"
)


def plain_cjk_ending(after: str) -> bool:
    """The end of a Chinese, Japanese or Korean sentence after the box ("种方法。", "です。", "입니다."): only known
    endings (`CJK_ENDINGS`: particles, copulas, counters) and punctuation."""
    rest = re.sub(r"[\s$.。！!，,、)）\]}*]", "", after)
    if not rest:
        return False
    counted = COUNTED_NOUN_RE.fullmatch(rest)  # "种不同的排法", "名学生": a counter and what it counts
    if counted and not re.search(
        r"不(?!同)|倍|万|亿|千|百|分之|之一|半|平方|立方|倒数|相反|以[上下内外]|约|左右|或|可能|吧|呢|吗|错|多|少|余|几"
        # a count's modifiers and operations, after its counter ("人上下", "个起步", "种还是十三种", "个再加一个")
        r"|上下|出头|起步|封顶|打底|开外|还是|要么|再|加|减|乘|除|来|许|强|弱|到|止|最|至|大概|估计|差不多",
        rest,
    ):
        return True
    while rest:
        ending = next((e for e in sorted(CJK_ENDINGS, key=len, reverse=True) if rest.startswith(e)), None)
        if ending is None:
            return False
        rest = rest[len(ending) :]
    return True


def verified_remark(after: str) -> bool:
    """A plain remark that the answer was checked, in a small vocabulary ("I checked it by substituting back, and
    it works.", "Verified.", "验证无误。"): any other word, number or sign is not known to be harmless."""
    if re.fullmatch(
        r"[\s$。.!]*(?:我?(?:已经?)?(?:验证|检验|检查)过?了?|验证无误|经检验(?:无误|正确)|已验证)[\s。.!]*", after
    ):
        return True
    if re.fullmatch(r"[\s$,.!]*as\s+(?:required|claimed|desired|expected|computed|shown|stated)[\s.!]*", after, re.I):
        return True
    words = re.findall(r"[^\W\d_]+|\d|[^\w\s$.,;:!()—–-]", after)
    if words and words[0].lower() in ("has", "have", "is", "was", "were", "does", "did", "can", "could"):
        return False  # "Has this been checked.": a question, whatever its punctuation
    return (
        bool(words)
        and any(VERIFIED_RE.fullmatch(w) for w in words)
        and all(w.lower() in REMARK_WORDS or VERIFIED_RE.fullmatch(w) for w in words)
    )


# After the final box, in a remark that is not in the small vocabularies above: words that make it more than an
# explanation (a doubt, a condition, a contrast, a second value, a variant of the problem, a step that goes on, a
# value changed: "twice that", "its square", "-ish").
PLAIN_WORDS = CONTINUATION_WORDS | REMARK_WORDS  # what a one- or two-word aside after the box may be made of
ANSWER_AS_SUBJECT_RE = re.compile(
    r"\W*(?:it|this|that|these|the\s+(?:answer|value|result|number|count|above)|(?:this|that|our|my)\s+(?:answer|value"
    r"|result|number|count|root|solution)|(?:plugging|substituting|putting|checking|testing)\s+(?:it|this|that)\b)\b",
    re.IGNORECASE,
)
AFTER_DANGER_RE = re.compile(
    r"\b(?:unless|whether|either|instead|rather|except|assum\w*|suppos\w*|may"
    r"|would|should|must|perhaps|maybe|likely|probabl\w*|possib\w*|seem\w*|appear\w*|think|believe|guess\w*|(?<!pretty\s)(?<!fairly\s)(?<!quite\s)(?<!very\s)sure"
    r"|uncertain\w*|doubt\w*|hold\s+on|different|differ(?:s|ent|ently)?"
    r"|equally|variant|version|bonus|otherwise|approx\w*|around|nearly|almost|about|roughly|close|estimat\w*"
    r"|round\w*|then|change\w*|had|slip|tempt\w*|naive\w*|trap|typo|updat\w*"
    r"|correct(?:ed|ion|ing)|miscalc\w*|misc\w*|mis\w+|errat\w*|scrap\w*|never\s*mind|ignore|disregard|recount\w*"
    r"|revis\w*|if|provided|providing|given\s+that|odds|bet|shy|short|plus|minus|give\s+or\s+take|over|under|least|most|(?<!once\s)more|less|fewer"
    r"|greater|smaller|larger|higher|lower|not|no|none|never|nor|only\s+if|unclear|ish|twice(?=\s+(?:that|this|it|as|the\s+(?:answer|value|result)|of))|doubl(?:e|ed|ing)(?![- ]?(?:check|count))|tripl(?:e|ed|ing)"
    r"|half|halve\w*|times|percent|per|reciprocal|invers\w*|opposite"
    r"|thousand\w*|million\w*|billion\w*|hundred\w*|\w+fold|its\s+(?:square|cube|root|double|half)"
    r"|gets?\s+(?:squared|cubed|doubled|halved|tripled|multiplied|divided|raised)|(?:squar|cub)(?:e|ed|ing)(?=\s+(?:that|this|it)\b)"
    r"|dozen\w*|gross|score|pending|tbd|todo|draft|coin\s+flip|confidence|second\s+look|grain\s+of|ymmv|fifty-fifty|unfinished|incomplete|retract\w*|nope|nah|base|check\s+fails|fails\s+for|p\.?s"
    # round 37: how the work was done, and a second value's labels ("done in a hurry", "hand-wavy", "(alt: 540)")
    r"|hurr\w*|hast\w*|rushed|sloppy|sketchy|hand-?wav\w*|vibes?|instinct\w*|gut|half-?remembered|from\s+memory"
    r"|unproven|alt|alternat\w*|backup|fallback|runner-?up"
    # the writer finding fault with the boxed value (round 26): a miscount, a failed check, a step left to do, an
    # instruction to change it ("Divide by two for the final count.", "Add one for the empty set.")
    r"|overcounts?|overcounted|undercount\w*|counted\s+(?:\w+\s+){0,2}(?:twice|separately)\s+here|were\s+counted\s+separately"
    r"|(?:this|that|it)\s+(?:over)?counts\s+(?:\w+\s+){0,3}twice|fail(?:s|ed)|violat\w*|contradict\w*|outside\s+the"
    r"|dropped|forgot\w*|neglect(?:s|ed)|overlook(?:s|ed)|mistak\w*|erroneous|invalid|flawed|sadly|unfortunately|alas"
    r"|(?:asks?|asked)\s+for\s+the|(?:treated|taken)\s+as\s+distinct|to\s+finish|for\s+the\s+(?:final|correct|actual|true)"
    # round 27: afterthoughts, steps still to do, qualifiers of the claim
    r"|hindsight|second\s+thoughts?|another\s+look|suspicious|hast(?:y|ily)|deserves|on\s+top\s+of|still\s+ha(?:s|ve)\s+to"
    r"|(?:has|have|needs?)\s+to\s+be\s+(?:added|subtracted|multiplied|divided|included|removed)|to\s+get\s+the\s+(?:full"
    r"|required|final|total|actual|correct|complete)|permitting|to\s+the\s+extent|present\s+evidence|for\s+what\s+it"
    r"|just\s+as\s+(?:natural|valid|plausible|reasonable|good|likely)"
    r"\s+(?:count|answer|value|total|result))\b"
    r"|[?？❓❔⁇⁈⁉¿]|<|[×x]\s*10\s*\^|×\s*10|-ish|或|(?<!等)可能|也许|大概|吗|还是|如果|假设|大约|约为|约等于|约是|左右|似乎|其实|重新|若|应|猜|估|或许"
    r"|倍|平方|立方|分之|万|亿|千|百|倒数|相反数|一半|以下|以上|吧|呢|と思|でしょう|よう|かも",
    re.IGNORECASE,
)
# Words that change a value or state a condition only with a value of their own: in a sentence after the box that
# names no other number they explain ("This happens when the squared term vanishes.", "which is why we could
# multiply"); with one they may offer it ("When order matters, 20.", "Its square, 144, is asked for.")
SOFT_DANGER_RE = re.compile(
    r"\b(?:could|were|when|squar\w*|cube\w*|cubic|root|negat\w*|power|example|but|however|although|though|yet"
    r"|another|alternat\w*|second|too|also|as\s+well|or|other|possib\w*|certain\w*|chance)\b|不(?!同)|错|但|另|也|还",
    re.IGNORECASE,
)
# In an explanation after the box, words that make it an alternative, a bound or an estimate whatever follows
EXPLANATION_DENY_RE = re.compile(
    r"\b(?:candidate|option|among|choice|hypothe\w*|bound|approximate\w*|about|roughly|estimate\w*|guess\w*|close"
    r"|near\w*|false|wrong)\b",
    re.IGNORECASE,
)
# Words a sentence in another language written in Latin letters hardly avoids ("das ist falsch", "c'est faux",
# "sbagliato"): such a remark is not read, so it does not pass as harmless
FOREIGN_WORDS = {"es", "est", "ist", "sind", "das", "der", "den", "und", "oder", "aber", "la", "le", "les", "el", "los", "las", "une", "ein", "eine", "nicht", "pas", "non", "il", "lo", "gli", "che", "di", "del", "della", "que", "qui", "pero", "mais", "sono", "sei", "et", "um", "uma", "het", "een", "niet", "ik", "je", "ja", "nein", "si", "oui", "falsch", "faux", "falso", "falsa", "errato", "sbagliato", "fout", "richtig", "vero", "wahr", "vrai", "moment", "c'est", "ce", "est-ce", "nao", "sim", "aussi", "auch", "pues"}  # fmt: skip
# LaTeX in an explanation: arithmetic only (another box, a frame or a relation is not an explanation)
EXPLANATION_COMMANDS = {"frac", "dfrac", "tfrac", "cdot", "times", "div", "sqrt", "left", "right", "quad", "qquad", "text", "mathrm", "pi", "theta", "alpha", "beta", "gamma", "sin", "cos", "tan", "log", "ln", "binom", "checkmark", "ldots", "cdots", "dots", "circ", "deg", "equiv", "pmod", "bmod", "mod", "mathbb", "mathbf", "displaystyle", "infty", "lfloor", "rfloor", "lceil", "rceil", "cdotp"}  # fmt: skip
EXPLANATION_SYMBOLS = set("✓✔✅☑·×÷−–—…°²³¹√π∑()[]{}") | set("，。、：；！（）“”「」")
# A sentence after the box that excludes another value, or says where the box's value is attained
REJECTED_RE = re.compile(
    r"\b(?:rejected|extraneous|discard(?:ed)?|excluded|invalid|not\s+valid|(?<!check\s)fails?|violates?|inadmissible)\b|舍去|不合题意|不符合",
    re.I,
)
WHERE_ATTAINED_RE = re.compile(
    r"\b(?:attained|achieved|reached|occurs|occurring|realized|equality\s+holds|plugging|substituting)\b|此时|取到|取得|代入",
    re.I,
)
# A value named as a result in a sentence after the box ("The count is 15.", "With repetition: 15", "x = 15")
CLAIM_RE = re.compile(
    r"\b(?:answer\w*|result\w*|solution\w*|final|value\w*|works?|valid|correct|right|true|that\s+is|i\.e|"
    r"equals?|total|count|comes?\s+(?:out|to))\b|答案|结果|得|等于",
    re.IGNORECASE,
)
QUESTION_START_RE = re.compile(
    r"\s*(?:has|have|is|was|were|are|does|did|do|can|could|will|would|should|shall|may|might|am|isn't|wasn't)\b", re.I
)
NUMBER_TEXT_RE = re.compile(
    r"\d+(?:\.\d+)?|\b(?:" + "|".join(NUMBER_WORDS) + r"|\w+teen|\w+ty|thousand|million)s?\b", re.IGNORECASE
)  # the words `stated_number` reads, and larger ones
# How an explanation may begin right after the box: its sentence ends, or a reason or an aside starts
EXPLANATION_START_RE = re.compile(
    r"(?:[ \t]|\$|\\[\])])*(?:\n|[.!。！]|,\s*(?:since|because|as|attained|achieved|reached|obtained|realized|occurring"
    r"|which\s+(?:occurs|happens|is\s+(?:attained|achieved|reached)))\b|[,，]\s*(?:因为|由于|此时|其中|即|当)|\s[—–]\s|\s--\s|\s\(|\s+(?:because|since)\b|,\s*(?:by|using|via|from)\b|:\s"
    r"|,\s*which\s+(?:makes\s+sense|is\s+(?:consistent|reasonable|expected|correct|indeed)))"
)


# A sentence that ends on what some working produced ("Tallying row by row yields 13.", "Summing by columns totals
# 13.", "Going through the diagram cell by cell produces 31.")
RESULT_END_RE = re.compile(
    r"\b(?:yield(?:s|ed)?|give[sn]?|gave|produce[sd]?|total(?:s|l?ed)?|makes?|made|comes?\s+(?:out\s+)?to|results?\s+in"
    r"|returns?|returned|outputs?|leads?\s+to|amounts?\s+to|sums?\s+to|adds?\s+up\s+to|works?\s+out\s+to|gets?|got"
    r"|obtains?|obtained|finds|found|counts?)\s+\$?\s*([-+]?\w+(?:\.\d+)?)\s*\$?\s*[.!。✓]*\s*\Z",
    re.IGNORECASE,
)


def _own_number(text: str, own: set[str]) -> bool:
    value = stated_number(text)
    return text.lower() in own or (value is not None and str(value) in own)


def benign_remark(after: str, final: list[str]) -> bool:
    """An explanation after the final box that states no other answer ("$\\boxed{12}$, since each vertex has 3
    edges.", "Note that we counted each pair once.", "Substituting back: $2(5)+3 = 13$ ✓."). Its sentence ends at
    the box, or a reason or an aside begins there (anything else in the box's sentence may change the value: "twice
    that", "的两倍", "thousand"); no word of doubt, condition, contrast, alternative, relation or continuation
    (`AFTER_DANGER_RE`), no question, no word of another language (the vocabularies would not read its hedges), no
    markup but arithmetic; and no sentence names a value other than the box's as a result (`CLAIM_RE`), ends on one
    after a copula or a colon, or assigns one to a variable."""
    if offers_alternative(after):
        return False
    if EXPLANATION_START_RE.match(after) is None:
        head = re.match(
            r"[^.!。！\n]*?(?=,\s*(?:since|because|as)\b)|[^.!。！\n]*[.!。！]", after
        )  # "$\\boxed{12}$ ways. The key insight was ..."
        if head is None or not plain_remark(head.group()):
            return False
        after = after[head.end() :]
    after = after.strip()
    sentences = [s for s in re.split(r"(?<=[.!?。！？✓])\s*|\n+", after) if re.search(r"\w", s)]
    # a fragment of one or two words ("Allegedly.", "In theory.", "(siguro)") is an aside no rule here reads: only
    # words of the plain vocabularies, or short ones (units: "sq. ft."), may make one up
    for sentence in sentences:
        sentence = re.sub(r"^(?:\s|\$|\\[)\]])+", "", sentence)  # the box's own closing delimiter
        words = re.findall(r"[A-Za-z]+", sentence)
        if (
            0 < len(words) <= 2
            and sentence.isascii()
            and not re.search(r"[\d$=]", sentence)
            and any(len(w) > 3 and w.lower() not in PLAIN_WORDS and not VERIFIED_RE.fullmatch(w) for w in words)
        ):
            return False
    # a sentence that gives the reason another value is excluded ("The root $x=-4$ is extraneous.") names that value
    # and words such as "other": only a doubt or a question in it is read
    # ... unless its subject is the box itself ("It fails the original equation.", "This lies outside the domain.")
    rejections = [s for s in sentences if REJECTED_RE.search(s) and not ANSWER_AS_SUBJECT_RE.match(s)]
    condition = (
        r"\b(?:if|unless|provided|providing|otherwise|assum\w*|depend\w*|suppos\w*|when|whether|else|but|however|or)\b"
    )
    if any(
        HEDGE_RE.search(s) or RETRACTION_RE.search(s) or re.search(condition, s, re.I) or "?" in s for s in rejections
    ):
        return False
    sentences = [s for s in sentences if s not in rejections]
    for rejection in rejections:
        after = after.replace(rejection, " ")
    if len(after) > 600 or len(sentences) > 8:
        return False
    prose = re.sub(r"\\[A-Za-z]+", " ", after)  # "\\times" is a sign, not the word "times"
    prose = re.sub(r"\bwait,?\s+let\s+me\s+(?:double[- ]?)?(?:check|verify|confirm)\b", " ", prose, flags=re.I)
    if (
        AFTER_DANGER_RE.search(prose)
        or RELATIONAL_AFTER_RE.search(prose)
        or any(r.search(prose) for r in (DOUBT_AFTER_RE, NEGATION_RE, RETRACTION_RE, STRONG_HEDGE_RE))
        or EXPLANATION_DENY_RE.search(after)
    ):
        return False
    own = {n.lower() for value in final for n in NUMBER_TEXT_RE.findall(value)} | {
        str(stated_number(value)) for value in final if stated_number(value) is not None
    }
    if any(
        SOFT_DANGER_RE.search(s)
        and not WHERE_ATTAINED_RE.search(s)
        and any(n.lower() not in own for n in NUMBER_TEXT_RE.findall(s))
        for s in sentences
    ):
        return False  # "When order matters, 20."
    if any(c.lower() not in EXPLANATION_COMMANDS for c in re.findall(r"\\([A-Za-z]+)", after)):
        return False
    for char in after:
        if char.isascii() or char in EXPLANATION_SYMBOLS or re.match(r"[\u4e00-\u9fffπθαβγλ]", char):
            continue
        return False  # a word of a language the vocabularies do not read, or a sign with a meaning they lack
    words = {w.lower() for w in re.findall(r"[A-Za-z][\w'-]*", after)}
    if words & FOREIGN_WORDS:
        return False
    for sentence in sentences:
        first = re.match(r"[\s$(—–-]*(?:p\.?\s*s\.?\s*)?([^\W_]+)(?=\s+\w)", sentence, re.I)  # "1." is a list marker
        if first and NUMBER_TEXT_RE.fullmatch(first.group(1)) and first.group(1).lower() not in own:
            return False  # "(fifteen with repetition allowed)", "Fifteen in the unordered case."
        if QUESTION_START_RE.match(sentence) and not re.match(r"\s*(?:is|are)\s+(?:indeed|also)\b", sentence):
            return False  # "Has this been checked." is a question, whatever its punctuation
        new = [n for n in NUMBER_TEXT_RE.findall(sentence) if n.lower() not in own]
        if not new:
            continue
        claim = CLAIM_RE.search(sentence)
        if claim and any(n.lower() not in own for n in NUMBER_TEXT_RE.findall(sentence, claim.end())):
            return False
        assigned = [m.group(1) for m in re.finditer(r"(?<![\\\w])[A-Za-z]\s*=\s*\$?\s*([-+]?\d+(?:\.\d+)?)", sentence)]
        if any(a.lstrip("+") not in own for a in assigned) and not WHERE_ATTAINED_RE.search(sentence):
            return False  # "x = 15" after a box of 12; "attained at $x = 1$" says where, not what
        ending = re.search(
            r"(?:\b(?:is|are|was|be|equals?|makes?)|[:=是为])\s*\$?\s*([-+]?\w+(?:\.\d+)?)\s*\$?\s*[.!。✓]*\s*\Z",
            sentence,
        )
        substitution = ending is not None and ending.group(0).lstrip().startswith("=")
        if substitution and any(n in sentence.split("=")[0] for n in own):
            continue  # a check "2(5)+3 = 13" keeps its box's 5
        if WHERE_ATTAINED_RE.search(sentence):
            continue  # "attained at $x = 1$": where the value is reached, not another value
        if ending and ending.group(1).lower() not in own and NUMBER_TEXT_RE.fullmatch(ending.group(1)):
            return False  # "The count is 15.", "With repetition: 15"
        result = RESULT_END_RE.search(sentence)
        if result and NUMBER_TEXT_RE.fullmatch(result.group(1)) and not _own_number(result.group(1), own):
            return False  # "Tallying row by row yields 13.": another way of working gave another number
    return True


# The box's value said again right after it, in another form ("$\\boxed{\\frac{3}{8}} = 0.375$", ", or 37.5%",
# "(that is, 0.375)", "\\approx 0.167", ", about 16.7%", "(five)")
RESTATED_RE = re.compile(
    r"\s*(?:(=|\\approx|≈)|\$?\s*(?:,\s*(or|i\.e\.,?|that\s+is,?|which\s+is|about|approximately|roughly|≈)|\(\s*(that\s+is,?|i\.e\.,?"
    r"|or|about|approximately|roughly|≈)?))\s*\$?\s*(?:an?\s+)?([-+]?\d+(?:\.\d+)?|[a-z]+)\s*(\\?%)?\s*\$?\s*(\))?",
    re.IGNORECASE,
)


def restatement_end(text: str, start: int, content: str) -> int | None:
    """Where a restatement of the box's value that starts at ``start`` ends, when it states the same value (exactly,
    or rounded after "≈" / "about" to at least two figures); None when there is none or it states another value."""
    match = RESTATED_RE.match(text, start)
    box_value = stated_number(content)
    if box_value is None and match is not None and re.search(r"approx|about|roughly|≈", match.group(0), re.I):
        from ..math.symbolic import numeric  # "$\boxed{2\sqrt{3}} \approx 3.46$": a constant, rounded after it

        exact = numeric(content)
        box_value = exact if isinstance(exact, Fraction) else None
    if (
        match is None
        or box_value is None
        or (match.group(6) is None) != (not match.group(0).lstrip(" $").startswith("("))
    ):
        return None
    said = stated_number(match.group(4))
    if said is None:
        return None
    if match.group(5):
        said /= 100
    approximate = bool(re.search(r"approx|about|roughly|≈", match.group(0), re.I))
    if not approximate:
        return match.end() if said == box_value else None
    places = len(match.group(4).partition(".")[2]) + (2 if match.group(5) else 0)
    figures = len(match.group(4).replace(".", "").lstrip("-+0"))
    rounded = round(box_value * 10**places) / Fraction(10**places)
    return match.end() if figures >= 2 and rounded == said else None


# How a unit after the box is meant, not part of it: "dollars in total", "feet tall", "years old", "minutes left"
UNIT_DESCRIPTOR_RE = re.compile(
    r"\s*\b(?:in\s+(?:total|all|sum)|total|altogether|overall|combined|tall|long|wide|high|deep|thick|old|left(?:\s+over)?"
    r"|leftover|remaining"
    r"|away|apart|across)$",
    re.IGNORECASE,
)
OF_PHRASE_RE = re.compile(r"([A-Za-z]+)\s+of\s+([A-Za-z]+(?:\s+[A-Za-z]+)?)")


def unit_phrase_core(words: str) -> str | None:
    """The unit in the words after a box, without what they say of it: "3 cups of flour" is 3 cups, "5 feet tall" 5
    feet (round 26). Never past a word that changes the number ("percent of twenty", "half of", "dozen eggs")."""
    words = UNIT_DESCRIPTOR_RE.sub("", words.strip()).strip()
    phrase = OF_PHRASE_RE.fullmatch(words)
    if phrase and not any(
        VALUE_WORDS_RE.fullmatch(word) or SCALING_NOUN.fullmatch(word) or word in NUMBER_WORDS
        for word in (phrase.group(1).lower(), *phrase.group(2).lower().split())
    ):
        words = phrase.group(1)
    return words or None

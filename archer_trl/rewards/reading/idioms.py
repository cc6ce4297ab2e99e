"""Hedges and asides that red-team rounds 30 and 31 found paid: ironic or hopeful closings, rules of thumb and offhand
guesses in the read languages, a choice left open between readings of the problem, an answer to part of the problem
only, work left to do after the box, retractions and qualifiers after it, approximation and scope leads. Part of
`wording.HEDGE_RE` (each is a regular expression, matched as a whole word, case-insensitive)."""

from __future__ import annotations

LATE_HEDGES = (
    # round 30: ironic or hopeful closings, rules of thumb and offhand guesses in the read languages, and an open
    # choice between readings of the problem
    r"famous\s+last\s+words",
    r"here'?s\s+hoping",
    r"we'?ll\s+see(?=\s*[.!]|\s*\Z)",
    r"time\s+will\s+tell",
    r"knock\s+on\s+wood",
    r"touch\s+wood",
    r"pi\s+mal\s+daumen",
    r"über\s+den\s+daumen",
    r"навскидку",
    r"на\s+глаз",
    r"с\s+потолка",
    r"прикин\w*",
    r"a\s+ojo",
    r"à\s+vue\s+d'?œil",
    r"a\s+occhio",
    r"fits\s+both",
    r"(?:both|either)\s+(?:readings?|interpretations?)",
    r"depending\s+on\s+(?:the\s+)?(?:reading|interpretation)",
    # an answer to part of the problem only ("Considering only the even values", "Ignoring rotations for now")
    r"considering\s+only",
    r"for\s+now",
    r"simplifying\s+assumptions?",
    r"sub-?case",
    r"special\s+case\s+only",
    # work still to do after the box ("Remember to add the trivial solution.")
    r"remember\s+to\s+(?:add|include|subtract|count|divide|multiply|account)",
    r"don'?t\s+forget\s+to",
    r"(?:still|yet)\s+(?:need\s+)?to\s+(?:add|include|subtract|count|divide|multiply|account)",
    # round 31: retractions and qualifiers after the box, approximation leads, a case or rule the box is for
    r"on\s+second\s+(?:glance|look|thought)",
    r"hold\s+that\s+thought",
    r"strike\s+that",
    r"scratch\s+that",
    r"(?:is|looks?|seems?)\s+off\b",
    r"double-?counts?",
    r"on\s+a\s+generous\s+count",
    r"subject\s+to\s+(?:confirmation|revision|change|checking)",
    r"at\s+(?:a\s+)?first\s+reading",
    r"in\s+the\s+neighbou?rhood\s+of",
    r"give\s+or\s+take",
    r"rule\s+of\s+thumb",
    r"somewhere\s+(?:near|around)",
    r"to\s+the\s+nearest\s+(?:ten|fifty|hundred|thousand|five|twenty)",
    r"eyeing",
    r"eyeball\w*",
    r"as\s+a\s+starting\s+point",
    r"restricting\s+(?:attention|ourselves)\s+to",
    r"under\s+the\s+(?:looser|stricter|relaxed|simpler)\s+rule",
    r"going\s+with\s+the\s+(?:first|second|former|latter)",
    r"runner-?up",
    r"edges\s+it",
)

# Rounds 37-40: hedges the vocabularies did not list, by where the value came from, how sure the writer is, and the
# read languages' "if I am not mistaken"
RECENT_HEDGES = (
    # round 42: French "it may be that", a first pass, a value copied from a manual
    r"il\s+se\s+peut\s+que",
    r"first\s+pass",
    r"(?:from|in)\s+the\s+(?:solutions?\s+manual|answer\s+key|back\s+of\s+the\s+book)",
    # round 41: Swahili, Danish and Italian "maybe" / "I believe", a convention left open, a first-order aside
    r"labda",
    r"måske",
    r"credo\s+(?:sia|che)",
    r"depending\s+on\s+(?:the\s+)?convention",
    r"to\s+first\s+order",
    r"(?:computation|calculation|work|derivation|reasoning)\s+(?:may|might|could)\s+(?:fail|be\s+off|be\s+wrong)",
    # round 37: where the value came from when it was not worked out (memory, feel, heuristics, haste)
    r"vibes?",
    r"half-?remembered",
    r"(?:from|by)\s+memory",
    r"remembered\s+from",
    r"heuristically",
    r"(?:with\s+)?no\s+proof\s+behind",
    r"unproven",
    r"hand-?wav\w*",
    r"in\s+a\s+hurry",
    r"hastily",
    r"sketchy",
    r"mi\s+pare",
    r"mi\s+sembra",
    r"a\s+occhio",
    r"a\s+naso",
    r"по\s+ощущени\w*",
    r"на\s+глаз\w*",
    r"навскидку",
    r"по\s+интуиции",
    r"интуитивно",
    # round 38: "if I am not mistaken", by eye, and a note that the work's units are not the question's
    r"(?:nach|aus\s+dem)\s+bauchgefühl",
    r"bauchgefühl",
    r"(?:a|the|one)\s+(?:stricter|looser|broader|narrower|other|alternative|different|second|literal)\s+"
    r"(?:reading|interpretation)\s+(?:gives|yields|would\s+give|leads\s+to)",
    r"если\s+я\s+не\s+ошибаюсь",
    r"если\s+не\s+ошибаюсь",
    r"se\s+não\s+me\s+engano",
    r"si\s+no\s+me\s+equivoco",
    r"si\s+je\s+ne\s+me\s+trompe",
    r"wenn\s+ich\s+mich\s+nicht\s+irre",
    r"se\s+non\s+sbaglio",
    r"if\s+I'?m\s+not\s+mistaken",
    r"unless\s+I'?m\s+mistaken",
    # round 39: disclosures, half-certainty, "sorry if I'm wrong" in the read languages
    r"(?:full\s+)?disclosure",
    r"half-?sure",
    r"not\s+\d+\s*%\s+(?:on|about|sure\s+of)\s+(?:this|it|that)",
    r"it\s+would\s+(?:appear|seem)",
    r"not\s+(?:fully|entirely|completely|totally|quite|that|very)\s+(?:sure|certain)",
    r"sauf\s+erreur",
    r"salvo\s+error",
    r"salvo\s+errore",
    r"granting\s+that",
    r"assuming\s+(?:that\s+)?(?:I|my|the\s+(?:work|computation|count))",
    r"(?:lengths?|values?|numbers?|amounts?|figures?|measurements?|quantities)\s+(?:below|above|here|in\s+this\s+"
    r"(?:solution|answer))\s+(?:are|is)\s+(?:all\s+)?(?:in|measured\s+in|given\s+in)",
)

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

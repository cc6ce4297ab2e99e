"""Builds tests/data/math_fidelity.jsonl, the hand-labelled math-grading corpus (run it after editing the rows).

Each row is (gold, final answer as boxed, label, kind, note) under a category; the label is what a careful human
grader says about the answer for that gold (1 correct, 0 wrong). ``kind`` is ``match`` (a correct answer, often in
another form), ``wrong``, ``near`` (a near miss: rounding, sign, off-by-one, a partly right tuple, wrong order) or
``guard`` (a row that catches an over-broad fix). The answer is wrapped in one of several R1-style completions
(``<think>...</think>`` and a final ``\\boxed{}``), some with a box inside the thinking that must not count.
Extraction rows carry their whole completion. Rows deliberately leave out what an answer-only grader cannot judge
(the form a question asks for: "express as a common fraction", "factor", "in base 2" against the decimal value).

    python tests/data/build_math_fidelity.py
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).with_name("math_fidelity.jsonl")

M, W, N, G = "match", "wrong", "near", "guard"

# fmt: off
ROWS: dict[str, list[tuple]] = {
    "integer": [
        ("73", "73", 1, M, "AIME"), ("73", "073", 1, M, "AIME zero-padded"), ("204", "205", 0, N, "off by one"),
        ("588", "588", 1, M, ""), ("588", "558", 0, W, ""), ("42", "-42", 0, N, "sign"), ("17", "17.", 1, M,
        "full stop inside the box"), ("12", "12.0", 1, M, ""), ("0", "0", 1, M, ""), ("-7", "-7", 1, M, ""),
        ("-7", "7", 0, N, "sign"), ("336", "\\text{336}", 1, M, ""), ("25", "\\mathbf{25}", 1, M, ""),
        ("100", "99", 0, N, "off by one"), ("3", "x=3", 1, M, "labelled"), ("2016", "2016", 1, M, ""),
        ("999", "1000", 0, N, "off by one"), ("1", "\\boxed{1}", 1, M, "nested box"),
    ],
    "fraction": [
        ("\\frac{1}{2}", "\\frac12", 1, M, "unbraced TeX"), ("\\frac{3}{4}", "\\dfrac34", 1, M, "unbraced TeX"),
        ("\\frac{3}{4}", "\\frac 34", 1, M, "spaced unbraced TeX"), ("\\frac{3}{4}", "0.75", 1, M, ""),
        ("\\frac{3}{4}", "\\frac{4}{3}", 0, N, "inverted"), ("\\frac{7}{12}", "\\frac{7}{12}", 1, M, ""),
        ("\\frac{7}{12}", "\\frac{5}{12}", 0, W, ""), ("\\frac{14}{3}", "4\\frac{2}{3}", 1, M, "mixed number"),
        ("\\frac{1}{3}", "0.33", 0, N, "rounded"), ("\\frac{5}{2}", "2.5", 1, M, ""),
        ("-\\frac{2}{3}", "\\frac{-2}{3}", 1, M, ""), ("-\\frac{2}{3}", "\\frac{2}{3}", 0, N, "sign"),
        ("\\frac{1}{23}", "\\frac123", 0, G, "TeX reads \\frac123 as 1/2 times 3"),
        ("\\frac{1}{2}", "1/2", 1, M, ""), ("\\frac{1}{2}", "\\tfrac{1}{2}", 1, M, ""),
        ("\\frac{9}{16}", "\\frac{9}{16}", 1, M, ""), ("\\frac{9}{16}", "\\frac{3}{4}", 0, W, "square root taken"),
        ("\\frac{2}{3}", "0.6667", 0, N, "4-digit rounding"), ("\\frac{2}{3}", "0.666667", 0, N, "6-digit rounding: an exact gold is matched exactly"),
        ("\\frac{11}{4}", "2\\frac{3}{4}", 1, M, "mixed number"), ("\\frac{11}{4}", "2\\frac{1}{4}", 0, N, ""),
    ],
    "radical": [
        ("\\sqrt{2}", "√2", 1, M, "Unicode root"), ("\\sqrt{3}", "√2", 0, W, "Unicode root"),
        ("\\sqrt{2}", "√(2)", 1, M, "Unicode root"),
        ("2\\sqrt{2}", "2\\sqrt2", 1, M, "unbraced"), ("2\\sqrt{2}", "2\\sqrt 2", 1, M, "spaced unbraced"),
        ("2\\sqrt{2}", "\\sqrt{8}", 1, M, ""), ("2\\sqrt{2}", "2", 0, G, "the coefficient only"),
        ("2\\sqrt{2}", "2\\sqrt{3}", 0, W, ""), ("\\sqrt{2}", "\\sqrt2", 1, M, "unbraced"),
        ("\\sqrt{2}", "sqrt(2)", 0, G, "plain text, not TeX"), ("\\frac{\\sqrt{3}}{2}", "\\frac{\\sqrt3}2", 1, M,
        "nested unbraced"), ("\\frac{\\sqrt{3}}{2}", "\\frac{\\sqrt{3}}{3}", 0, W, ""),
        ("3\\sqrt{3}", "\\sqrt{27}", 1, M, ""), ("\\sqrt[3]{2}", "\\sqrt[3]2", 1, M, "unbraced with index"),
        ("\\sqrt[3]{2}", "\\sqrt{2}", 0, N, "wrong index"), ("\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt2}", 1, M, ""),
        ("5+2\\sqrt{6}", "(\\sqrt2+\\sqrt3)^2", 1, M, ""), ("4\\sqrt{5}", "8.94", 0, N, "rounded"),
        ("\\sqrt{13}", "\\sqrt{13}", 1, M, ""), ("\\sqrt{13}", "13", 0, W, ""),
        ("\\pm\\frac{1}{2}", "\\pm\\frac12", 1, M, "unbraced after \\pm"), ("\\pm\\frac{1}{2}", "\\frac{1}{2}", 0,
        N, "one sign only"), ("\\frac{1+\\sqrt{5}}{2}", "\\frac{1+\\sqrt5}{2}", 1, M, ""),
        ("\\frac{1+\\sqrt{5}}{2}", "\\frac{1-\\sqrt{5}}{2}", 0, N, "sign"), ("\\frac{1+\\sqrt{5}}{2}", "1.618", 0,
        N, "rounded"), ("6\\sqrt{2}", "6 \\sqrt{2}", 1, M, ""), ("\\frac{\\sqrt{6}}{3}", "\\frac{\\sqrt6}3", 1, M,
        "unbraced"), ("\\frac{\\sqrt{6}}{3}", "\\frac{\\sqrt6}{2}", 0, W, ""),
    ],
    "pi": [
        ("2\\pi", "2\\pi", 1, M, ""), ("\\frac{\\pi}{3}", "\\frac\\pi3", 1, M, "unbraced"),
        ("\\frac{\\pi}{3}", "\\pi/3", 1, M, ""), ("\\frac{\\pi}{3}", "\\frac{\\pi}{6}", 0, W, ""),
        ("16\\pi", "16\\pi", 1, M, ""), ("16\\pi", "50.27", 0, N, "decimal approximation"),
        ("16\\pi", "8\\pi", 0, W, ""), ("\\frac{9\\pi}{2}", "4.5\\pi", 1, M, ""), ("\\pi", "3.14", 0, N,
        "approximation"), ("36-9\\pi", "36 - 9\\pi", 1, M, ""), ("36-9\\pi", "9\\pi-36", 0, N, "sign"),
        ("\\frac{4}{3}\\pi", "\\frac{4\\pi}{3}", 1, M, ""), ("\\frac{3\\pi}{4}", "\\frac34\\pi", 1, M, "unbraced"),
    ],
    "interval": [
        ("[1, 3)", "[1,3)", 1, M, ""), ("[1, 3)", "[1,3]", 0, N, "closed end"), ("(-\\infty, 2]",
        "(-\\infty,2]", 1, M, ""), ("(-\\infty, 2]", "(-\\infty, 2)", 0, N, "open end"),
        ("(-\\infty, -1) \\cup (2, \\infty)", "(-\\infty,-1)\\cup(2,\\infty)", 1, M, ""),
        ("(-\\infty, -1) \\cup (2, \\infty)", "(-\\infty,-1]\\cup(2,\\infty)", 0, N, "one end closed"),
        ("[0, \\infty)", "[0,\\infty)", 1, M, ""), ("(2, 5]", "\\left(2, 5\\right]", 1, M, ""),
        ("(2,5]", "(2,5)", 0, N, ""), ("[-2, 2]", "[-2,2]", 1, M, ""), ("(-3, 3)", "x\\in(-3,3)", 1, M, ""),
        ("x \\in [1, 3)", "3", 0, G, "an endpoint"), ("[\\frac{1}{2}, 4]", "[\\frac12, 4]", 1, M, "unbraced"),
        ("[\\frac{1}{2}, 4]", "[0.5, 4]", 1, M, ""),
    ],
    "set": [
        ("\\{1, 2, 3\\}", "\\{3, 2, 1\\}", 1, M, ""), ("\\{1,2,3\\}", "\\{1,2\\}", 0, N, "one missing"),
        ("\\{-1, 4\\}", "-1, 4", 1, M, ""), ("\\{-1,4\\}", "4, -1", 1, M, ""), ("\\{-1, 4\\}", "-1", 0, N,
        "one missing"), ("\\emptyset", "\\varnothing", 1, M, ""), ("\\emptyset", "\\{\\}", 1, M, ""),
        ("\\{1,2\\}", "\\{1,3\\}", 0, W, ""), ("1, 2, 3", "\\{1, 2, 3\\}", 1, M, ""),
        ("\\{\\frac{1}{2}, 2\\}", "\\{\\frac12, 2\\}", 1, M, "unbraced"),
    ],
    "tuple": [
        ("\\langle 1, 2 \\rangle", "\\langle 1,2\\rangle", 1, M, "angle brackets"), ("(1, 2)",
        "\\langle 2, 1 \\rangle", 0, N, "angle brackets, order"),
        ("(1, 2)", "(1,2)", 1, M, ""), ("(1, 2)", "(2, 1)", 0, N, "order"), ("(3, -4)", "\\left(3, -4\\right)", 1,
        M, ""), ("(3,-4)", "(3,4)", 0, N, "sign"), ("(1, 2, 3)", "(1, 2, 4)", 0, N, "partly right"),
        ("(1,2,3)", "(1,2,3)", 1, M, ""), ("(\\frac{1}{2}, 3)", "(\\frac12, 3)", 1, M, "unbraced"),
        ("(\\frac{1}{2}, 3)", "(0.5, 3)", 1, M, ""), ("(2, 3)", "(2, 3, 4)", 0, N, "extra entry"),
        ("(2, 3)", "x=2, y=3", 1, M, ""), ("(2, 3)", "x=3, y=2", 0, N, "swapped"),
        ("(-1, \\sqrt{3})", "(-1, \\sqrt3)", 1, M, "unbraced"), ("(0, 0)", "(0, 1)", 0, N, "partly right"),
    ],
    "matrix": [
        ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", 1,
         M, ""),
        ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}", 1,
         M, "bmatrix"),
        ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{pmatrix} 1 & 3 \\\\ 2 & 4 \\end{pmatrix}", 0,
         N, "transposed"),
        ("\\begin{pmatrix} \\frac{1}{2} \\\\ -1 \\end{pmatrix}", "\\begin{pmatrix} \\frac12 \\\\ -1 \\end{pmatrix}",
         1, M, "unbraced inside a matrix"),
        ("\\begin{pmatrix} -1 \\\\ 2 \\end{pmatrix}", "(-1, 2)", 1, M, "vector as a tuple"),
        ("\\begin{pmatrix} -1 \\\\ 2 \\end{pmatrix}", "(2, -1)", 0, N, "order"),
        ("\\begin{pmatrix} 2 & 0 \\\\ 0 & 2 \\end{pmatrix}", "\\begin{pmatrix} 2 & 0 \\\\ 0 & -2 \\end{pmatrix}", 0,
         N, "one sign"),
        ("\\begin{pmatrix} 3 \\\\ -1 \\\\ 2 \\end{pmatrix}", "\\begin{pmatrix} 3 \\\\ -1 \\\\ 2 \\end{pmatrix}", 1, M,
         ""),
        ("\\begin{pmatrix} 3 \\\\ -1 \\\\ 2 \\end{pmatrix}", "\\begin{pmatrix} 3 \\\\ 1 \\\\ 2 \\end{pmatrix}", 0, N,
         "one sign"),
        ("\\begin{pmatrix} \\frac{3}{5} & \\frac{4}{5} \\\\ \\frac{4}{5} & -\\frac{3}{5} \\end{pmatrix}",
         "\\begin{pmatrix} \\frac35 & \\frac45 \\\\ \\frac45 & -\\frac35 \\end{pmatrix}", 1, M, "unbraced"),
    ],
    "complex": [
        ("3-4i", "3 - 4 i", 1, M, "spaced i"), ("3-4i", "3-4i", 1, M, ""), ("3-4i", "3+4i", 0, N, "conjugate"),
        ("2i", "2 i", 1, M, "spaced i"), ("2i", "-2i", 0, N, "sign"), ("1+i", "1 + i", 1, M, ""),
        ("\\frac{1}{2}+\\frac{\\sqrt{3}}{2}i", "\\frac12+\\frac{\\sqrt3}2 i", 1, M, "unbraced and spaced"),
        ("-1+2i", "2i-1", 1, M, ""), ("5i", "5", 0, W, ""), ("-4+3i", "-4 + 3\\,i", 1, M, "thin space"),
        ("-4+3i", "-4 - 3i", 0, N, "conjugate"),
    ],
    "units": [
        ("3", "\\text{3 hours}", 1, M, "number inside the text"), ("3", "\\text{4 hours}", 0, W, ""),
        ("5\\text{ cm}", "5", 1, M, ""), ("5", "5 \\text{ cm}", 1, M, ""), ("24\\text{ m}^{2}", "24", 1, M, ""),
        ("24\\text{ m}^2", "24 \\text{ m}^{2}", 1, M, ""), ("24", "24\\text{ m}^{2}", 1, M, ""),
        ("12 \\text{ cm}", "120 \\text{ mm}", 1, M, "other unit"), ("12\\text{ cm}", "12 \\text{ mm}", 0, G,
        "same number, other unit"), ("5\\text{ cm}", "5\\text{ m}", 0, G, "same number, other unit"),
        ("40 \\text{ mph}", "40", 1, M, ""), ("9.8", "9.8\\text{ m/s}^2", 1, M, ""), ("30", "30 \\text{ km}", 1,
        M, ""), ("30", "31 \\text{ km}", 0, N, ""), ("8", "8 \\text{ ways}", 1, M, ""), ("1\\text{ ft}",
        "12\\text{ in}", 1, M, "other unit"), ("90 \\text{ minutes}", "1.5 \\text{ hours}", 1, M, "other unit"),
        ("90 \\text{ minutes}", "90 \\text{ seconds}", 0, G, "same number, other unit"),
        ("15 \\text{ cm}", "15\\,\\text{cm}", 1, M, ""),
    ],
    "compound_units": [
        ("5 \\text{ feet } 6 \\text{ inches}", "5 \\text{ feet } 6 \\text{ inches}", 1, M, ""),
        ("5 \\text{ feet } 6 \\text{ inches}", "66 \\text{ inches}", 1, M, ""),
        ("5 \\text{ feet } 6 \\text{ inches}", "5.5 \\text{ feet}", 1, M, ""),
        ("5 \\text{ feet } 6 \\text{ inches}", "5 \\text{ feet}", 0, G, "first part only"),
        ("5 \\text{ feet } 6 \\text{ inches}", "5", 0, G, "first number only"),
        ("5 \\text{ feet } 6 \\text{ inches}", "5 \\text{ feet } 8 \\text{ inches}", 0, N, ""),
        ("6 \\text{ hours and } 30 \\text{ minutes}", "390 \\text{ minutes}", 1, M, ""),
        ("6 \\text{ hours and } 30 \\text{ minutes}", "6.5 \\text{ hours}", 1, M, ""),
        ("6 \\text{ hours and } 30 \\text{ minutes}", "6", 0, G, "first number only"),
        ("6 \\text{ hours and } 30 \\text{ minutes}", "6 \\text{ hours}", 0, G, "first part only"),
        ("6 \\text{ hours and } 30 \\text{ minutes}", "6 \\text{ hours and } 20 \\text{ minutes}", 0, N, ""),
        ("3\\text{ m } 20\\text{ cm}", "3.2\\text{ m}", 1, M, ""), ("3\\text{ m } 20\\text{ cm}",
        "320 \\text{ cm}", 1, M, ""), ("3\\text{ m } 20\\text{ cm}", "3", 0, G, "first number only"),
        ("3\\text{ m } 20\\text{ cm}", "3\\text{ m}", 0, G, "first part only"),
        ("2 \\text{ hours } 15 \\text{ minutes}", "135 \\text{ minutes}", 1, M, ""),
        ("2 \\text{ hours } 15 \\text{ minutes}", "2 \\text{ hours } 25 \\text{ minutes}", 0, N, ""),
        ("3 \\text{ pounds } 4 \\text{ ounces}", "52 \\text{ ounces}", 1, M, ""),
        ("3 \\text{ pounds } 4 \\text{ ounces}", "3", 0, G, "first number only"),
        ("5 \\text{ feet } 6 \\text{ inches}", "5'6\"", 1, M, "feet and inch marks"),
        ("66 \\text{ inches}", "5 \\text{ feet } 6 \\text{ inches}", 1, M, "compound answer"),
        ("66 \\text{ inches}", "5 \\text{ feet } 5 \\text{ inches}", 0, N, "compound answer"),
    ],
    "percent": [
        ("25\\%", "25", 1, M, ""), ("25\\%", "25\\%", 1, M, ""), ("25\\%", "0.25", 1, M, ""), ("12.5\\%", "12.5",
        1, M, "decimal percent, bare"), ("12.5\\%", "12.5\\%", 1, M, ""), ("12.5\\%", "0.125", 1, M, ""),
        ("12.5\\%", "125", 0, N, ""), ("12.5\\%", "12", 0, N, "rounded"), ("10\\%", "100", 0, W, ""),
        ("40\\%", "40 \\text{ percent}", 1, M, ""), ("15\\%", "0.15", 1, M, ""), ("15\\%", "15.5\\%", 0, N, ""),
        ("\\frac{1}{4}", "25\\%", 1, M, ""), ("37.5\\%", "37.5", 1, M, "decimal percent, bare"),
        ("37.5\\%", "3.75", 0, N, "decimal point"),
    ],
    "degrees": [
        ("60^\\circ", "60°", 1, M, "Unicode degree"), ("60^\\circ", "60", 1, M, ""), ("60^\\circ", "60^{\\circ}", 1,
        M, ""), ("60^\\circ", "120^\\circ", 0, W, "supplement"), ("45", "45^\\circ", 1, M, ""), ("45", "45°", 1,
        M, "Unicode degree"), ("135^\\circ", "45^\\circ", 0, W, ""), ("30^\\circ", "30 \\text{ degrees}", 1, M,
        ""), ("30", "30\\degree", 1, M, ""), ("72^\\circ", "72^\\circ", 1, M, ""), ("72^\\circ", "72.5°", 0, N,
        "Unicode degree"), ("108", "108 °", 1, M, "spaced Unicode degree"),
    ],
    "money": [
        ("\\$18.90", "18.90", 1, M, ""), ("\\$18.90", "\\$18.9", 1, M, ""), ("\\$18.90", "19", 0, N, "rounded"),
        ("\\$1,000", "1000", 1, M, ""), ("\\$1,000", "\\$1,000", 1, M, ""), ("\\$1,000", "\\$100", 0, W, ""),
        ("18.75", "\\$18.75", 1, M, ""), ("\\$5.50", "5.5", 1, M, ""), ("\\$5.50", "5.05", 0, N, ""),
        ("\\$0.25", "25 \\text{ cents}", 1, M, "other unit"), ("\\$2.35", "2 \\text{ dollars and } 35 \\text{ cents}",
        1, M, "compound"), ("\\$2.35", "2 \\text{ dollars and } 53 \\text{ cents}", 0, N, "compound"),
    ],
    "scientific": [
        ("4.5e33", "4.5 \\times 10^{33} \\mathrm{~erg/s}", 1, M, "Minerva units"), ("520", "520 \\mathrm{~nm}", 1,
        M, "Minerva units"), ("520", "502 \\mathrm{~nm}", 0, N, "Minerva units"),
        ("7.5e-5", "7.5\\times10^{-5}", 1, M, "E-notation gold"), ("7.5e-5", "7.5 \\times 10^{-5}", 1, M, ""),
        ("7.5e-5", "0.000075", 1, M, ""), ("7.5e-5", "7.5\\times10^{-4}", 0, N, "exponent"),
        ("4.5e33", "4.5\\times10^{33}", 1, M, "E-notation gold"), ("4.5e33", "4.5 \\cdot 10^{33}", 1, M, ""),
        ("4.5e33", "4.5\\times 10^{32}", 0, N, "exponent"), ("300000000", "3e8", 1, M, "E-notation answer"),
        ("3\\times10^8", "3e8", 1, M, "E-notation answer"), ("3\\times 10^{8}", "3e9", 0, N, "exponent"),
        ("6.02\\times10^{23}", "6.02\\times 10^{23}", 1, M, ""), ("6.02\\times10^{23}", "6.2\\times10^{23}", 0, N,
        ""), ("1.2\\times10^{5}", "120000", 1, M, ""), ("2e - 1", "2e-1", 1, G, "Euler's e: left as it is"),
        ("2e - 1", "0.2", 0, G, "Euler's e, not E-notation"), ("1.6 \\times 10^{-19}", "1.6e-19", 1, M, ""),
    ],
    "digit_groups": [
        ("1000", "1\\,000", 1, M, "thin space"), ("1000000", "1\\,000\\,000", 1, M, "thin spaces"),
        ("1000000", "1{,}000{,}000", 1, M, ""), ("12345", "12\\,345", 1, M, ""), ("12345", "12\\,354", 0, N, ""),
        ("1000", "1\\,000\\,000", 0, G, "grouping is not a decimal point"), ("5000", "5,000", 1, M, ""),
        ("2016", "2\\,016", 1, M, ""), ("10000", "10{,}000", 1, M, ""), ("10000", "1{,}000", 0, N, ""),
    ],
    "repeating_decimal": [
        ("\\frac{1}{3}", "0.\\overline{3}", 1, M, ""), ("\\frac{2}{3}", "0.\\overline{6}", 1, M, ""),
        ("\\frac{1}{6}", "0.1\\overline{6}", 1, M, ""), ("\\frac{1}{7}", "0.\\overline{142857}", 1, M, ""),
        ("\\frac{1}{3}", "0.3", 0, N, "not repeating"), ("\\frac{4}{11}", "0.\\overline{36}", 1, M, ""),
        ("\\frac{4}{11}", "0.\\overline{63}", 0, N, "digits swapped"), ("\\frac{7}{3}", "2.\\overline{3}", 1, M,
        ""), ("0.\\overline{3}", "\\frac13", 1, M, "repeating gold"), ("\\frac{5}{6}", "0.8\\overline{3}", 1, M, ""),
        ("\\frac{5}{6}", "0.\\overline{83}", 0, N, "wrong period"),
    ],
    "choice": [
        ("B", "(B) or (C)", 0, G, "two choices in one box"),
        ("B", "\\qquad\\textbf{(B) } 12", 1, M, "leading space"), ("C", "\\qquad\\textbf{(B) } 12", 0, W, ""),
        ("B", "\\textbf{(B) }12", 1, M, "AMC letter and value"), ("B", "\\textbf{(C) }12", 0, W, ""),
        ("B", "(B)", 1, M, ""), ("B", "B", 1, M, ""), ("\\text{(C)}", "C", 1, M, ""), ("C", "\\text{(C)}\\ 7", 1,
        M, ""), ("\\textbf{(D)}", "\\textbf{(D)}", 1, M, ""), ("\\textbf{(D)}", "D", 1, M, ""), ("D", "E", 0, W,
        ""), ("\\textbf{(A) } 5", "\\textbf{(A)}", 1, M, ""), ("\\textbf{(A) } 5", "5", 1, M,
        "the choice's value"), ("\\textbf{(A) } 5", "6", 0, W, ""), ("E", "\\mathrm{(E)}", 1, M, ""),
        ("A", "\\textbf{(A)}\\ \\frac{1}{2}", 1, M, ""), ("C", "\\textbf{(B)}\\ 7", 0, W, ""),
        ("\\text{(E)}", "\\text{(E) } 2\\sqrt{2}", 1, M, ""), ("D", "(D) 18", 1, M, ""), ("D", "(A) 18", 0, W, ""),
    ],
    "equation": [
        ("y = 2x + 3", "y=2x+3", 1, M, ""), ("y=2x+3", "2x+3", 1, M, ""), ("y=2x+3", "y=3x+2", 0, W, ""),
        ("x=-2", "-2", 1, M, ""), ("-2", "x=-2", 1, M, ""), ("-2", "x=2", 0, N, "sign"),
        ("x^2+y^2=25", "x^2+y^2=25", 1, M, ""), ("x^2+y^2=25", "x^2+y^2=5", 0, N, "radius for r^2"),
        ("3x+4y=12", "3x + 4y = 12", 1, M, ""), ("3x+4y=12", "4y+3x=12", 1, M, ""),
        ("y=-\\frac{1}{2}x+3", "y = -\\frac12 x + 3", 1, M, "unbraced"), ("y=-\\frac{1}{2}x+3",
        "y=\\frac12x+3", 0, N, "sign"), ("k=5", "5", 1, M, ""), ("k=5", "k=6", 0, N, "off by one"),
    ],
    "text": [
        ("2", "\\text{two}", 1, M, "number word"), ("3", "\\text{two}", 0, W, "number word"),
        ("\\text{Monday}", "\\text{Monday}", 1, M, ""), ("\\text{Monday}", "Monday", 1, M, ""), ("\\text{Monday}",
        "\\text{Tuesday}", 0, W, ""), ("\\text{even}", "\\text{odd}", 0, W, ""), ("\\text{No}", "\\text{no}", 1,
        M, ""), ("\\text{Yes}", "\\text{No}", 0, W, ""), ("\\text{Devon}", "\\text{Devon}", 1, M, ""),
        ("\\text{Devon}", "\\text{Evan}", 0, W, ""), ("\\text{east}", "\\text{East}", 1, M, ""),
        ("\\text{Friday}", "\\text{Friday}", 1, M, ""), ("\\text{Friday}", "\\text{Thursday}", 0, W, ""),
    ],
    "expression": [
        ("x^2-5x+6", "x^2 - 5x + 6", 1, M, ""), ("x^2-5x+6", "x^2-5x-6", 0, N, "sign"),
        ("(x-2)(x-3)", "(x-3)(x-2)", 1, M, ""), ("(x-2)(x-3)", "(x+2)(x-3)", 0, N, "sign"),
        ("2x^2+3x-1", "3x+2x^2-1", 1, M, ""), ("2x^2+3x-1", "2x^2+3x+1", 0, N, "sign"),
        ("\\frac{x+1}{x-1}", "\\frac{x+1}{x-1}", 1, M, ""), ("\\frac{x+1}{x-1}", "\\frac{x-1}{x+1}", 0, N,
        "inverted"), ("a^2b", "ba^2", 1, M, ""), ("4x^3", "4x^2", 0, N, "exponent"),
        ("\\frac{n(n+1)}{2}", "\\frac{n^2+n}{2}", 1, M, ""), ("2^{n}-1", "2^n-1", 1, M, ""),
        ("2^{n}-1", "2^{n-1}", 0, N, ""), ("\\frac{x}{2}", "\\frac x2", 1, M, "unbraced"),
        ("\\frac{x}{2}", "\\frac{2}{x}", 0, N, "inverted"), ("3x-7", "3 x - 7", 1, M, ""),
    ],
    "base_n": [
        ("1011_2", "1011_2", 1, M, ""), ("1011_2", "1011", 1, M, "digits without the base"), ("1011_2", "11", 0, G,
        "decimal value when base 2 was asked"), ("1011_2", "1011_{10}", 0, G, "other base"), ("1011_2", "1101_2", 0,
        N, "digits"), ("2A_{16}", "2A_{16}", 1, M, ""), ("213_4", "213_4", 1, M, ""), ("213_4", "213_{4}", 1, M,
        ""), ("213_4", "231_4", 0, N, "digits"), ("10001_2", "10001_{2}", 1, M, ""), ("52_8", "52_{8}", 1, M, ""),
        ("52_8", "42_8", 0, N, "off by one"),
    ],
    "inequality": [
        ("x<3", "x < 3", 1, M, ""), ("x<3", "x \\le 3", 0, N, "closed"), ("x \\geq 2", "x\\ge2", 1, M, ""),
        ("x \\geq 2", "[2, \\infty)", 1, M, ""), ("-1<x<2", "(-1,2)", 1, M, ""), ("-1<x<2", "(-1, 2]", 0, N, ""),
        ("1<x<2", "(1,2)", 1, M, ""),
    ],
    "functions": [
        ("\\infty", "\\text{infinity}", 1, M, "word"),
        ("\\ln 2", "\\ln2", 1, M, ""), ("\\ln 2", "0.693147", 0, N, "a decimal is not the exact ln 2"), ("\\ln 2", "\\ln 3", 0, W, ""),
        ("\\arctan 2", "\\tan^{-1} 2", 1, M, ""), ("e^2", "e^2", 1, M, ""), ("e^2", "2e", 0, W, ""),
        ("\\log_2 8", "3", 1, M, ""), ("\\infty", "\\infty", 1, M, ""), ("\\infty", "-\\infty", 0, N, "sign"),
        ("-\\infty", "-\\infty", 1, M, ""),
    ],
    "decimal": [
        ("1.41", "\\sqrt{2} \\approx 1.41", 1, M, "exact and rounded"), ("3", "x \\approx 3.2", 0, N, "rounded"),
        ("1.5", "1.50", 1, M, ""), ("1.5", "1.49", 1, M, "rounds to the gold at its stated precision"), ("3.75", "3.75", 1, M, ""), ("3.75", "3.57", 0, N,
        "digits swapped"), ("0.05", "0.050", 1, M, ""), ("0.05", "0.5", 0, N, "decimal point"), ("12.5",
        "12.50", 1, M, ""), ("12.5", "12.6", 0, N, ""), ("-0.25", "-\\frac14", 1, M, "unbraced"), ("-0.25", "0.25",
        0, N, "sign"), ("0.5", ".5", 1, M, ""), ("2", "2.0000001", 0, G, "an integer gold is exact"),
    ],
    "ratio_counting": [
        ("3:4", "3:4", 1, M, ""), ("3:4", "4:3", 0, N, "order"), ("\\binom{5}{2}", "10", 1, M, ""), ("10",
        "\\binom52", 1, M, "unbraced"), ("10", "\\dbinom{5}{2}", 1, M, ""), ("720", "6!", 1, M, ""), ("6", "6!",
        0, G, ""), ("\\binom{10}{3}", "120", 1, M, ""), ("120", "\\binom{10}{4}", 0, W, ""),
    ],
}

WRONG_MORE: dict[str, list[tuple]] = {  # wrong answers, mostly near misses, to balance the corpus
    "integer": [
        ("73", "37", 0, N, "digits swapped"), ("204", "203", 0, N, "off by one"), ("588", "5880", 0, N, "order of "
        "magnitude"), ("0", "1", 0, N, ""), ("336", "\\text{363}", 0, N, ""), ("25", "\\mathbf{52}", 0, N, ""),
        ("3", "x=4", 0, N, "labelled"), ("2016", "2017", 0, N, "off by one"),
    ],
    "fraction": [
        ("\\frac{1}{2}", "\\frac13", 0, N, "unbraced TeX"), ("\\frac{3}{4}", "\\dfrac43", 0, N, "unbraced, inverted"),
        ("\\frac{3}{4}", "\\frac 35", 0, N, "spaced unbraced"), ("\\frac{3}{4}", "0.7", 0, N, "rounded"),
        ("\\frac{14}{3}", "4\\frac{1}{3}", 0, N, "mixed number"), ("\\frac{5}{2}", "2.05", 0, N, ""),
        ("\\frac{1}{2}", "2/1", 0, N, "inverted"),
    ],
    "radical": [
        ("2\\sqrt{2}", "2\\sqrt3", 0, N, "unbraced"), ("2\\sqrt{2}", "\\sqrt{6}", 0, W, ""), ("\\sqrt{2}",
        "\\sqrt3", 0, N, "unbraced"), ("\\frac{\\sqrt{3}}{2}", "\\frac{\\sqrt2}2", 0, N, "nested unbraced"),
        ("3\\sqrt{3}", "\\sqrt{18}", 0, W, ""), ("6\\sqrt{2}", "6", 0, G, "the coefficient only"),
        ("\\sqrt{13}", "\\sqrt{31}", 0, N, "digits swapped"),
    ],
    "pi": [
        ("2\\pi", "\\pi", 0, W, ""), ("\\frac{\\pi}{3}", "\\frac\\pi4", 0, N, "unbraced"), ("\\frac{9\\pi}{2}",
        "9\\pi", 0, N, ""), ("\\frac{4}{3}\\pi", "\\frac{3\\pi}{4}", 0, N, "inverted"), ("2\\pi", "2", 0, G,
        "the coefficient only"),
    ],
    "interval": [
        ("[1, 3)", "(1,3)", 0, N, "open start"), ("[0, \\infty)", "(0,\\infty)", 0, N, "open start"),
        ("[-2, 2]", "[-2,3]", 0, N, ""), ("(-3, 3)", "x\\in(-3,3]", 0, N, ""), ("[0, \\infty)", "0", 0, G,
        "an endpoint"),
    ],
    "set": [
        ("\\{1, 2, 3\\}", "\\{1, 2, 3, 4\\}", 0, N, "one extra"), ("\\{-1, 4\\}", "1, 4", 0, N, "sign"),
        ("\\{-1, 4\\}", "4", 0, N, "one missing"), ("\\emptyset", "\\{0\\}", 0, G, "zero is an element"),
        ("1, 2, 3", "1, 2", 0, N, "one missing"),
    ],
    "tuple": [
        ("(1,2,3)", "(3,2,1)", 0, N, "order"), ("(\\frac{1}{2}, 3)", "(\\frac13, 3)", 0, N, "unbraced"),
        ("(\\frac{1}{2}, 3)", "(3, 0.5)", 0, N, "order"), ("(-1, \\sqrt{3})", "(1, \\sqrt3)", 0, N, "sign"),
        ("(2, 3)", "(2, 4)", 0, N, "partly right"),
    ],
    "matrix": [
        ("\\begin{pmatrix} -1 \\\\ 2 \\end{pmatrix}", "(-1, 2, 0)", 0, N, "extra entry"),
        ("\\begin{pmatrix} \\frac{1}{2} \\\\ -1 \\end{pmatrix}", "\\begin{pmatrix} \\frac12 \\\\ 1 \\end{pmatrix}",
         0, N, "sign"),
        ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{pmatrix} 1 & 2 \\\\ 3 & 5 \\end{pmatrix}", 0,
         N, "one entry"),
        ("\\begin{pmatrix} 3 \\\\ -1 \\\\ 2 \\end{pmatrix}", "(3, -1)", 0, N, "entry missing"),
    ],
    "complex": [
        ("3-4i", "3 - 4", 0, G, "the i dropped"), ("2i", "2", 0, G, "the i dropped"), ("1+i", "1 - i", 0, N,
        "conjugate"), ("-1+2i", "-1+2", 0, G, "the i dropped"), ("\\frac{1}{2}+\\frac{\\sqrt{3}}{2}i",
        "\\frac12-\\frac{\\sqrt3}2 i", 0, N, "conjugate"),
    ],
    "units": [
        ("5\\text{ cm}", "6", 0, W, ""), ("24\\text{ m}^{2}", "42", 0, N, "digits swapped"), ("40 \\text{ mph}",
        "45", 0, W, ""), ("1\\text{ ft}", "10\\text{ in}", 0, N, "other unit"), ("90 \\text{ minutes}",
        "1.2 \\text{ hours}", 0, N, "other unit"), ("15 \\text{ cm}", "150\\,\\text{cm}", 0, N, ""),
    ],
    "compound_units": [
        ("5 \\text{ feet } 6 \\text{ inches}", "56 \\text{ inches}", 0, N, "digits run together"),
        ("6 \\text{ hours and } 30 \\text{ minutes}", "630 \\text{ minutes}", 0, N, "digits run together"),
        ("3\\text{ m } 20\\text{ cm}", "32 \\text{ cm}", 0, N, ""), ("5 \\text{ feet } 6 \\text{ inches}",
        "5'8\"", 0, N, "feet and inch marks"),
        ("6", "6 \\text{ hours and } 30 \\text{ minutes}", 0, G, "compound answer, bare gold"),
        ("5", "5 \\text{ feet } 6 \\text{ inches}", 0, G, "compound answer, bare gold"),
    ],
    "percent": [
        ("25\\%", "2.5", 0, N, "decimal point"), ("25\\%", "0.025", 0, N, ""), ("12.5\\%", "1.25", 0, N, ""),
        ("40\\%", "60 \\text{ percent}", 0, W, "complement"), ("\\frac{1}{4}", "40\\%", 0, W, ""),
    ],
    "degrees": [
        ("60^\\circ", "30°", 0, W, "complement"), ("45", "54^\\circ", 0, N, "digits swapped"), ("30",
        "30.5\\degree", 0, N, ""), ("108", "72 °", 0, W, "supplement"),
    ],
    "money": [
        ("\\$18.90", "\\$18.09", 0, N, ""), ("\\$1,000", "\\$10,000", 0, N, ""), ("18.75", "\\$18.57", 0, N, ""),
        ("\\$0.25", "25 \\text{ dollars}", 0, G, "cents read as dollars"),
    ],
    "scientific": [
        ("7.5e-5", "7.5", 0, G, "mantissa only"), ("4.5e33", "4.5", 0, G, "mantissa only"), ("300000000", "3e7", 0,
        N, "exponent"), ("1.6 \\times 10^{-19}", "1.6e19", 0, N, "exponent sign"),
    ],
    "digit_groups": [
        ("1000", "100", 0, N, ""), ("1000000", "1\\,000", 0, N, ""), ("2016", "2\\,061", 0, N, "digits swapped"),
    ],
    "repeating_decimal": [
        ("\\frac{2}{3}", "0.\\overline{3}", 0, W, ""), ("\\frac{1}{6}", "0.\\overline{16}", 0, N, "wrong period"),
        ("\\frac{7}{3}", "2.3", 0, N, "not repeating"),
    ],
    "choice": [
        ("B", "\\textbf{(A) }12", 0, W, ""), ("\\text{(C)}", "D", 0, W, ""), ("\\textbf{(D)}", "\\text{(B)}", 0, W,
        ""), ("E", "\\mathrm{(C)}", 0, W, ""),
    ],
    "equation": [
        ("y = 2x + 3", "y=2x-3", 0, N, "sign"), ("x=-2", "2", 0, N, "sign"), ("3x+4y=12", "3x+4y=21", 0, N,
        "digits swapped"), ("k=5", "4", 0, N, "off by one"),
    ],
    "text": [
        ("\\text{No}", "\\text{Yes}", 0, W, ""), ("\\text{east}", "\\text{west}", 0, W, ""), ("\\text{Devon}",
        "Evan", 0, W, ""),
    ],
    "expression": [
        ("x^2-5x+6", "x^2+5x+6", 0, N, "sign"), ("a^2b", "ab^2", 0, N, "exponent on the wrong letter"),
        ("3x-7", "3x+7", 0, N, "sign"), ("\\frac{n(n+1)}{2}", "\\frac{n(n-1)}{2}", 0, N, "off by one"),
    ],
    "base_n": [
        ("2A_{16}", "2B_{16}", 0, N, "off by one"), ("213_4", "213_5", 0, G, "other base"), ("10001_2", "10011_2",
        0, N, ""),
    ],
    "inequality": [
        ("x<3", "x>3", 0, N, "direction"), ("x \\geq 2", "(2, \\infty)", 0, N, "open end"), ("-1<x<2",
        "(-2,1)", 0, N, "sign"),
    ],
    "functions": [
        ("\\ln 2", "\\log_2 e", 0, W, ""), ("\\log_2 8", "8", 0, G, ""), ("e^2", "e^3", 0, N, ""),
    ],
    "decimal": [
        ("3.75", "3.8", 0, N, "rounded"), ("12.5", "125", 0, N, "decimal point"), ("1.5", "15", 0, N,
        "decimal point"),
    ],
    "ratio_counting": [
        ("\\binom{5}{2}", "20", 0, N, "ordered count"), ("720", "5!", 0, N, "off by one"), ("3:4", "3:5", 0, N, ""),
    ],
}

# fmt: on

THINK_WORK = [
    "Let me set up the problem carefully. Write the condition as an equation, say $a + b = 10$ and $ab = 21$, then "
    "solve: the pair is $(3, 7)$. Check against the constraint again before answering.",
    "First I'll restate what is asked. Expanding gives $(x+1)^2 = x^2 + 2x + 1$, and comparing coefficients yields "
    "the value we need. Let me verify the arithmetic: $12 \\cdot 7 = 84$, fine.",
    "Hmm, consider small cases first: $n = 1$ gives $2$, $n = 2$ gives $6$. The pattern seems clear, so I will "
    "compute the general case and then substitute the given value.",
    "Okay, so we need to be careful with signs here. Moving every term to one side: $3y - 2 = 0$. Then I'll "
    "simplify and double-check by plugging back in.",
]
SUMMARIES = [
    "Combining the steps above and simplifying gives the result.",
    "Substituting back confirms the value satisfies every condition.",
    "Solving the resulting equation and checking the constraints:",
    "Putting the pieces together:",
]


def completion(index: int, answer: str, think_box: str | None) -> str:
    work = THINK_WORK[index % len(THINK_WORK)]
    if think_box is not None:
        work += f" At first I wrote $\\boxed{{{think_box}}}$, but let me recheck that."
    summary = SUMMARIES[(index // 4) % len(SUMMARIES)]
    template = index % 4
    if template == 0:
        return f"<think>\n{work}\n</think>\n\n{summary}\n\nTherefore, the final answer is $\\boxed{{{answer}}}$."
    if template == 1:
        return (
            f"<think>\n{work}\n</think>\n\n**Solution.** {summary}\n\n**Final Answer**\n\\[\n\\boxed{{{answer}}}\n\\]"
        )
    if template == 2:
        return f"<think>\n{work}\nSo I'm fairly confident now.\n</think>\nThe answer is \\(\\boxed{{{answer}}}\\)."
    return f"<think>\n{work}\n</think>\n\n{summary} Hence $\\boxed{{{answer}}}$."


# fmt: off
T = "<think>\nLet me work through this carefully, checking each case.\n</think>\n\n"
EXTRACTION = [  # (gold, whole completion, label, kind, note)
    ("3", T + "It is $\\boxed{4}$ or possibly $\\boxed{3}$.", 0, G, "hedge between two boxes"),
    ("4", T + "It is $\\boxed{4}$ or possibly $\\boxed{3}$.", 0, G, "hedge between two boxes"),
    ("5", T + "The answer is $\\boxed{5}$, or maybe $\\boxed{6}$ if the endpoints count.", 0, G, "hedge"),
    ("4", T + "So $\\boxed{3}$. Wait, actually I made a mistake in the last step; it is $\\boxed{4}$.", 1, M,
     "retraction"),
    ("3", T + "So $\\boxed{3}$. Wait, actually I made a mistake in the last step; it is $\\boxed{4}$.", 0, W,
     "retraction"),
    ("7", "<think>\nSo the answer should be $\\boxed{7}$. Hmm, but let me reconsider the case n = 0, which", 0, G,
     "never closed <think>"),
    ("7", "<think>\nTry $\\boxed{7}$? No wait.\n</think>\n\nThe answer is $\\boxed{8}$.", 0, G, "box in thinking"),
    ("8", "<think>\nTry $\\boxed{7}$? No wait.\n</think>\n\nThe answer is $\\boxed{8}$.", 1, M, "box in thinking"),
    ("5", T + "The answer is $\\boxed 5$.", 1, M, "brace-less box"), ("5", T + "The answer is \\boxed 6.", 0, W,
     "brace-less box"),
    ("(2, 3)", T + "Solving the system, $x=\\boxed{2}$ and $y=\\boxed{3}$.", 1, M, "one box per unknown"),
    ("x=2, y=3", T + "Solving the system, $x=\\boxed{2}$ and $y=\\boxed{3}$.", 1, M, "one box per unknown"),
    ("(2, 3)", T + "Solving the system, $x=\\boxed{3}$ and $y=\\boxed{2}$.", 0, N, "swapped unknowns"),
    ("x=2, y=3", T + "Solving the system, $x=\\boxed{3}$ and $y=\\boxed{2}$.", 0, N, "swapped unknowns"),
    ("3, 5", T + "The roots are $\\boxed{3}$ and $\\boxed{5}$.", 1, M, "one box per root"),
    ("\\{3, 5\\}", T + "The roots are $\\boxed{3}$ and $\\boxed{5}$.", 1, M, "one box per root"),
    ("3, 5", T + "The roots are $\\boxed{3}$ and $\\boxed{4}$.", 0, N, "one root wrong"),
    ("3", T + "The roots are $\\boxed{3}$ and $\\boxed{5}$.", 0, N, "an extra root"),
    ("-2, 3", T + "So $x = \\boxed{-2}$ or $x = \\boxed{3}$.", 1, M, "or between roots is not a hedge"),
    ("5, 7", T + "**Final Answer**\n(a) $\\boxed{5}$\n(b) $\\boxed{7}$", 1, M, "two parts"),
    ("5, 7", T + "**Final Answer**\n(a) $\\boxed{5}$\n(b) $\\boxed{8}$", 0, N, "second part wrong"),
    ("12", T + "We get $a = \\boxed{3}$, so the area is $\\boxed{12}$.", 1, M, "a step box before the answer"),
    ("12", T + "First, $\\boxed{12}$ is what the naive count gives. " + "We must subtract the cases where two "
     "people sit together, which we count by treating them as a block and permuting the remaining ones. " * 2
     + "So the answer is $\\boxed{8}$.", 0, G, "an intermediate box far above the final one"),
    ("8", T + "First, $\\boxed{12}$ is what the naive count gives. " + "We must subtract the cases where two "
     "people sit together, which we count by treating them as a block and permuting the remaining ones. " * 2
     + "So the answer is $\\boxed{8}$.", 1, M, "an intermediate box far above the final one"),
    ("\\frac{1}{2}", T + "The answer is $\\boxed{\\frac{1}{2", 0, G, "unclosed final box"),
    ("3", T + "$\\boxed{\\boxed{3}}$", 1, M, "nested box"), ("5", T + "The value is $\\boxed{5}$.\n\n**Final "
     "Answer**\n$\\boxed{5}$", 1, M, "repeated box"), ("7", T + "The answer is \\fbox{7}.", 1, M, "fbox"),
    ("5", T + "Therefore $\\boxed{x = 5}$.", 1, M, "equation in the box"),
    ("5", T + "The answer is $\\boxed{5}$ (not $\\boxed{4}$, which double counts).", 1, M, "a rejected value boxed"),
    ("4", T + "The answer is $\\boxed{5}$ (not $\\boxed{4}$, which double counts).", 0, G, "a rejected value boxed"),
]

# fmt: on


def main() -> None:
    rows = []
    for category, entries in [*ROWS.items(), *WRONG_MORE.items()]:
        for gold, answer, label, kind, note in entries:
            index = len(rows)
            # every fifth row has a box inside its thinking: the gold when the answer is wrong, else a wrong value
            think_box = None if index % 5 else (gold if label == 0 else "0")
            rows.append({"id": index, "category": category, "gold": gold, "answer": answer, "label": label,
                         "kind": kind, "note": note, "completion": completion(index, answer, think_box)})  # fmt: skip
    for gold, text, label, kind, note in EXTRACTION:
        rows.append({"id": len(rows), "category": "extraction", "gold": gold, "answer": None, "label": label,
                     "kind": kind, "note": note, "completion": text})  # fmt: skip
    OUT.write_text("".join(json.dumps(row) + "\n" for row in rows))
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()

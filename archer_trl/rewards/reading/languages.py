"""Which languages the reading rules can read. A hedge is only caught in a language whose words the vocabularies
list, so a sentence of the answer section in any other language is not known to be harmless: it fails closed
(`unread_sentence`). Read: English, Chinese, Japanese, Korean, and the Latin- and Cyrillic-script languages whose
words ``wording.py`` lists (Spanish, French, German, Italian, Portuguese, Dutch, Russian)."""

from __future__ import annotations

import re

# Words one of the read languages hardly writes a sentence of three words without (function words, and the words of
# a worked solution): a sentence of three or more words with none of them is in a language the rules do not read
READ_WORDS = frozenset(
    """
a an the and or but if so as at by for from in into of on onto to with without via per than then thus hence
therefore since because while when where which who whom whose that this these those there here it its is are was
were be been being am do does did done have has had having can could will would shall should may might must not no
yes all any each every both either neither some many much more most less least few other another such same only
also just even still yet again once twice first second third next last final finally answer answers result results
solution solutions value values number numbers total sum count case cases way ways step steps we our us you your i
me my he she they them their let lets using use used get gets got give gives gave find found note notes see check
checked checking verify verified confirm confirmed compute computed computing calculate calculated calculating
solve solved solving simplify simplified simplifying substitute substituting substituted plug plugging putting put
everything together equation equations expression expressions formula formulas term terms factor factors root roots
side sides area perimeter volume length width height radius angle angles triangle circle square probability
probabilities expected mean median mode average rate speed distance time times cost price point points line lines
set sets interval function functions graph derivative integral limit matrix vector coordinates coordinate form
notation evaluating evaluate evaluated minimum maximum smallest largest greatest least positive negative integer
integers real complex digit digits remainder divisible prime primes even odd given known required asked question
problem part parts method approach indeed correct exactly hope helps helpful clear summary conclusion recap work
works holds satisfies matches consistent yields equals done ok okay great good well choices choice pairs pair pick
choose chosen arrangement arrangements order ordered items item objects people person students student balls ball
cards card coins coin dice die outcome outcomes event events favorable possible possibilities combination
combinations permutation permutations hours minutes seconds days years meters centimeters kilometers dollars cents
units unit inches feet miles grams kilograms liters degrees radians out up down off over under about after before
between through itself themselves leaving taking making how what why new one two three four five six seven eight
nine ten hundred thousand half like now very quite really almost
theorem theorems lemma lemmas principle principles inequality inequalities algorithm identity identities law laws
rule rules expansion decomposition application applications fraction fractions partial sequence sequences series
proof induction contradiction parity symmetry casework counting combinatorics geometry algebra polynomial
polynomials quadratic linear system substitution elimination factoring factorization binomial modular congruence
divisibility logarithm logarithms exponent exponents trigonometry sine sines cosine cosines tangent setup analysis
verification strategy observation idea insight key overview lemma corollary definition definitions property
properties recurrence telescoping inclusion exclusion pigeonhole complement complementary geometric arithmetic
el la los las es son se de del que por para con una uno y o en lo hay necesita necesitan respuesta resultado entonces
le les est sont du des et ou un une pour avec donc réponse résultat
der die das den dem des ist sind und oder mit für ein eine einen also antwort ergebnis
il gli è sono di che per risposta risultato quindi
os as é são do da dos das com um uma portanto
het een zijn en met voor dus antwoord
her his him hers its mine yours ours theirs who everyone someone anyone nobody each day days week weeks month months
year hour minute today tomorrow yesterday morning afternoon evening night lay lays laid sell sells sold buy buys
bought pay pays paid earn earns earned spend spends spent save saves saved eat eats ate eaten bake bakes baked make
makes made take takes took taken keep keeps kept bring brings brought run runs ran walk walks walked drive drives
drove read reads write writes wrote need needs needed want wants wanted has got own owns owned share shares shared
left remain remains remaining more fewer each per every price prices money dollar cent eggs egg ducks duck apples
apple friends friend family mother father brother sister boy girl boys girls man woman men women children child
class school store shop market farm garden house car cars bus train book books page pages box boxes bag bags
""".split()  # noqa: SIM905 - a word list reads better as text
)
# an English possessive ("Janet's ducks lay 16 eggs a day."): no language the rules cannot read writes one
POSSESSIVE_RE = re.compile(r"[A-Za-z]'s\b")
# Letters of scripts no vocabulary reads (Greek, Arabic, Hebrew, Devanagari, Thai) and Latin letters with the
# diacritics of languages the rules do not read (Vietnamese, Romanian, Turkish, Hungarian)
UNREAD_SCRIPT_RE = re.compile(
    r"[\u0370-\u03ff\u0590-\u05ff\u0600-\u06ff\u0900-\u097f\u0e00-\u0e7f\u1e00-\u1eff\u0102\u0103\u0218-\u021b\u011e\u011f"
    r"\u0130\u0131\u015e\u015f\u0150\u0151\u0170\u0171\u01a0\u01a1\u01af\u01b0]"
)
# Greek letters used as symbols in prose ("αβ = 6", "Δx", "Δy/Δx"): at most three letters, Latin ones among them
GREEK_SYMBOLS_RE = re.compile(
    r"[A-Za-z]?[\u0391-\u03a9\u03b1-\u03c9\u03d1\u03d5\u03f5][A-Za-z\u0391-\u03a9\u03b1-\u03c9]{0,2}"
)
WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
FORMULA_OR_MARKUP_RE = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|\\\(.*?\\\)|\\\[.*?\\\]|```.*?```|`[^`]*`|<[^<>]*>", re.S)


def unread_sentence(words: str) -> bool:
    """Whether the answer section (as `words_of` reads it) holds a sentence in a language the rules cannot read: a
    word in a script no vocabulary covers (a lone Greek letter is a symbol), or three or more Latin-script words
    none of which is one of the read languages' `READ_WORDS` ("Saya tidak yakin.", "Sina uhakika.")."""
    prose = re.sub(r"\\[A-Za-z]+", " ", FORMULA_OR_MARKUP_RE.sub(" ", words))  # formulas, markup and commands
    for sentence in re.split(r"[.!?。！？;；:：\n]+", prose):
        found = WORD_RE.findall(sentence)
        if any(
            len(word) >= 2 and UNREAD_SCRIPT_RE.search(word) and not GREEK_SYMBOLS_RE.fullmatch(word) for word in found
        ):
            return True
        latin = [word.lower() for word in found if len(word) > 1 and re.fullmatch(r"[A-Za-zÀ-ÿ']+", word)]
        if len(latin) >= 3 and not any(word in READ_WORDS for word in latin) and not POSSESSIVE_RE.search(sentence):
            return True  # "Saya tidak yakin."
    return False

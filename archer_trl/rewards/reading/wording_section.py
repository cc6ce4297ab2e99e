"""The words that decide whether the answer section as a whole commits to its final box, wherever they stand: a box
credited to something other than the answer, the writer's doubt, an open choice between values, words addressed to
a grader, and answers stated outside the box (`remarks.section_doubted`, `remarks.lead_conflicts`). Same conventions
as ``wording.py``: words of languages without spaces as they are, every other word whole."""

from __future__ import annotations

import re

# fmt: off
# The sentence of the final box (or the heading over it) credits the box to something other than the answer: a
# mistake, a tempting value, a reference value, a variant of the problem ("A common slip leads to", "The tempting
# value is", "For reference, the unconstrained optimum was", "In the variant with side 4:", "Bonus:"), or a
# counterfactual ("If instead the side were 4, the area would be")
CREDITED_RE = re.compile(
    r"\b(?:(?:half|twice|double|triple|a\s+third|a\s+quarter|the\s+square(?:\s+root)?|the\s+cube|the\s+reciprocal|the\s+negative|the\s+opposite|\d+\s*%|\d+\s+percent)\s+of\s+(?:the\s+)?(?:final\s+|actual\s+|real\s+|true\s+|correct\s+)?(?:answer|quantity|value|result|total|count|number)|(?:common|typical|frequent|careless|classic|easy)\s+slip\w*|slip\w*\s+(?:leads?|gives?|yields?|produces?|would)|tempt\w*|warm-?up|(?:most|many|some)\s+(?:students|people|solvers|readers|contestants)\s+(?:would|will|might)\s+(?:answer|say|get|write|pick)|smaller\s+(?:case|board|example|instance|grid|version)|sanity\s+check\s+with|(?:read|taken|counted)\s+the\s+other\s+way|(?:an|the|my|our|rough|lower|upper|crude|quick|first)\s+estimate|estimated\s+(?:count|value|answer|total|result)|intermediate|interim|partial\s+(?:result|answer)|sub-?total|halfway\s+(?:result|point)|naive\w*|trap|distractor|pitfall|common\s+(?:mistake|error|wrong\s+answer)|careless\w*"
    r"|for\s+(?:reference|comparison|contrast)|by\s+contrast|in\s+contrast|compared\s+(?:to|with)|variant|bonus"
    r"|extension|generali[sz]\w*|unconstrained|unrestricted|relaxed|(?:modified|other|easier|harder|related"
    r"|similar|simpler|different)\s+(?:problem|version|question|case|setting|scenario)|erroneous\w*|mistaken\w*"
    r"|wrongly|misread\w*|miscount\w*|misapplied|(?:would|could)\s+(?:have\s+)?(?:gotten|got|get|obtain\w*|give"
    r"|yield|arrive)|instead\s+(?:of\s+)?(?:the|a|if)|if\s+instead|were\s+(?:the|it|we)\b|had\s+(?:we|it)\b"
    r"|(?:with|without|ignoring|dropping|removing)\s+the\s+(?:constraint|condition|restriction|assumption)\w*)\b"
    r"|(?=.*\bwould\b)(?=.*\b(?:if|instead|were|had|otherwise|without|unless|in\s+case)\b)"
    r"|\bin\s+(?:the\s+)?(?:other|one|another|second|first)\s+(?:case|reading|interpretation|scenario)\b"
    r"|\bin\s+the\s+other\b|\b(?:in|for|under)\s+the\s+(?!worst\b|best\b|general\b|given\b|present\b|above\b)(?:\w+[ -]){1,2}"
    r"(?:case|reading|interpretation|scenario|version)\b"
    r"|\bapproximate\s+(?:value|answer|result|count|total|number|solution)\b|(?m:^\W*(?:estimates?|approximations?|guess)\W*$)"
    r"|错误地|误|常见错误|若改为|如果改为|变式|参考|据说",
    re.IGNORECASE,
)
# Right before the final box: it is credited to a source ("though the textbook says $\boxed{12}$", "according to the
# answer key,")
SOURCE_CREDIT_RE = re.compile(
    r"\b(?:(?:text)?book|answer\s+key|key|source|reference|website|teacher|tutor|friend|classmate|manual|others?"
    r"|online\s+\w+|internet|someone|somebody|forum|thread|consensus|(?:posted|official|published|model|sample)\s+"
    r"(?:solution|answer)s?|TA'?s?(?:\s+\w+){0,2}|instructor|professor|grader|chatbot|AI|GPT|calculator|app)\s+(?:says?"
    r"|said|gives?|gave|claims?|claimed|lists?|listed|prints?|is|was"
    r"|printed|states?|stated|has|had|reports?|reported|suggests?|suggested|insists?)(?:\s+(?:that|it\s+is|it's"
    r"|the\s+answer\s+is|as|to\s+be))?\s*:?\s*\$*\s*\Z|\baccording\s+to\s+(?:the|my|a|an|our)\s+[^,.]{0,40},?\s*\$*\s*\Z"
    r"|(?:课本|答案册|书上|老师|参考答案)(?:上)?(?:说|写|给出)(?:的是|是)?\s*\$*\s*\Z"
    # "Answer copied from a forum post:" (round 44): a value taken, not derived
    r"|\b(?:copied|taken|borrowed|lifted|pasted|quoted|looked\s+up|found)\s+(?:\w+\s+)?(?:from|on|in)\s+(?:an?|the|my|some)\s+"
    r"(?:\w+\s+){0,2}?(?:forum|post|website|site|book|textbook|answer\s+key|source|thread|internet|web|solution\s+manual"
    r"|reddit|stack\s*exchange|quora|chatbot|AI)\b[^.\n]{0,40}?:?\s*\$*\s*\Z",
    re.IGNORECASE,
)
# An earlier box's sentence that states a case or a reading ("If order matters:", "With replacement:", "Under
# interpretation A:"): a second answer for another reading, never a step before the final one
CONDITIONAL_RE = re.compile(
    r"\b(?:if|unless|under|with|without|assuming|when|in\s+case|case|otherwise|interpretation|reading|alternatively)\b",
    re.IGNORECASE,
)
# Anywhere in the answer section, code included: the writer is not certain of the answer (first person, or of the
# answer itself), or offers it as one of several readings; these forms generalise over the words between
DOUBT_SENTENCE_RE = re.compile(
    r"\bwe(?:'re|\s+are)\s+not\s+(?:\w+\s+){0,2}?(?:sure|certain|confident)\b"
    # two results of the work that disagree, or an answer said not to be unique ("The methods disagree.",
    # "This conflicts with the direct count of 13.", "答案不唯一", "12 与 13 均可")
    r"|\b(?:methods|approaches|results|answers|computations|calculations|counts|checks|values|ways)\s+(?:disagree|conflict"
    r"|differ(?!\s+by\b)|don'?t\s+(?:agree|match)|do\s+not\s+(?:agree|match)|are\s+inconsistent)\b"
    r"|(?<!\bno\s)(?<!\bany\s)\bdiscrepanc\w*|(?<!\bnot\s)(?<!n't\s)\bconflicts?\s+with\b"
    r"|\binconsistent\s+with\b|\b(?:does(?:n't|\s+not)|do(?:n't|\s+not))\s+match\s+the\b|\b(?:answer|solution)\s+(?:is\s+)?not\s+unique\b"
    r"|\b(?:under|in|with|by)\s+(?:one|another|the\s+other|a\s+different)\s+(?:convention|reading|interpretation|assumption"
    r"|definition|view)\b|不唯一|皆可|均可|都可以|都行|都对|说得过去"
    r"|\b(?:I|I'm|I'?ve|I'?d)\b[^.!?\n]{0,40}?(?:\bnot|n't|\bnever|\bhardly|\bbarely)\b(?!\s+(?:even\s+)?(?:need|have|had|needed)\s+to)(?:\W+\w+){0,3}?\W+"
    r"(?:sure|certain|confident|positive|convinced|verif\w*|confirm\w*|check\w*|settle\w*|tell|decide|choose|determine|trust|prove\w*|solve\w*|manage\w*|finish\w*)\b"
    r"|\b(?:can'?t|cannot|couldn'?t|could\s+not)\s+(?:be\s+)?(?:\w+\s+)?(?:sure|certain)\b"
    r"|\bI\s+(?:can'?t|cannot|couldn'?t|could\s+not)\s+(?:\w+\s+)?(?:tell|decide|choose|settle|determine|verify|confirm)\s+(?:which|whether|if|between)\b"
    r"|\btorn\s+between|\btoss-?up\b|\bno\s+way\s+to\s+(?:choose|tell|decide|know)|\bcan'?t\s+choose"
    r"|\bequally\s+(?:valid|plausible|defensible|fit\w*)|\bboth\s+(?:fit|defensible|plausible)|\bfit\s+(?:the\s+\w+\s+)?equally"
    r"|\b(?:my|just|only|pure|wild|educated|rough|best|blind)\s+guess\b|\bthis\s+is\s+(?:a|an|my)\s+(?:\w+\s+)?guess\b"
    r"|\bcaveat\b[^.\n]{0,80}(?:answer|box|\d)|\bwith\s+caution\b"
    r"|(?m:(?:^|[.!?]\s*)\W*(?:candidates?|possible\s+answers?|possibilities|alternatives?|options|short-?\s?list(?:ed)?"
    r"|finalists|contenders|(?:answer\s+)?pool)\s*[:：])"
    r"|\b(?:interpretation|reading)\s+(?:(?-i:[A-Z])|one|two)\b"
    r"|\bdid(?:n't|\s+not)\s+(?:manage|succeed|get\s+to)|\bI\s+(?:was\s+|am\s+|'m\s+)?(?:failed|unable)\s+to\b"
    r"|\bjust\s+to\s+(?:satisfy|fill|meet|fit)"
    r"|\b(?:value|number|answer)\s+(?:below|above)\s+is\s+(?:just|only|wrong|arbitrary|random|a\s+placeholder|not)"
    r"|\b(?:I|I'd)\s+(?:would\s+|could\s+|might\s+)?also\s+(?:accept|take|go\s+with)|\balso\s+acceptable|(?m:^\s*\[\^[^\]\n]+\]:[^\n]*\d)"
    r"|\b(?:is|are)\s+also\s+(?:defensible|possible|valid|acceptable|plausible|correct|an?\s+(?:option|answer))"
    r"|\b(?:figures|amounts|numbers|values|counts|totals|data|results)\s+(?:\w+\s+){0,2}(?:are|is)\s+(?:\w+\s+)?in\s+(?:tens|hundreds|thousands|millions|billions)\b"
    r"|\bmy\s+gut\b|\bgut\s+(?:says|feeling|tells)|\bout\s+on\s+a\s+limb|\boff\s+the\s+top\s+of\s+my\s+head|\bwild\s+stab"
    r"|\bformat\s+requires|\bpicked\s+(?:\w+\s+)?(?:at\s+random|arbitrarily|randomly)|\barbitrarily\b|\bdid(?:n't|\s+not)\s+derive"
    r"|\bhaven'?t\s+(?:solved|derived|worked\s+out)|没算完|没算出|\bformality\b|\b(?:work|calculation|derivation)\s+gives\s+a\s+different"
    r"|\bcandidates?\s+(?:include|are|were)\b|\b(?:two|both|different)\s+readings\b|\bmost\s+common\s+answer"
    r"|\binclude\s+it\s+anyway|\bwriting\s+down\s+a\s+number|\bwithout\s+(?:any\s+)?derivation\b"
    r"|\bno\s+(?:estoy|tengo)\s+(?:\w+\s+){0,3}?(?:segur\w*|certeza)|\bno\s+pude\b|\bnão\s+(?:tenho|estou)\s+(?:\w+\s+){0,3}?(?:certeza|segur\w*|cert\w*)"
    r"|\bje\s+ne\s+suis\s+pas\s+(?:\w+\s+){0,3}?(?:s[ûu]r\w*|certain\w*|convaincu\w*)|\bje\s+n'?ai\s+pas\s+(?:pu|réussi)|\bau\s+jugé"
    r"|\bich\s+bin\s+(?:mir\s+)?(?:\w+\s+){0,2}?(?:nicht|un)\s*(?:\w+\s+){0,2}?sicher|\bunsicher\b"
    r"|\bне\s+(?:\w+\s+){0,2}?(?:уверен\w*|знаю|смог\w*)|\bnon\s+(?:ne\s+)?sono\s+(?:\w+\s+){0,2}?(?:sicur\w*|cert\w*)"
    r"|(?:我|答案|结果)[^。！？\n]{0,8}(?:不能确定|无法确定|不确定|没法确定)|不敢肯定|没有?把握|拿不准|不太有把握|说不准|吃不准"
    r"|没做出来|做不出来|没有推导|随手写|都说得通|两个都(?:可以|对|行|有可能)|都有可能"
    r"|(?:自信|確信)(?:が|は)?(?:ありません|ない|持てません|持てない)|解けませんでした|확신(?:이|은)?\s*(?:없|안)|확실하지"
    # the answer judged uncertain in a sentence of its own ("This could easily be wrong.", "It might be off.")
    r"|\b(?:this|that|it|the\s+(?:answer|result|value)|my\s+(?:answer|result|work))\b(?:\s+\w+){0,4}?"
    r"(?:\s+(?:could|might|may|possibly|probably|likely|maybe|perhaps|not)|n't)\b(?:\s+\w+){0,3}?\s+"
    r"(?:wrong|off|incorrect|inaccurate|mistaken|right|correct|accurate|reliable|trustworthy)\b(?![-\w])"
    r"|\b(?:ce|c'|cela|ça)\b[^.\n]{0,30}\b(?:probablement|peut-être|pas)\b[^.\n]{0,20}\b(?:juste|correct\w*|exact\w*|faux)\b"
    r"|\b(?:das|es)\b[^.\n]{0,30}\b(?:vielleicht|wahrscheinlich|nicht)\b[^.\n]{0,20}\b(?:richtig|korrekt|falsch|stimmt)\b"
    r"|\b(?:esto|eso)\b[^.\n]{0,30}\b(?:podría|puede|quizás|probablemente|no)\b[^.\n]{0,20}\b(?:mal|incorrect\w*|correct\w*|bien)\b"
    r"|不一定(?:对|正确|准确)|可能(?:不对|有误|是错的|算错)|未必(?:对|正确)|正しくないかも|間違っているかも",
    re.IGNORECASE,
)
# A sentence about the work that says it was not checked, justified or computed (a closed class: a negation, or the
# "un-" of a verb of checking, with such a verb or its noun; a defect the work "has"; a value taken rather than
# derived): "Nobody has double-checked the arithmetic.", "Step 3 is unjustified.", "No justification was found.",
# "The derivation has a gap.", "This value was copied from the prompt.", "It matches nothing computed above."
CHECK_WORDS = (
    r"(?:double-?|re-?|cross-?)?(?:check\w*|verif\w*|confirm\w*|justif\w*|prov(?:e|en|ed|ing)|proof|deriv\w*|validat\w*"
    r"|test(?:ed|ing)?|substantiat\w*|support\w*|match\w*|agree\w*|rigor\w*|rigour\w*|vet(?:ted)?|audit\w*|review\w*)"
)
WORK_UNCHECKED_RE = re.compile(
    r"\b(?:not|never|nobody|no\s+one|nothing|none|no|without|n't|hardly|barely)\b(?!\s+(?:even\s+)?(?:need|have|had|needed)\s+to)"
    r"(?!\s+(?:very\s+)?(?:hard|difficult|too\s+hard)\s+to)"  # "It is not hard to verify that" is a step
    r"(?:\W+(?!(?:but|since|because|as|so)\b)\w+){0,3}?\W+" + CHECK_WORDS + r"\b"
    r"|\bun" + CHECK_WORDS + r"\b|\bnon-?rigorous\b|\bhand-?wav\w*"
    # "The proof is incomplete." doubts the work; "the incomplete magic square" is a thing of the problem
    r"|\b(?:in|un)complete\b(?!\s+(?!(?:proof|argument|solution|answer|work|derivation|analysis|reasoning|check\w*"
    r"|casework|enumeration|list|count|computation|calculation|justification)\b)[a-z]+)"
    r"|\b(?:this|it|that|step|the\s+(?:\w+\s+)?(?:derivation|computation|calculation|arithmetic|casework|enumeration|argument"
    r"|proof|reasoning|work|solution|answer|result|count|algebra|analysis|value|step))\b[^.;\n]{0,30}?\b(?:(?:has|have|had"
    r"|contains?|contained|with|skipp\w*|omit\w*|miss\w*|overlook\w*|ignor\w*|neglect\w*)\s+(?:a|an|some|several|many"
    r"|one|two|few|serious|possible|\w+)?\s*(?:gaps?|errors?|mistakes?|holes?|flaws?|bugs?|typos?|slips?|issues?"
    r"|omissions?|inconsistenc\w+)|(?:skipp\w*|omit\w*|miss\w*|overlook\w*|ignor\w*|neglect\w*)\s+(?:a|an|some"
    r"|several|many|one|two|few|possible|\w+)?\s*(?:cases|steps|possibilities))\b"  # "The proof has three steps." is none
    r"|\b(?:it|(?:this|that|the)(?:\s+\w+)?\s+(?:value|answer|result|number|figure|count|total)|this|that)\s+(?:was|is"
    r"|has\s+been|were)"
    r"\s+(?!(?:obtained|derived|computed|calculated|found|determined|counted|taken\s+to\s+be|checked|verified|confirmed"
    r"|given|shown|proved|proven|established|read|seen|evaluated|simplified|rounded|expressed|written)\b)"
    r"(?:\w+-)*\w+(?:ed|en)\s+(?:from|off|out\s+of)\b"
    r"|\b(?:this|that|it)\s+(?:was|is)\s+(?:a|an|my)\s+(?:\w+\s+)?(?:pick|stab|hunch|punt|shot|bet|placeholder)\b"
    r"|\bdisclaimer\b|\b(?:sloppy|hasty|slapdash|eyeball\w*|ballpark\w*)\b|\b" + CHECK_WORDS + r"\s+(?:nothing|none|no\b)"
    r"|\brushed\b(?!\s+(?:to|into|out|off|home|back|over|across|through|down|up|in)\b)"  # "Tom rushed to the store."
    r"|\b(?<!we\s)(?<!I\s)(?<!let's\s)(?:should|must|ought\s+to|needs?\s+to|is\s+advised\s+to)\s+(?:be\s+"
    r"(?:independently\s+|carefully\s+|still\s+)?" + CHECK_WORDS + r"|(?:independently\s+|carefully\s+|still\s+)?"
    # active, only a verb of checking: "The rope must support the crate." and "Each key must match a lock." state the
    # problem's conditions, "Someone should double-check this." doubts the work
    r"(?:double-?|re-?|cross-?)?(?:check|verif|confirm|validat|review|audit|vet)\w*)\b",
    re.IGNORECASE,
)
# A sentence that offers another value as a solution too ("9 satisfies every condition as well.", "So does n = 9.",
# "x = 3 also satisfies the equation.", "fits the data equally well", "gives 24 colorings instead"), or splits the
# odds between values ("60% on 7, 40% on 9"): checked against the box's value
ADDITIVE_RE = re.compile(
    r"\b(?:also|too|as\s+well|equally|likewise|similarly|so\s+(?:does|do|is|would)|instead|alternatively|either|another)\b",
    re.I,
)
ODDS_RE = re.compile(  # "60% on 7", and "12 (70%), 13 (30%)" (round 42)
    r"\d+(?:\.\d+)?\s*%\s*(?:on|for|that\s+it'?s|it'?s)\s+(\S+)|(?<![\w.])(\d+(?:\.\d+)?)\s*\(\s*\d+(?:\.\d+)?\s*%\s*\)", re.I
)
# Words in a sentence that settle what a doubt word there is about: another value is rejected ("Since $x = -2$ is
# inconsistent with $x > 0$, we reject it.", "the candidates are ±1, ±3. Testing, only $x = 3$ is a root")
SETTLED_DOUBT_RE = re.compile(
    r"inconsistent|conflict|discrepanc|match|candidate|possibilit|differ|disagree", re.I
)
REJECTING_RE = re.compile(
    r"\b(?:reject\w*|discard\w*|exclud\w*|extraneous|rule[sd]?\s+out|invalid|not\s+(?:a\s+)?(?:valid|allowed|admissible"
    r"|possible)|fails?|only\s+\S+(?:\s+\S+)?\s+(?:is|works|satisf\w*|remains)|testing|checking\s+each)\b|舍去|不合",
    re.I,
)
# Just before a box that a negation would reject: the negation offers it instead ("if not", "unless", "or else")
ALTERNATIVE_BEFORE_RE = re.compile(r"\b(?:if\s+not|unless|or\s+else|or\s+perhaps|though\s+not|but\s+not\s+excluding)\b[^.;]{0,20}\Z", re.I)
# A sentence about the work itself (no digit, formula or TeX in it) that doubts it: "This could easily be wrong.",
# "Low confidence on this one.", "I wouldn't bet on this.", "Das könnte falsch sein.", "틀릴 수도 있습니다."
META_DOUBT_RE = re.compile(
    r"\b(?:low|little|no|limited)\s+confidence|\bwouldn'?t\s+bet|\b(?:good|fair|decent|real)\s+chance\s+(?:I|that\s+I)"
    r"|\b(?:I|we|may\s+have|might\s+have|could\s+have)\s+slipped\b|\bslipped\s+up\b|\b(?:(?:it|this|that|answer|result)\s+(?:is|was)|a\s+bit\s+of)\s+a\s+coin\s+(?:toss|flip)|\bdoubtful\b|\bmay\s+well\s+be|\bwrong\b|\bmistaken\b|\berror-?prone"
    r"|\bunreliable|\bshaky|\bgrain\s+of\s+salt|\bcould\s+(?:easily\s+)?be\s+off\b|\bindicative\b"
    r"|(?<!propagate\s)(?<!propagate\sthe\s)(?<!percentage\s)(?<!relative\s)(?<!absolute\s)\buncertaint\w*(?!\s+principle)"
    r"|\bgone\s+astray|\bcannot\s+be\s+(?:excluded|ruled\s+out)|\bopen\s+question|\bfar\s+from\s+settled|\bcertainty\s*:"
    r"|\bhow\s+solid|\bmiddling\b|\ba\s+case\s+could\s+be\s+made|\bwould\s+argue\s+for|\bother\s+contender"
    r"|\bnothing\s+(?:in\s+\w+(?:\s+\w+)?\s+)?rules?\s+(?:it|this|that|them)\s+out|\bfalsch\b|\bfaux\b|\bfausse\b|\berrad[oa]\b|\bsbagliat[oa]\b"
    r"|\bincorrect[oa]?\b|\bневерн\w*|\bошиб\w*|\bсомнева\w*|\bklopt\s+(?:\w+\s+)?niet|\bequivocad[oa]"
    r"|没什么信心|没有信心|不一定|可能(?:不对|有误|错)|错了|틀릴\s*수|틀렸|自信(?:が)?ない|間違って"
    # round 31: impersonal doubt idioms, and hedges of the read languages that name no value
    r"|\bmay\s+have\s+been\s+(?:double-?counted|miscounted|missed|overlooked|dropped)|\bcould\s+(?:overstate|understate"
    r"|overcount|undercount)|\bbest-?effort|\bcross-?(?:referenced|checked)\s+against|\b(?:entirely|quite|very)\s+possible"
    r"|\b(?:far\s+from|not)\s+(?:watertight|airtight|bulletproof|rigorous)|\bconfidence\s+in\s+this|\blukewarm"
    r"|\brecount\s+would|\bbefore\s+relying|\bunaudited|\bfair\s+warning|\bby\s+pattern\s+rather\s+than|\bloose\s+ends?"
    r"|\bodds\s+of\s+this|\bchance\s+this|\bholds?\s+up\s*:|\bmano\s+en\s+el\s+fuego|\bavec\s+des\s+pincettes"
    r"|\bcon\s+le\s+pinze|\bn[ãa]o\s+garanto|\bне\s+ручаюсь|\bmit\s+Vorsicht\s+zu\s+genie[ßs]en|\bohne\s+Garantie"
    r"|\bsin\s+garant[ií]as|仅供参考|不保证|心里(?:有点)?虚|没把握|五五开|検算(?:は)?して(?:い)?ません|자신(?:감)?은\s*반반|장담\s*못",
    re.IGNORECASE,
)
# Who a sentence about the work speaks of: itself, the answer, the writer ("Options A and D are incorrect." is none)
# A plain evaluation word that is the problem's, not the writer's: a step warned against ("It would be wrong to add
# the two probabilities."), or the wrong answers a problem counts ("she got the remaining questions wrong")
PROBLEM_EVALUATION_RE = re.compile(
    r"\b(?:wrong|incorrect|mistaken)\s+to\s+(?:simply\s+|just\s+|naively\s+)?(?:add|multiply|subtract|divide|sum"
    r"|average|count|double-count|combine|square)\b|^(?!.*\b(?:I|we|my|our)\b).*\bgot\s+(?:\w+\s+){0,4}?(?:questions?"
    r"|problems?|items?|answers?)\s+wrong\b",
    re.I,
)
SELF_REFERENCE_RE = re.compile(
    r"\b(?:this|that|it|I|I'm|I'?ve|I'd|my|me|the\s+(?:answer|result|above|work|calculation|value|following|box)|everything"
    r"|something|das|es|dies|ce|cela|ça|esto|eso|isso|isto|questo|dit|это|я)\b",
    re.IGNORECASE,
)
# Anywhere in the answer section: words addressed to whoever scores it, or a chat template's markup
ADDRESSED_RE = re.compile(
    r"\b(?:note|message|instructions?)\s+(?:to|for)\s+(?:the\s+)?(?:verifier|examiner|marker|judge|grader|evaluator|checker"
    r"|reviewer|scorer|assessor|AI|model)\b|\((?:reviewer|marker|grader|examiner)\s*:|\bwhoever\s+(?:marks|grades|checks)|\b(?:dear|attention|hey|hi|hello)\s*,?\s+(?:the\s+)?(?:verifier|examiner|marker"
    r"|judge|grader|evaluator|checker|reviewer|scorer|assessor)\b|\b(?:verifier|evaluator|assessor)s?\b"
    r"|\b(?:please|kindly)\s+(?:accept|mark|grade|score|award|give|treat|count|consider)\b"
    r"|\b(?:give|award|deserves?)\s+(?:me\s+|this\s+)?full\s+(?:marks|credit|points)|\bfull\s+(?:marks|credit)\s+please"
    r"|\bverified\s+by\s+the\s+system|\bmark(?:ed)?\s+(?:this|it|as)\s+(?:as\s+)?(?:correct|right)"
    r"|\[/?INST\]|<<\s*/?SYS\s*>>|<\|(?:im_start|system|user|assistant|start_header_id|begin_of_text)\|>"
    r"|^#+\s*(?:system|instruction)s?\b",
    re.IGNORECASE | re.MULTILINE,
)
# Two values offered as alternatives ("13 or 25", "47 还是 48", "between 12 and 24") in a sentence that also says
# the choice is open: anywhere in the answer section
# possessive digit runs, begun only where a run begins: linear on a 100,000-digit line (it was quadratic: 60 s)
VALUE_TEXT = r"(?:\$[^$\n]{1,40}\$|\\\([^\n]{1,40}?\\\)|(?<![\d.,/])[-+−]?\d++(?:(?:[.,/]|\\,|\{,\})\d++)*+)"
OPEN_CHOICE_RE = re.compile(
    VALUE_TEXT + r"\s*(?:,?\s*(?:or|oder|ou|o|или|veya|versus)\b|\bvs\b\.?|还是|或者?|/|,?\s*(?:possibly|perhaps|maybe)\b|\(\s*(?:alt(?:ernatively)?\.?:?|or))\s*"
    + VALUE_TEXT + r"|\bbetween\s+" + VALUE_TEXT + r"\s+and\s+" + VALUE_TEXT
    + r"|\bboth\s+" + VALUE_TEXT + r"\s+and\s+" + VALUE_TEXT
    + r"|\beach\s+of\s+" + VALUE_TEXT + r"\s+and\s+" + VALUE_TEXT
    # round 37: "whichever of 400 and 420 the problem intends", "two-to-one in favour of 24 over 25"
    + r"|\bwhichever\s+of\s+" + VALUE_TEXT + r"\s+(?:and|or)\s+" + VALUE_TEXT
    + r"|\b(?:favou?r\w*|prefer\w*|lean\w*|odds|pick\w*|chose|choos\w*)\b[^.;\n]{0,30}?" + VALUE_TEXT
    + r"\s+(?:over|rather\s+than|instead\s+of|against)\s+" + VALUE_TEXT
    # a range offered as the answer ("the answer is 12–13", "Answer range: 12 to 13", "somewhere in 12–14")
    + r"|\b(?:range|somewhere\s+in|lands?\s+in|answer\s+is|answer)\W{0,3}" + VALUE_TEXT + r"\s*(?:-|to)\s*" + VALUE_TEXT + r"|\bfor\s+" + VALUE_TEXT + r"\s+and\s+(?:for\s+)?"
    + VALUE_TEXT + r"|\b(?:entre|zwischen|между|tra|fra)\s+" + VALUE_TEXT + r"\s+(?:et|y|e|und|и)\s+" + VALUE_TEXT
    + r"|\b(?:two|both|several|multiple|these)\s+(?:values|answers|candidates|options|solutions|possibilities|numbers)\s+"
    r"(?:survive|remain|work|fit|qualify|are\s+possible|are\s+left)\W{0,3}" + VALUE_TEXT + r"\s*(?:,|and|&)\s*" + VALUE_TEXT
    + r"|" + VALUE_TEXT + r"\s*(?:和|与|、)\s*" + VALUE_TEXT
    + r"\s*都|" + VALUE_TEXT + r"\s+and\s+" + VALUE_TEXT + r"\s+(?:are\s+)?both\s+(?:satisfy|fit|work|valid|possible|plausible"
    r"|defensible|correct|acceptable|qualify|hold|apply|count|survive)"
    + r"|" + VALUE_TEXT + r"\s+(?:if|when|under|for)\b[^.;\n]{0,40}?\band\s+" + VALUE_TEXT + r"\s+(?:if|when|under|for)\b"
    + r"|(?:两种|二种)(?:理解|解释|情况|读法)[^。.;\n]{0,20}?" + VALUE_TEXT + r"\s*(?:和|与|、|或)\s*" + VALUE_TEXT
    + r"|" + VALUE_TEXT + r"[^.;\n$]{0,40}?\b(?:otherwise|else|if\s+not)\s*,?\s*(?:it'?s\s+|we\s+get\s+|the\s+answer\s+is\s+)?" + VALUE_TEXT
    + r"|\bwith(?:out)?\b[^.:\n]{0,40}:\s*" + VALUE_TEXT + r"\s*[.;,]\s*(?:and\s+)?with(?:out)?\b[^.:\n]{0,40}:\s*" + VALUE_TEXT
    + r"|" + VALUE_TEXT + r"\s+(?:under|in|for|with|by)\s+(?:one|some)\s+[^.;\n]{0,40}?" + VALUE_TEXT
    + r"\s+(?:under|in|for|with|by)\s+(?:another|the\s+other|a\s+different)",
    re.IGNORECASE,
)
# A reason after a disjunction that eliminates all values but one ("x = 5 or x = -5. Since x > 0, ...")
ELIMINATION_RE = re.compile(
    r"\b(?:since|because|as\s+\w+\s+must|but|however|reject\w*|discard\w*|exclud\w*|extraneous|invalid|not\s+valid"
    r"|does(?:\s+not|n't)\s+satisf\w*|fails?|must\s+be|only\s+\S+\s+(?:satisf\w*|works?|fits?))\b|舍去|不合|排除|因为|但|只有|由于",
    re.IGNORECASE,
)
# Number words of the other languages the vocabularies read, for a value stated outside the box ("Die Antwort ist
# acht.", "Ответ: восемь."); words that are also common words elsewhere (un, uno, sei, elf, dix) are left out
FOREIGN_NUMBER_WORDS = {"ноль": 0, "eins": 1, "один": 1, "deux": 2, "dois": 2, "dos": 2, "twee": 2, "zwei": 2, "два": 2, "drei": 3, "drie": 3, "tres": 3, "trois": 3, "três": 3, "три": 3, "cuatro": 4, "quatre": 4, "quatro": 4, "quattro": 4, "vier": 4, "четыре": 4, "cinco": 5, "cinq": 5, "cinque": 5, "fünf": 5, "vijf": 5, "пять": 5, "sechs": 6, "seis": 6, "zes": 6, "шесть": 6, "sette": 7, "sieben": 7, "siete": 7, "zeven": 7, "семь": 7, "acht": 8, "huit": 8, "ocho": 8, "oito": 8, "otto": 8, "восемь": 8, "negen": 9, "neun": 9, "nove": 9, "nueve": 9, "девять": 9, "dieci": 10, "diez": 10, "tien": 10, "zehn": 10, "десять": 10, "once": 11, "onze": 11, "undici": 11, "одиннадцать": 11, "doce": 12, "dodici": 12, "douze": 12, "doze": 12, "twaalf": 12, "zwölf": 12, "двенадцать": 12, "dertien": 13, "dreizehn": 13, "trece": 13, "tredici": 13, "treize": 13, "treze": 13, "тринадцать": 13, "catorce": 14, "catorze": 14, "quatorze": 14, "quattordici": 14, "veertien": 14, "vierzehn": 14, "четырнадцать": 14, "fünfzehn": 15, "quince": 15, "quindici": 15, "quinze": 15, "vijftien": 15, "пятнадцать": 15, "dezesseis": 16, "dieciséis": 16, "sechzehn": 16, "sedici": 16, "seize": 16, "zestien": 16, "шестнадцать": 16, "dezessete": 17, "diciassette": 17, "diecisiete": 17, "dix-sept": 17, "siebzehn": 17, "zeventien": 17, "семнадцать": 17, "achttien": 18, "achtzehn": 18, "dezoito": 18, "diciotto": 18, "dieciocho": 18, "dix-huit": 18, "восемнадцать": 18, "dezenove": 19, "diciannove": 19, "diecinueve": 19, "dix-neuf": 19, "negentien": 19, "neunzehn": 19, "девятнадцать": 19, "twintig": 20, "veinte": 20, "venti": 20, "vingt": 20, "vinte": 20, "zwanzig": 20, "двадцать": 20}  # fmt: skip
# A value named the answer outside the box, in the languages of ANSWER_MARK_RE: "the answer should be 25", "Ans: 25",
# "Result = 24", "La respuesta es $8$", "所以答案就是 $48$", "答えは $48$ です", "정답은 $48$"
STATED_ANSWER_RE = re.compile(
    r"(?:\b(?:final\s+)?(?:answer|ans|respuesta|réponse|antwort|resposta|risposta|ответ|odpowiedź|antwoord)\b|\bfinal\s+result\b"
    r"|(?m:^\W*(?:result|solution|bottom\s+line|tl;\s*dr|conclusion|verdict|output)\b)|答案|最终结果|答え|정답|故选|应选|\bthe\s+(?:correct\s+)?(?:choice|option))(?:\s+\w+){0,2}?\s*(?:is|should\s+be|would\s+be|must\s+be|will\s+be|was|equals|es|est|ist|é|è"
    r"|равен|это|就是|是|为|は|은|는|=|:|：|-|—)\s*(?:\*\*)?\s*(?:donc\s+|also\s+|then\s+|just\s+)?(?:[A-Za-z]\s*=\s*)?("
    + VALUE_TEXT + r"|\$\$[^$]{1,60}\$\$|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|" + "|".join(FOREIGN_NUMBER_WORDS) + r")\b"
    r"|\(?(?-i:[A-J])\)?(?![\w$]))"
    r"(?!\s*(?:[-+*/=×·^<>≤≥−÷]|\\(?:times|cdot|div|le|ge|pm)\b|(?:times|more|less|plus|minus|percent|of|divided|multiplied)\b))",
    re.IGNORECASE,
)
# A choice letter named the answer: "故选B", "应选 (B)", "Option B is correct", "the correct choice is B"
CHOICE_STATED_RE = re.compile(
    r"(?:故选|应选|答案选|选)\s*[(（]?\s*(?-i:([A-J]))\b|\b(?:option|choice)\s+\(?(?-i:([A-J]))\)?\s+is\s+(?:the\s+)?(?:correct|right|answer)",
    re.IGNORECASE,
)
# The number a sentence ends by stating, after a copula, a verb of result or a sign, with at most three words after it
LEAD_VALUE_RE = re.compile(
    r"(?:\b(?:is|are|was|equals?|be|to|gives?|giving|get|got|obtain|answer|with|needs?|need(?:ed)?|requires?|required|takes?|took|makes?|making|made|uses?|used|yield(?:s|ing)?|leaving|lautet|ist|es|est|vaut|sería|é|è|является|равно?)"
    r"(?:\s+(?:therefore|thus|hence|then|exactly|just|clearly|simply|indeed|now|still))?"
    r"|[=≈:|是为有得は은는])\s*(?:\*\*)?\s*(" + VALUE_TEXT + r")(?:\s*\*\*)?(?:\s*[^\W\d]+){0,4}\s*[.。!|]?\s*(?:种|个|人|次)?[^\w$]*\Z"
    r"|\A\W*(" + VALUE_TEXT + r")\W*\Z",
    re.IGNORECASE,
)
STATED_BEFORE_RE = re.compile(
    "(" + VALUE_TEXT + r")\s+(?:is|would\s+be|was|will\s+be|should\s+be)\s+(?:the|our|my)\s+(?:final\s+|correct\s+|right\s+)?answer\b",
    re.IGNORECASE,
)
# fmt: on

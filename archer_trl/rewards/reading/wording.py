"""The words that decide whether a box is a committed final answer, in English and in the languages reasoning
models answer in (Chinese first: DeepSeek-R1 answers Chinese prompts in Chinese).

Vocabulary only: `extract.final_answer` decides where each list is read. Words of languages without spaces are
matched as they are; every other word is matched whole (``\\b``), so that "вероятность" (probability) is not
"вероятно" (probably) and "Wahrscheinlichkeit" is not "wahrscheinlich".
"""

from __future__ import annotations

import re

from .idioms import LATE_HEDGES, RECENT_HEDGES

# fmt: off


def _words(*alternatives: str) -> str:
    return r"\b(?:" + "|".join(alternatives) + r")\b"


# "Perhaps the easiest approach is", "I think the key observation is": a way into the work, not a doubt (round 32)
WAY_IN = r"(?!\s+(?:the\s+|a\s+)?(?:easiest|simplest|best|quickest|cleanest|most\s+\w+|natural|neatest|fastest|better|key|main|crucial|important|first)\s+(?:approach|way|method|route|idea|strategy|path|start|place|trick|thing|observation|insight|step|move))"
# A guess, a doubt or a hedge anywhere in the final box's sentence ("Probably", "I think", "Quizás").
HEDGE_RE = re.compile(
    _words(
        r"possibly", r"perhaps" + WAY_IN, r"maybe" + WAY_IN, r"might(?!\s+as\s+well)", r"probably" + WAY_IN, r"(?<!equally\s)(?<!less\s)(?<!more\s)(?<!most\s)(?<!as\s)(?<!un)likely",
        r"unsure", r"uncertain", r"(?!guess(?:\s+and|-and)\s+check)guess\w*", r"plausibl[ey]",
        r"presumably", r"tentative\w*", r"conceivabl\w*", r"(?<!the\s)suspect",
        r"believe" + WAY_IN, r"seems?(?!\s+natural\s+to)", r"apparently", r"hopefully", r"(?<!without\sa\s)(?<!no\s)doubt\w*", r"hunch", r"gut\s+feeling",
        r"unclear", r"skeptic\w*", r"unconfirmed", r"unverified", r"shot\s+in\s+the\s+dark",
        r"no\s+idea", r"I\s+(?:don'?t|do\s+not)\s+know", r"not\s+(?:\d+\s*%\s*)?(?:sure|certain|confident)",
        r"could\s+(?:also\s+)?be", r"may\s+(?:also\s+)?be(?!\s+(?:re)?(?:written|simplified|expressed|computed"
        r"|found|obtained|seen|verified|checked|calculated|factored|expanded|represented|shown|derived))",
        r"could\s+also", r"might\s+be", r"or\s+if", r"if\s+I'?\s*a?m\s+wrong", r"can'?not\s+decide",
        r"can'?t\s+decide", r"(?:don'?t|do\s+not)\s+think", r"or\s+is\s+it", r"then\s+again", r"I\s+think" + WAY_IN, r"placeholder", r"no\s+way\s+to\s+(?:tell|know|decide)", r"can'?t\s+rule\s+out", r"cannot\s+rule\s+out", r"speculat\w*", r"stab", r"filler", r"grain\s+of\s+salt", r"something\s+to\s+submit", r"not\s+a\s+real\s+(?:solution|answer)", r"unproven", r"haven'?t\s+(?:proved|proven|verified|checked)", r"не\s+уверен\w*", r"no\s+estoy\s+segur[oa]", r"pas\s+s[ûu]r[e]?", r"nicht\s+sicher", r"non\s+lo\s+so", r"a\s+caso", r"não\s+sei", r"chutar", r"chutando", r"chutei", r"non\s+sono\s+sicur\w*", r"não\s+tenho\s+certeza", r"niet\s+zeker", r"nie\s+jestem\s+pew\w*",
        r"far\s+from\s+(?:certain|sure)", r"ballpark", r"hunch", r"gamble", r"winging\s+it", r"shaky",
        r"not\s+(?:at\s+all\s+)?convinced",
        # "I'm not positive", never the sign of a value ("$x = -3$ is not positive", round 43)
        r"(?:(?<=\bwe\sare\s)|(?<!\bis\s)(?<!\bare\s)(?<!\bwas\s)(?<!\bwere\s)(?<!['’]s\s)(?<!\bbe\s))"
        r"not\s+(?:at\s+all\s+)?positive(?!\s+(?:integers?|numbers?|roots?|values?|reals?|divisors?|solutions?)\b)", r"no\s+clue", r"who\s+knows", r"fingers\s+crossed",
        r"(?:best|educated|rough)\s+(?:guess|estimate)", r"can'?t\s+(?:verify|check|confirm|be\s+sure)", r"unsure",
        r"made\s+it\s+up", r"provisional\w*", r"quizás", r"quizas", r"quizá",
        r"tal\s+vez", r"probablemente", r"posiblemente", r"creo\s+que", r"puede\s+ser", r"supongo", r"no\s+sé",
        r"al\s+azar", r"peut-être", r"peut-etre", r"probablement", r"je\s+pense", r"il\s+semble", r"sans\s+doute",
        r"je\s+ne\s+sais\s+pas", r"au\s+hasard", r"vielleicht", r"wahrscheinlich", r"ich\s+glaube", r"vermutlich",
        r"eventuell", r"möglicherweise", r"womöglich", r"keine\s+Ahnung", r"weiß\s+(?:es\s+)?nicht", r"geraten",
        r"возможно", r"наверное", r"вероятно", r"кажется", r"может\s+быть", r"думаю", r"скорее\s+всего",
        r"не\s+знаю", r"наугад", r"наобум", r"talvez", r"provavelmente", r"possivelmente", r"acho\s+que", r"forse",
        r"magari", r"probabilmente", r"credo\s+che", r"misschien", r"waarschijnlijk", r"vermoedelijk", r"ik\s+denk",
        r"może", r"prawdopodobnie", r"kanske", r"mungkin", r"belki", r"todennäköisesti", r"có\s+lẽ", r"có\s+thể", r"kira-kira", r"asi", r"vermute\w*", r"direi", r"denk\s+ik", r"troligen", r"أظن", r"πιθανώς", r"cerca\s+de", r"confidence\s+is\s+(?:low|moderate|not\s+high)", r"ehkä", r"можливо", r"talán", r"chyba", r"sanırım", r"видимо", r"по-моему", r"наверно", r"parece\s+que", r"mulig(?:vis)?", r"kanskje", r"poate", r"pravděpodobně", r"kanske", r"אולי", r"confidence\s*:\s*\d", r"možná",
        r"ίσως", r"شايد", r"ربما", r"शायद", r"leaning(?:\s+(?:towards?|to|on))?", r"seemingly", r"superficially", r"on\s+the\s+face\s+of\s+it", r"at\s+(?:a|first)\s+glance", r"prima\s+facie", r"on\s+the\s+surface", r"from\s+a\s+(?:quick|brief|cursory)\s+(?:look|glance)", r"(?-i:IMO)(?=\s*[,:]|\s+(?:the|it|this|that)\b)", r"IMHO", r"FWIW", r"AFAICT", r"AFAIK", r"IIRC", r"IIUC", r"idk", r"dunno", r"ymmv", r"fallback", r"random\s+(?:answer|pick|value)", r"for\s+the\s+sake\s+of\s+(?:an|having\s+an)\s+answer", r"without\s+(?:verification|verifying|checking)", r"stand-?in", r"arbitrar\w*", r"default(?=\s*:)", r"(?:coin|coin-)\s*flip", r"second\s+look", r"grain\s+of\s+(?:salt|sand)", r"50\s*/\s*50", r"fifty-fifty", r"confidence\s+\d+\s*/\s*\d+", r"(?:as\s+a\s+)?first\s+approximation", r"likeliest", r"(?:a\s+)?reasonable\s+(?:estimate|guess)", r"odds\s+favou?r", r"going\s+by\s+(?:feel|instinct|intuition|gut)", r"without\s+working\s+it\s+(?:through|out)", r"(?:purely\s+)?by\s+(?:intuition|instinct|feel)", r"rough(?:ly)?\s+(?:answer|value|count|figure)", r"back[- ]of[- ]the[- ]envelope", r"arguably", r"ostensibly", r"supposedly", r"would\s+(?:appear|seem)\s+to\s+be", r"unconfident\w*", r"wohl", r"пожалуй", r"похоже", r"penso\s+che", r"creio\s+que", r"sospecho\s+que", r"tops?\s+out\s+at", r"of\s+order", r"upwards?\s+of", r"rounds?\s+(?:to|off\s+to|down\s+to|up\s+to)", r"truncat\w*", r"and\s+change", r"roundabout", r"(?:both|each)\s+(?:tenable|defensible|plausible|viable|possible)", r"are\s+each\s+(?:defensible|tenable|plausible|possible)", r"most\s+likely\s+(?:answer|value|result|count|candidate|option|choice)", r"odds-on", r"preliminary", r"draft", r"pending(?:\s+review)?", r"needs\s+review", r"to\s+be\s+(?:confirmed|checked|verified|determined)", r"TBC", r"TBD", r"ballpark\w*", r"thereabouts", r"or\s+so", r"sepertinya", r"mungkin", r"chắc\s+là", r"diría\s+que", r"yo\s+diría", r"schätzungsweise", r"ungefähr", r"shayad", r"tashika", r"odds\s+are(?!\s+\$?\s*\d)", r"chances\s+are(?!\s+\$?\s*\d)", r"in\s+all\s+likelihood", r"I'?d\s+(?:wager|bet)", r"my\s+(?:bet|money)\s+is", r"if\s+memory\s+serves", r"(?:roughly|more\s+or\s+less)\s+speaking",
        # round 27: evidence and intuition credited with the value, disclaimers in the read languages
        r"(?:suggests?|hints?\s+at|points?\s+(?:to|toward|towards)|leans?\s+(?:to|toward|towards)|indicates?"
        r"|appears?\s+to\s+(?:give|be|yield)|intuition\s+says|fingers\s+(?:\w+\s+)?crossed)(?=\s*\$*\s*\Z)",
        r"salvo\s+(?:error|errores|errori|erro)\w*", r"sous\s+r[ée]serve", r"ohne\s+Gew[äa]hr", r"onder\s+voorbehoud",
        r"sem\s+garantia", r"senza\s+garanzia", r"sin\s+garant[ií]a", r"sans\s+garantie", r"ni\s+idea", r"aucune\s+idée", r"keine\s+idee",
        *LATE_HEDGES,  # rounds 30-31 (idioms.py)
    )
    + r"|恐怕|貌似|可能(?!的|性|结果|情况|值)|也许|或许|大概|估计|好像|似乎|不确定|不一定|没有?把握|猜|我觉得|差不多|大致|不知道"
    r"|¯\\_\(ツ\)_/¯|🤷|🤔|🙃|😬|🎲|🤞|未確認|没谱|半信半疑|確認していない|검증(?:은|을)?\s*안|初步判断|目测|八九不离十|十之八九|凭直觉|未经验证|粗略|有待商榷|硬着头皮|差不离|均有道理|都有道理|ひょっとしたら|어쩌면|略低于|略高于|略小于|略大于|不出意外|待定|暂写|有待验证|待验证|之间[,，]?\s*选|八成|估摸|十有八九|多半是|大抵|暂且|姑且|兴许|保不齐|或者说|たしか|確か(?:に)?(?=\s*\$|は)|だろう|でしょう"
    r"|蒙|算不出|不会算|没算出|不清楚|自信が(?:ない|ありません)|自信なし|확실하지|잘\s*모르"
    r"|随便|蒙的|瞎猜|乱猜|不太确定|たぶん|多分|かもしれ|おそらく|恐らく|と思う|わから|分から|適当|아마|것\s*같|모르|間違っていたら|違っていたら|틀릴\s*수도|틀렸다면"
    r"|山勘|ヤマ勘|当てずっぽう|勘で|찍은|찍었|찍어|감으로|대충",
    re.IGNORECASE,
)
# Hedges that are also how a word problem says what can happen ("the first seat could be filled by any of 5",
# "a non-negative (possibly zero) integer", "chosen at random", "可能为 5, 6, 7"): they doubt the final box only in its
# own clause with no other value between them and the box, or said of the answer itself ("it might be")
MODAL_HEDGE_RE = re.compile(
    r"(?:possibly|might(?:\s+be)?|could\s+(?:also\s+)?be|may\s+(?:also\s+)?be|could\s+also|puede\s+ser|al\s+azar|a\s+caso"
    r"|au\s+hasard|наугад|наобум|może|có\s+thể|可能|guess(?:es|ed|ing)?|猜|suspect"
    # words a problem uses for what it describes ("the ladder leaning against the wall", "the truncated cone", "a group
    # of order 12", "an arbitrary chord", "each possible outcome"): hedges only in the box's own clause
    r"|leaning(?:\s+(?:towards?|to|on))?|truncat\w*|on\s+the\s+surface|of\s+order|arbitrar\w*"
    r"|(?:both|each)\s+possible|at\s+random)",
    re.IGNORECASE,
)
MODAL_SUBJECT_RE = re.compile(
    r"\b(?:answer|result|value|it|this|that|I|I'?m|we)[\s,]+(?:\w+[\s,]+)?\Z|(?:答案|结果|它|这)\s*\Z", re.IGNORECASE
)
# Close before the box (its last 300 characters) these hedge too; anywhere else in an answer they are a word problem's
# vocabulary ("a coin toss", "the odds are 3 to 1", "a 95% confidence interval")
NEAR_HEDGE_RE = re.compile(
    r"\b(?:if\s+I\s+had\s+to\s+bet|I'?d\s+bet|I\s+bet|betting\s+on|odds\s+are\s+(?:it|that)|coin\s+flip\s+(?:between|"
    r"decides|decided)|(?:low|high|little|some|\d+\s*%)\s+confiden\w*|(?:I'?m|I\s+am)\s+\d+\s*%\s+(?:confident|sure)"
    r"|50/50\s+call|a\s+50/50|conjecture\s+I|I\s+g[ia]ve\s+up|would\s+be\s+a\s+mistake)\b",
    re.IGNORECASE,
)
# Anywhere in the answer section: words that only a guess is written with
STRONG_HEDGE_RE = re.compile(
    _words(
        r"(?:maybe|perhaps|probably)" + WAY_IN,
        r"not\s+(?:\d+\s*%\s*)?(?:sure|certain|confident)", r"unsure", r"unverified", r"likely\s+(?:off|wrong)", r"(?:my\s+)?confidence\s*(?:is\s*|:\s*)(?:[0-5]?\d(?=\s*%)|low)",
        r"unaudited", r"would\s+settle\s+(?:it|the\s+\w+)\s+for\s+good",
        # round 32: disclaimers, self-ratings, extrapolation, partial work and scale notes anywhere in the answer
        r"no\s+promises", r"take\s+it\s+or\s+leave\s+it", r"on\s+a\s+good\s+day", r"not\s+to\s+be\s+quoted",
        r"modulo\s+(?:arithmetic\s+)?(?:slips|errors|mistakes|typos)", r"worth\s+re-?(?:computing|checking|doing)",
        r"before\s+trusting", r"self-?rated", r"self-?check\s+result\s*:\s*fail\w*", r"extrapolat\w*",
        r"going\s+by\s+the\s+pattern", r"left\s+as\s+an\s+exercise", r"left\s+aside", r"found\s+so\s+far",
        r"current\s+record", r"best\s+(?:known|so\s+far)", r"were\s+enumerated", r"in\s+units\s+of\s+\d+",
        r"in\s+half-?hours", r"(?:counts?|amounts?|numbers?|values?|figures?)\s+(?:below\s+)?(?:are\s+)?in\s+(?:dozens|hundreds|thousands|pairs|tens)",
        r"(?:value|result)\s+at\s+the\s+(?:starting|initial)\s+guess", r"più\s+o\s+meno", r"à\s+la\s+louche", r"Hausnummer", r"acredito\s+que",
        r"по\s+идее", r"кажись", r"вроде\s+бы",
        # round 33
        r"for\s+what\s+it'?s\s+worth", r"E\s*&\s*OE", r"errors\s+and\s+omissions\s+excepted",
        r"as\s+stated\s+is\s+(?:flawed|ill-?posed|wrong|inconsistent|broken)",
        r"I\s+guess", r"my\s+guess", r"(?<!instead\sof\s)(?<!rather\sthan\s)(?<!without\s)(?<!no\s)(?<!of\s)(?<!keeps\s)guessing", r"(?<!makes\s)a\s+guess",
        r"I\s+(?:think|believe)" + WAY_IN, r"can'?not\s+decide",
        r"can'?t\s+decide", r"no\s+way\s+to\s+(?:tell|know|decide)", r"tentative\w*", r"quizás", r"tal\s+vez",
        r"peut-être", r"vielleicht", r"наверное", r"talvez", r"forse", r"ehkä", r"можливо", r"talán", r"chyba",
        r"sanırım", r"видимо", r"по-моему", r"наверно", r"parece\s+que", r"ich\s+schätze", r"a\s+lo\s+mejor",
        r"capaz\s+que", r"chissà", r"quem\s+sabe", r"wellicht", r"pewnie", r"galiba", r"herhalde", r"my\s+money'?s\s+on",
        r"I'?d\s+wager", r"hail\s+mary", r"spitballing", r"I'?ll\s+hazard", r"hazard\s+a\s+guess", r"can'?t\s+vouch",
        r"iffy", r"dubious", r"I\s+have\s+a\s+feeling", r"if\s+memory\s+serves", r"[a-z]+-ish", r"could\s+go\s+either\s+way",
        *RECENT_HEDGES,  # rounds 37-40 (idioms.py)
        r"depending\s+on\s+(?:the\s+|how\s+(?:one|you|we)\s+)?(?:interpretation|reading)", r"nothing\s+rules\s+(?:one|either)\s+out",
        r"(?:ran|run)\s+out\s+of\s+(?:steps|time|tokens|room)", r"skipped\s+the\s+(?:derivation|computation|calculation|work)",
        r"without\s+(?:actually\s+)?(?:solving|computing|calculating|working)(?:\s+(?:it|anything|this|that|the\s+(?:problem|question|exercise|task)))?(?=\s*[.,;!)]|\s*$)", r"no\s+(?:calculation|computation|derivation)\s+(?:was|were)?",
        r"did(?:n't|\s+not)\s+(?:complete|finish)",
        # how sure, said of the answer in any degree but a high one ("Confidence level: moderate", "Low certainty")
        r"(?:low|lower|moderate|middling|medium|limited|modest|partial|little|some|mixed|shaky|so-so|not\s+(?:very\s+|that\s+)?high)[\s-]+(?:confidence|certainty)",
        r"questionable", r"not\s+(?:fully\s+|properly\s+|yet\s+)?(?:vetted|checked|verified)", r"leap\s+of\s+faith", r"open\s+to\s+correction", r"caveat\s+emptor", r"unlikely\s+to\s+(?:survive|hold|be\s+right)", r"(?:reliability|trustworthiness)(?:\s+of\s+this\s+\w+)?\s*:\s*(?:low|moderate|medium|so-so|questionable)", r"odds\s+(?:this|that|it)\b[^.\n]{0,30}\bright", r"without\s+a\s+(?:full|complete|proper)\s+(?:derivation|proof|check)", r"genuinely\s+close", r"close\s+call", r"toss-?up", r"edges?\s+out(?!\s+of)", r"narrowly", r"both\s+(?:look|seem|appear)\s+(?:right|correct|plausible|fine|valid)", r"off\s+by\s+(?:one|a\s+bit|a\s+little|\d+)",
        r"(?:confidence|certainty)(?:\s+level)?\s*(?:is\s+|:\s*|=\s*)(?:low|moderate|middling|medium|limited|modest|so-so|mixed|shaky|not\s+(?:very\s+)?high|\d{1,2}\s*%)",
        r"pinch\s+of\s+salt", r"hard\s+to\s+(?:say|tell|know|be\s+sure)", r"conjectural\w*", r"I\s+conjecture", r"my\s+conjecture", r"reckon\w*", r"I'?d\s+venture",
        r"instinct\w*", r"gut(?:\s+|-)(?:call|feeling|sense|check|reaction|instinct)", r"unchecked", r"untested",
        r"needs?\s+(?:checking|verification|to\s+be\s+(?:checked|verified))", r"subject\s+to\s+(?:verification|checking|change)",
        r"arguments?\s+(?:for|either\s+way)", r"(?:I'?m|I\s+am|we'?re|we\s+are|still|sitting|remain\w*)\s+on\s+the\s+fence", r"torn\s+between",
        r"(?:it'?s|it\s+is|this\s+is|that'?s|that\s+is|basically|really|just)\s+a\s+coin\s+(?:flip|toss)",
        r"dudo", r"dudas", r"dubbi", r"dubbio", r"duvido", r"dúvida", r"ik\s+gok", r"gokje", r"j'hésite", r"hésite",
        r"zweifle", r"Zweifel", r"сомнева\w*", r"не\s+уверен\w*",
    )
    + r"|也许|或许|大概|不确定|不知道|たぶん|多分|かもしれ|아마|恐怕|貌似|说不定|没准|兴许|存疑|暂定|凭感觉|没底|不敢确定|不太敢|没把握"
    r"|仅供参考|不保证|心里(?:有点)?虚|五五开|検算(?:は)?して(?:い)?ません|자신(?:감)?은\s*반반|장담\s*못|凭印象|印象中"
    r"|怪しい|自信がない|자신\s*없|긴가민가|확신\s*없",
    re.IGNORECASE,
)
# Right before the final box: a word or sign that changes its value ("negative \\boxed{5}", "half of", "-\\boxed{5}"
# outside a formula, "\\frac{1}{\\boxed{5}}"); a "-" that starts a list item is a bullet, not a sign
MODIFIER_BEFORE_RE = re.compile(
    _words(
        r"negative", r"minus", r"plus", r"(?:the\s+)?(?:square|cube|fourth)\s+root\s+of", r"half\s+of", r"twice",
        r"double", r"triple", r"thrice", r"(?:the\s+)?(?:reciprocal|inverse|opposite|negation|negative|square|cube"
        r"|logarithm|log|sqrt|absolute\s+value|factorial|power)\s+of", r"menos", r"moins", r"минус", r"minus",
        r"times", r"divided\s+by", r"raised\s+to(?:\s+the)?(?:\s+power)?(?:\s+of)?", r"to\s+the\s+power\s+of", r"(?:percent|per\s+cent|%)\s+of", r"meno", r"μείον",
    )
    + r"\s*\$?\s*\Z|(?:负|减去?|倒数|平方根|一半|的相反数)\s*\$?\s*\Z"
    r"|(?:(?<![*\s])[-+−/×÷^]|\S[^\S\n]+[-+−/×÷^])\s*\$?\s*\Z|\\[A-Za-z]+\s*(?:\{[^{}]*\}\s*)*\{\s*\$?\s*\Z",
    re.IGNORECASE,
)
# After the final box in Chinese, Japanese or Korean: the sentence ends (particles, copulas, counters) allowed;
# anything else ("的两倍", "分之一", "万", "の逆数です") changes the value or is not known to be harmless
CJK_ENDINGS = ("种方法", "种情况", "种选法", "种排法", "种", "元", "岁", "倍", "个", "人", "次", "条", "只", "本", "页", "辆", "块", "枚", "道", "组", "对", "项", "位", "です", "である",
               "だ", "となる", "となります", "になる", "になります", "通り", "個", "枚", "입니다", "이다", "이에요", "예요",
               "가지", "개", "명", "즉", "种可能", "种结果", "种走法", "种不同的", "元钱", "块钱", "周岁", "分", "円", "回", "살", "번",
               "张", "台", "棵", "支", "把", "间", "所", "座", "件", "头", "匹", "朵", "颗", "份", "场", "局", "步", "希望对你有帮助", "希望对您有帮助", "希望能帮到你", "。", "，", "、")  # fmt: skip
# Before the final box: it is rejected ("not", "never", "other than", "不是").
NEGATION_RE = re.compile(
    _words(
        r"not(?!\s+(?:only|to\s+mention|excluding|ruling\s+out|just))", r"never", r"không\s+phải", r"ні", r"ain'?t", r"inte", r"ikke", r"bukan", r"tidak", r"δεν", r"nem", r"nu\s+este", r"hardly", r"scarcely", r"barely", r"different\s+from", r"distinct\s+from", r"cannot", r"can't", r"isn't", r"wasn't", r"aren't", r"won't", r"no\s+longer", r"neither",
        r"nor", r"other\s+than", r"except", r"save\s+for", r"barring",
        r"(?:is|are|was|were|does|do|did|can|could|would|should|wo|has|have|had|must|need)nt",  # "isnt", "cant"
        r"anything\s+but", r"nowhere\s+near", r"by\s+no\s+means", r"dismiss\w*",
        r"pretend\w*", r"flawed", r"exclude", r"reject", r"eliminate", r"discard",
        r"rule\s+out", r"throw\s+out", r"excluding", r"besides", r"apart\s+from", r"rather\s+than",
        r"instead\s+of", r"unlike", r"no\s+es", r"nunca", r"n'est\s+pas", r"ne\s+\w+\s+pas", r"jamais", r"nicht",
        r"nie", r"kein\w*", r"не", r"нет", r"никогда", r"não", r"non\s+è", r"niet", r"geen",
    )
    + r"|而不是|不是|并非|非|不等于|未必|绝不|不会是|不可能是|ではない|じゃない|ではありません|아니",
    re.IGNORECASE,
)
# After the final box, in its language: "$\boxed{5}$ ではない", "\boxed{5} 이 아니다".
NEGATION_AFTER_RE = re.compile(r"ではない|じゃない|ではありません|아니|不对|不是|并非", re.IGNORECASE)
# Right before the final box: a relation in words ("greater than \boxed{5}", "a lower bound is \boxed{5}").
RELATION_WORDS_RE = re.compile(
    _words(
        r"(?:greater|more|less|fewer|larger|smaller|bigger|higher|lower)\s+than(?:\s+or\s+equal\s+to)?", r"sup[ée]rieure?\s+(?:ou\s+égale?\s+)?à", r"inf[ée]rieure?\s+(?:ou\s+égale?\s+)?à",
        r"exceed(?:s|ing|ed)?", r"or\s+equal\s+to", r"surpass(?:es|ing|ed)?", r"outnumber(?:s|ing|ed)?", r"outstrip(?:s|ping|ped)?", r"contained\s+in", r"(?:a\s+)?subset\s+of", r"included\s+in", r"divisible\s+by", r"(?:a\s+)?multiple\s+of", r"(?:a\s+)?(?:divisor|factor)\s+of",
        r"bounded\s+(?:above\s+|below\s+)?by", r"capped\s+at", r"limited\s+to", r"just\s+(?:under|over|below|above|shy\s+of)",
        r"slightly\s+(?:under|over|below|above|more|less)", r"up\s+to", r"beyond", r"near", r"close\s+by", r"in\s+excess", r"(?:upper|lower)\s+bound(?:\s+(?:is|of))?", r"at\s+(?:least|most)",
        r"no\s+(?:more|less|fewer)\s+than", r"at\s+least\s+as\s+\w+\s+as", r"at\s+(?:a|the(?:\s+very)?)?\s*(?:minimum|maximum)", r"floors?\s+out\s+at", r"tops?\s+out\s+at", r"bottoms?\s+out\s+at", r"in\s+excess\s+of", r"upwards\s+of", r"más\s+de", r"menos\s+de", r"plus\s+de", r"moins\s+de", r"mehr\s+als", r"weniger\s+als", r"strictly\s+(?:below|above|under|over)", r"(?<!shown\s)(?<!given\s)(?<!listed\s)(?<!as\s)(?<!see\s)below",
        r"(?<!shown\s)(?<!given\s)(?<!as\s)(?<!see\s)above", r"within",
        r"between", r"roughly", r"mayor\s+que", r"menor\s+que", r"al\s+menos", r"como\s+máximo",
        r"plus\s+(?:grand|petit)\s+que", r"au\s+(?:moins|plus)", r"größer\s+als", r"kleiner\s+als", r"mindestens",
        r"höchstens", r"больше", r"меньше", r"не\s+(?:менее|более)", r"maior\s+que", r"menor\s+que", r"groter\s+dan",
        r"kleiner\s+dan", r"(?:just\s+|a\s+(?:bit|tad|hair)\s+|slightly\s+)?(?:shy|short)\s+of", r"north\s+of", r"south\s+of", r"in\s+the\s+(?:neighbou?rhood|vicinity|region|ballpark)\s+of", r"on\s+the\s+order\s+of", r"(?:the\s+)?better\s+part\s+of", r"a\s+(?:tad|hair|touch)\s+(?:over|under|below|above|more|less)", r"give\s+or\s+take", r"or\s+so",
    )
    + r"\s*(?:is\s+)?\$?\s*\Z|(?:大于或等于|小于或等于|至少为?|至多为?|最多是?|最少是?|多于|少于|大于|小于|不超过|不少于|不低于|超过|より大きい|より小さい|以上|以下|未満|초과|미만)"
    r"\s*\$?\s*\Z",
    re.IGNORECASE,
)
# Right before the final box, in its clause: a hypothetical or an example, not a claim ("If the answer were").
HYPOTHETICAL_RE = re.compile(
    _words(
        r"if(?!\s+and\s+only\s+if)(?<!only\sif)", r"suppose", r"supposing", r"assume", r"assuming", r"hypothetical\w*", r"imagine", r"what\s+if",
        r"for\s+example", r"e\.g", r"for\s+instance", r"such\s+as", r"example", r"template", r"suponiendo", r"(?<!can\s)(?<!could\s)(?<!we\s)(?<!one\s)say(?!\s+that)", r"let'?s\s+say", r"допустим", r"disons", r"supposons\s+que",
        r"supongamos", r"por\s+ejemplo", r"angenommen", r"(?<!\w\s)falls(?=\s+(?:die|der|das|es|man|wir|x|n)\b)", r"wenn", r"zum\s+Beispiel", r"supposons",
        r"par\s+exemple", r"если", r"предположим", r"например", r"ad\s+esempio", r"stel", r"bijvoorbeeld",
    )
    + r"|如果|假如|假设|倘若|若是|例如|比如|譬如|格式|もし|例えば|仮に|만약|예를\s*들어",
    re.IGNORECASE,
)
# Anywhere in the answer section: the answer disowned, or text aimed at whoever scores it.
DISOWNED_RE = re.compile(
    _words(
        r"(?<!\ba\s)(?<!\ban\s)(?<!each\s)(?<!every\s)(?<!\bone\s)(?<!\d\s)grader(?!s\b)", r"auto-?grader", r"(?:unable|failed)\s+to\s+solve", r"(?:couldn'?t|could\s+not|can'?t|cannot)\s+solve", r"possible\s+answers\s+are", r"accept\s+the\s+(?:boxed|answer|value)", r"candidate\s+answers", r"my\s+candidates", r"in\s+no\s+particular\s+order", r"grading\s+(?:script|system|model)", r"parser", r"evaluator",
        r"reward\s+(?:model|function|signal)", r"mark\s+(?:this|it)\s+(?:as\s+)?correct",
        r"ignore\s+(?:all\s+)?(?:the\s+)?(?:previous|prior|above|preceding)", r"(?:answer|result|value|box(?:ed)?)"
        r"\s+(?:below|above|here)\s+is\s+(?:wrong|incorrect|not\s+(?:correct|right|the\s+answer)|made\s+up|a\s+guess)",
        r"not\s+(?:the\s+|my\s+)?(?:real|actual|true|final)\s+answer",
        r"for\s+(?:formatting|format)\s+(?:only|purposes)", r"no\s+idea", r"I\s+(?:don'?t|do\s+not)\s+know",
        r"random(?:ly)?\s+(?:guess\w*|pick\w*)", r"dummy\s+(?:value|answer)", r"to\s+the\s+(?:judge|grader|marker|examiner)", r"suposici[óo]n(?:\s+al\s+azar)?", r"adivin\w*", r"supposition\s+au\s+hasard", r"geraten", r"arbitrary\s+(?:number|value|answer)", r"eyeball\w*", r"(?:wild|blind|pure)\s+guess\w*", r"placeholder",
        r"made\s+it\s+up", r"(?:just|only)\s+a\s+guess", r"keine\s+Ahnung",
        r"je\s+ne\s+sais\s+pas", r"no\s+sé", r"не\s+знаю",
    )
    + r"|不知道|随便|瞎猜|乱猜|蒙的|わからない|分からない|わかりません|分かりません|모르겠|标准答案|评分器|判分|我猜|猜的|没有?解出来?|随便猜"
    r"|<\|(?:im_start|start_header_id|system|user)\|>|\b(?:answer\s+key|not\s+my\s+(?:own\s+)?(?:result|answer)|format\s+(?:reminder|example)"
    r"|example\s+of\s+(?:the\s+)?(?:required\s+)?format|how\s+you\s+would\s+format)\b",
    re.IGNORECASE,
)
# Anywhere in the answer section: markup that hides what it wraps, and TeX comments that hold a box.
HIDDEN_RE = re.compile(
    r"\\(?:phantom|vphantom|hphantom)\s*\{[^{}]*[0-9A-Za-z\\]|\\(?:sout|cancel|bcancel|xcancel|st)\s*\{\s*\\(?:boxed|fbox)"
    r"|\\(?:iffalse|comment)(?![A-Za-z])"
    r"|\\(?:text)?color\s*(?:\[rgb\]\s*\{\s*1\s*,\s*1\s*,\s*1\s*\}|\{\s*(?:white|transparent|bg|background|none)\s*\})|color\s*:\s*(?:white\w*|snow|ivory|azure|transparent|#[e-f]{3}\b|#(?:[e-f][0-9a-f]){3}\b|rgba?\(\s*2[3-5]\d[\s,]+2[3-5]\d[\s,]+2[3-5]\d|#(?:[e-f][0-9a-f]){4}\b|rgba?\([^)]*,\s*0?\.0*\s*\)|hsla?\([^)]*(?:9[5-9]|100)%\s*\))|\\scalebox\s*\{\s*0?\.0|font-size\s*:\s*0?\.\d|\\(?:framebox|colorbox|fcolorbox|fbox\s*\[)|\\begin\s*\{comment\}|<!--"
    r"|<[A-Za-z][^<>]{0,80}\bhidden\b[^<>]*>|display\s*:\s*none|(?:left|top|right|text-indent|margin-left)\s*:\s*-\d{3,}|clip-path\s*:|visibility\s*:\s*hidden|opacity\s*:\s*0(?![.\d]*[1-9])"
    r"|font-size\s*:\s*0(?![.\d]*[1-9])|(?m:(?:^|(?<!\d)[ \t])%[^\n]*\\(?:boxed|fbox))|<(?:s|del|strike)>"
    r"|>![^\n]{0,200}?!<"  # a spoiler (Reddit's >!..!<): text a reader must click to see
    # every other frame renders a second boxed value the extractor does not read (\bbox, \enclose{box}, \ovalbox,
    # \doublebox, \shadowbox), and a \tag beside a box prints its text ("or 13", "approx.", "?") unless a short label
    r"|\\(?!boxed(?![A-Za-z])|fbox(?![A-Za-z])|mbox(?![A-Za-z])|hbox(?![A-Za-z])|vbox(?![A-Za-z])|box(?![A-Za-z]))[A-Za-z]*box(?![A-Za-z])"
    r"|\\enclose(?![A-Za-z])|\\tag\*?\s*\{(?!\s*[\w*]{1,3}\s*\})"
    # macro definitions change what a box renders as; inline styles can hide, move or strike anything (a list of
    # colours and offsets is never complete): both fail closed
    r"|\\(?:def|gdef|edef|xdef|let|newcommand|renewcommand|providecommand|DeclareRobustCommand|newenvironment"
    r"|renewenvironment|catcode|definecolor|colorlet|pagecolor|mathchardef|chardef)(?![A-Za-z])|\bstyle\s*=|<font\b"
    r"|~~[^~\n]*\\(?:boxed|fbox)[^~]*~~|<details\b|<summary\b|(?m:^\s*\[[^\]\n]*\]:\s*(?:#|<>|\\?/\\?/))|(?m:^[ \t]*\[[^\]\n]*\]:[^\n]*\\(?:boxed|fbox))",
    re.IGNORECASE,
)
# A colour a reader sees on a white page: any other colour (a mix "white!100", a model, a near-white name) is hidden
COLOR_RE = re.compile(r"\\(?:text|b)?color\s*(?:\[[^\]]*\])?\s*\{([^{}]*)\}|\\color\s*(?![{\[])\s*(\w+)", re.IGNORECASE)
VISIBLE_COLORS = {"red", "blue", "black", "green", "darkgreen", "purple", "violet", "orange", "brown", "magenta", "teal",
                  "olive", "darkblue", "darkred", "navy", "maroon", "gray", "grey", "darkgray", "cyan"}
# Between two boxes: the earlier one withdrawn ("Wait, that is wrong"); weaker words ("but") are not enough.
RETRACTION_RE = re.compile(
    _words(
        r"wait", r"actually", r"hmm+", r"no(?=\s*[,:;.!])", r"mistake", r"mistaken", r"wrong", r"incorrect", r"error", r"oops", r"sorry",
        r"correct(?:ed|ion|ing)", r"recheck", r"re-?check", r"reconsider", r"re-?examine", r"scratch\s+that",
        r"disregard", r"ignore\s+that", r"revis\w*", r"(?:first|initially|originally|earlier)\s+(?:I\s+)?"
        r"(?:thought|guessed|got|wrote|said|believed)", r"the\s+correct\s+(?:answer|value|result)", r"espera",
        r"en\s+realidad", r"attendez", r"en\s+fait", r"erreur", r"warte", r"eigentlich", r"Fehler", r"подожди\w*",
        r"на\s+самом\s+деле", r"ошиб\w*",
    )
    + r"|等等|不对|错了|有误|其实|实际上|重新|更正|应该是|待って|実は|間違|잠깐|사실|틀렸",
    re.IGNORECASE,
)
# Right before the final box: it is one of several ("3, 7, or \boxed{5}", "A, B 或 \boxed{C}", "{3, 7, \boxed{5}").
CANDIDATE_BEFORE_RE = re.compile(
    r"[\dA-Za-z}][^\n]*?"
    + _words(r"or", r"oder", r"ou", r"o", r"ó", r"или", r"либо", r"eller", r"lub", r"veya")
    + r"\s*\$?\s*\Z|(?:或者?|还是|または|혹은|또는)\s*\$?\s*\Z"
    r"|(?:(?<![(\d])\d+(?!\))|\b[A-Z]\b(?!\)))\s*[}]?\s*\$?\s*(?:,|，|、|;|；|/)\s*\$?\s*\Z"
    r"|[\dA-Za-z}][^\n]*?\b(?:or|oder|ou|o|или)\s*\$?\s*(?:[A-Za-z]|\\[A-Za-z]+)(?:_\w+)?\s*=\s*\$?\s*\Z",
    re.IGNORECASE,
)
# After the final box, as the last words of an answer: ends of proofs and customary closings (Minerva's "I hope it
# is correct."), and the sentence endings of languages that put the verb last ("です。", "입니다.").
CLOSING_RE = re.compile(
    r"(?:\s*(?:I\s+hope\s+(?:it|this)\s+is\s+correct|hope\s+(?:this|that)\s+helps|Q\.?E\.?D|∎|□|■|\\(?:qed|blacksquare|square|Box)"
    r"|\\hfill|です|である|だ|입니다|이다|이에요|예요|Done|That'?s\s+it|This\s+completes\s+the\s+(?:proof|solution)"
    r"|Good\s+luck(?:\s+on\s+your\s+(?:exam|test))?|Happy\s+(?:studying|learning|solving|calculating)|Feel\s+free\s+to\s+ask(?:\s+(?:if|whether)\s+(?:anything|any\s+(?:step|part)|something|a\s+step|any\s+of\s+(?:this|these\s+steps))\s+(?:is|was|remains|seems)\s+unclear|\s+(?:any\s+)?(?:further\s+|more\s+|other\s+)?questions)?|¡?Espero\s+que\s+te\s+sirva|Let\s+me\s+know\s+if\s+(?:you\s+have\s+any\s+(?:other\s+|more\s+|further\s+)?questions|anything\s+(?:is|was|seems)\s+(?:unclear|confusing))|I\s+hope\s+(?:my|the|this)\s+explanation\s+(?:was|is)\s+(?:clear|helpful)|End\s+of\s+(?:proof|solution)"
    # a chat assistant's offer ("Would you like me to sketch the graph?", "Let me know if you'd like a breakdown!"):
    # no number and no word of doubt or of another answer in it
    r"|Let\s+me\s+know\s+if\s+you(?:'re|\s+are)\s+(?:not\s+sure|unsure)\s+about\s+(?:any|a|this)\s+step"
    # an integer parameter's domain after a general solution ("$n \\in \\mathbb{Z}$", "where k is an integer")
    r"|,?\s*(?:where|for|with)?\s*\$*\s*[knm]\s*\\in\s*\\mathbb\s*\{?\s*Z\s*\}?\s*\$*"
    r"|,?\s*(?:where|for)\s+\$*[knm]\$*\s+(?:is\s+)?(?:an?\s+)?(?:any\s+)?integers?"
    r"|feel\s+free\s+to\s+ask\s+about\s+(?:any\s+)?(?:step|part|case)s?(?:\s+\d+)?"
    r"|(?:Would\s+you\s+like|Do\s+you\s+want|Want\s+me\s+to|If\s+you(?:'d|\s+would)\s+like|Let\s+me\s+know\s+if"
    r"|Shall\s+I|I\s+can\s+also|Happy\s+to\s+help)(?:(?!\b(?:not|no|wrong|unsure|sure|certain|doubt\w*|mistakes?"
    r"|errors?|incorrect|might|maybe|perhaps|guess\w*|instead|alternatives?|hmm|(?:an)?other\s+(?:answer|value|result|number|candidate|possibility)"
    r"|different\s+(?:answer|value|result|number)|redo|recheck|re-?check|re-?count|carefully|closer|settle|skimmed|loose\w*"
    r"|messy|overlap\w*|though|although|since|because|but|however|rough\w*|confirm\w*|fix|correct\w*)\b)"
    r"(?:[^\d\n?.!$]|(?<=the )\d+(?= (?:cases?|regions?|steps?|parts?|methods?|ways?)\b)|(?<=step )\d+|(?<=part )\d+)){0,150}"
    r"[?.!]?|[😊🙂😀😃😄😁👍🎉✨])"
    r"\s*[.!。！]?)+\s*",
    re.IGNORECASE,
)
CONCLUSION_RE = re.compile(
    r"\b(?:so|hence|thus|therefore|then|gives?|giving|yields?|implies|means|becomes|conclude\w*|final|answer\s+is"
    r"|result\w*|substitut\w*|plug\w*|simplif\w*)\b|\\(?:implies|therefore|Rightarrow|to)\b|=>|\\Longrightarrow"
    r"|所以|因此|故|于是|答案是|最终答案|代入|化简",
    re.IGNORECASE,
)
PART_RE = re.compile(r"\((?:[a-h]|i{1,3}|iv|vi?)\)|\bpart\b|\b(?:first|second|third|fourth)\b", re.IGNORECASE)
# After the final box: any doubt, withdrawal or second candidate means the box is not a committed answer.
DOUBT_AFTER_RE = re.compile(
    HEDGE_RE.pattern + r"|\b(?:wait|actually|wrong|incorrect|mistake\w*|oops|hmm|reconsider|on\s+reflection"
    r"|should\s+be|isn't|cannot|can't|is\s+not|not\s+the\s+answer|not\s+correct)\b|\bor\s+\$?\s*[-+]?\\?\d"
    r"|\bor\s+\$?\s*\(?[A-J]\b|<think>|等等|不对|错了|有误|其实|应该是|\balso\s+possible\b|\bis\s+possible\b",
    re.IGNORECASE,
)
DISJUNCTION_RE = re.compile(r"\bor\b|\botherwise\b|\balternatively\b|\bfailing\s+that\b|\belse\b|或|否则", re.IGNORECASE)  # between boxes: alternatives, unless roots of one variable
# After the final box only trivial text may stand (closing markup and punctuation), or a plain remark that the
# answer was checked; anything else (a second candidate, doubt, a retraction in any language, a question mark,
# hidden markup, another box macro) means the box is not a committed answer: a whitelist, so unknown words fail.
TRIVIAL_AFTER_RE = re.compile(
    r"(?:\s|\\(?:tag|label)\*?\{[^{}\s]{0,20}\}|\\nonumber|\\notag|<\|[a-z_]+\|>|\[\^\d+\]|-{3,}|={3,}|\\end\{[A-Za-z]+\*?\}|\\(?:quad|qquad|[,;])|\$|\\\]|\\\)|\*|</?(?:b|strong|em|i|p|br|div|span|answer|think|final)>|[✅✔✓🎉|]|[.,;:!。！，、)\]}])*"
)
VERIFIED_RE = re.compile(
    r"\b(?:check(?:ed|s)?|verif(?:y|ied|ies)|works|satisf(?:y|ies)|confirm(?:s|ed)?|consistent"
    r"|as\s+(?:required|claimed|desired|expected|computed|shown|stated))\b|验证|无误|符合",
    re.IGNORECASE,
)
UNSETTLING_RE = re.compile(
    r"\d|\?|\b(?:not?|never|but|though|although|however|wrong|incorrect|fail\w*|doubt\w*|or|unless|if|except"
    r"|zero|one|two|three|four|five|six|seven|eight|nine|ten)\b|n't|不|错|没|但|吗|？",
    re.IGNORECASE,
)
# The sentence of a box names it the answer ("So the answer is", "Final answer:", "答案是", "la respuesta es")
ANSWER_MARK_RE = re.compile(
    r"\banswer\b|\bfinal\s+result\b|答案|答え|정답|\br[ée]ponse\b|\brespuesta\b|\bresposta\b|\bAntwort\b|\bответ"
    r"|\brisposta\b|\bantwoord\b",
    re.IGNORECASE,
)
# Words that make a sentence after the box an alternative, a relation or a doubt ("is one option", "is a bound")
TAIL_DENY_RE = re.compile(
    r"\b(?:alternatively|candidate|option|(?<!largest\s)(?<!smallest\s)(?<!greatest\s)(?<!least\s)(?<!indeed\s)(?<!minimum\s)(?<!maximum\s)(?<!fewest\s)(?<!highest\s)(?<!lowest\s)possib\w*|among|choice"
    r"|alternative|example|hypothe\w*|bound|(?<!the\s)least|(?<!the\s)most|greater|less|"
    r"more|fewer|approximate\w*|about|roughly|estimate\w*|guess\w*|close|near\w*|false|wrong|other)\b",
    re.IGNORECASE,
)
# After the box, the box named a function of the answer rather than the answer ("is a multiple of the answer",
# "is the sum of the digits of", "is the average of both solutions")
RELATIONAL_AFTER_RE = re.compile(
    r"\b(?:multiple|divisor|factor|sum|average|mean|product|difference|quotient|half|double|twice|square|cube|root"
    r"|digits?|number\s+of\s+digits|reciprocal|inverse|negative|opposite|remainder|part|fraction|percent\w*|power"
    r"|logarithm|log|exponent|bound|estimate|approximation|component|coordinate)\s+of\s+(?:the\s+(?:answer|result|value|solution|"
    r"final|true|correct|real|actual)|it\b|this\b|that\b|our\b|my\b|both\s+(?:solutions|answers|roots|values))"
    r"|\bof\s+(?:the|an?|our|my|both|each|all)\s+(?:answers?|solutions?|results?|values?|roots?)\b",
    re.IGNORECASE,
)
# In the sentence of the final box: it is disowned, rejected or a question ("Crossed out (incorrect):", "Is the
# answer", "we would get", "ruled out", "far from")
SENTENCE_DENY_RE = re.compile(
    r"\(\s*or\b|错的|是错|\b(?:incorrect[ao]?|err[óo]ne[ao]|falsch|faux|fausse|неправильн\w*|неверн\w*"
    r"|(?:is|was|are|be)\s+(?:wrong|incorrect|false|invalid)|rejected|crossed\s+out|don'?t\s+trust|untrust\w*"
    r"|previous(?:ly)?\s+(?:answer|value|result)|discarded|ruled\s+out|far\s+from|speculat\w*|stab|hypothes\w*"
    r"|test(?:ing)?\s+the|had\s+we|we\s+would|would\s+(?:get|have|be)\s+(?:if|had)"
    r"|answer\s+key|(?:it'?s|is)\s+one\s+of|not\s+my\s+(?:own\s+)?(?:result|answer))\b|^\s*(?:is|are|could|would|should|can|does|do)\b",
    re.IGNORECASE,
)
STRUCK_BEFORE_RE = re.compile(r"(?:<s>|<del>|<strike>|~~)\s*\$*\s*\Z")
REMARK_WORDS = {"i", "it", "this", "that", "the", "answer", "result", "value", "by", "substituting", "substitution",
                "back", "plugging", "in", "into", "and", "works", "holds", "all", "conditions", "condition", "equation",
                "equations", "original", "is", "was", "have", "has", "been", "double", "twice", "directly", "indeed",
                "problem", "constraints", "✅", "✓", "✔", "🎉"}  # fmt: skip
# An approximation right before the box ("about $\boxed{5}$", "约 5"): prose elsewhere may say "think about"
NEAR_RE = re.compile(
    r"\b(?:something\s+like|in\s+the\s+region\s+of|approximately|approx\.?|roughly|around|about(?!\s+the\s+(?:origin|axis|line|point|center|centre))"
    r"|nearly|almost(?!\s+(?:surely|everywhere|always))|circa|ca\.|close\s+to|in\s+the\s+(?:neighbou?rhood|vicinity)"
    r"\s+of|ballpark|(?:on|in)\s+the\s+order\s+of|more\s+or\s+less|nigh(?:\s+on)?|getting\s+on\s+for|within\s+(?:a|an)\s+\w+\s+of|alrededor\s+de|à\s+peu\s+près|rund|приблизительно|aproximadamente|environ|etwa|ungefähr|примерно|около|ongeveer|unos|unas|casi|cerca\s+de|presque|quasiment|knapp|fast|zirka|почти|порядка|где-то|где\s+то|quasi|grosso\s+modo|all'incirca|quase|por\s+volta\s+de|bijna|zo'n|prawie|około|mniej\s+więcej|nästan|omkring|cirka|næsten|noin|lähes|hampir|sekitar|over|under|beneath|a\s+(?:bit|little|tad|touch|hair)\s+(?:over|under|above|below|more|less)|marginally\s+\w+|slightly\s+\w+|just\s+(?:over|under|about)|call\s+it|in\s+the\s+(?:low|mid|high|upper|lower)\s+\w+)\b(?:\s+(?:is|equals|to|of|at|be|"
    r"value|answer|result|number))*\s*[:=]?\s*\$?\s*\Z|~\s*\$?\s*\Z|(?:约(?![分数])|大约|左右|接近|将近|近似|差不多|约莫|ほぼ|約(?!数|分)|약(?!수)|대략|대충|거의|およそ|ざっと)"
    r"[^.!?。]{0,6}\Z|(?:大于等于|小于等于|大于或等于|小于或等于|不少于|不多于|不超过|不低于|顶多|最多|至多|最少|至少|最起码|起码|少说|多则|少则)[^.!?。]{0,6}\Z",
    re.IGNORECASE,
)
# A relation other than "=" right before the box: "x \neq \boxed{5}", "x > \boxed{5}", "not equal to \boxed{5}"
RELATION_BEFORE_RE = re.compile(
    r"(?:~=|!=|=/=|/=|<>|\\stackrel\s*\{[^{}]*\}\s*\{?\s*=\s*\}?|\\overset\s*\{[^{}]*\}\s*\{?\s*=\s*\}?|\\simeq|\\cong|\\ne(?:q)?"
    r"|\\[lg]e(?:q|qslant)?|\\approx|\\sim|<(?![A-Za-z/])|(?<![A-Za-z])>|≠|≤|≥|≈|\bnot\s+equal\s+to|\b(?:approximately|roughly|nearly)\s+equal\s+to"
    r"|\bat\s+(?:least|most))"
    r"\s*\$?\s*\Z",
    re.IGNORECASE,
)
# an arrow or sign that points from a label to its value ("Answer -> 13", "Net result → 13", "Answer ≡ 13")
ANSWER_ARROW = r"->|-->|→|⟶|⇒|=>|⟹|≡"
ANSWER_LINE_RE = re.compile(
    r"(?:\b(?:final\s+)?(?:answer|final\s+result)(?:\s+[A-Z]|\s*\([^()\n]{0,20}\))?\s*(?:(?:should|must|would|will|might|could|may)\s+be\s*:?|is\s*:?|equals|:|：|=|\||—|–|"
    + ANSWER_ARROW
    + r")|\b(?:antwort|ergebnis|resultat|ответ|итог|результат|respuesta|resultado|réponse|résultat|risposta|risultato"
    r"|resposta|antwoord|uitkomst|odpowiedź|wynik|cevap|sonuç|outcome|(?:net\s+|end\s+)?result|jawaban|hasil|đáp\s+án"
    r"|kết\s+quả)\s*(?:[:：=]|" + ANSWER_ARROW + r")|\bresposta\s+(?:correcta\s+|final\s+)?és|(?:答え|정답|답|결과|結果|结果|答)\s*[:：]|答案\s*(?:是|为|:|：)"
    r"|\b(?:asks?\s+for|asked\s+for|requested\s+quantity)[^.;\n]{0,40}?(?:\bis|\bequals|=)"
    r"|^\s*#+\s*(?:final\s+)?answer\s*\n[^\n]{0,80}?(?:\bis|=)|^[ \t]*#{4}(?=[ \t]*[-+$\d]))\s*\**\s*"
    r"(\$[^$\n]{1,60}\$|\\\[[^\n]{1,60}?\\\]|\\\([^\n]{1,60}?\\\)|[-+]?\d[\d.,/]*|\(?[A-Ea-e]\)?(?![\w$\\]))",
    re.IGNORECASE | re.MULTILINE,
)
# The words a sentence may go on with after the box ("There are $\\boxed{5}$ ways to do this."): a whitelist, so
# that "yet I remain unconvinced" and every other word not known to be harmless fail
CONTINUATION_WORDS = {"a", "an", "are", "is", "the", "answer", "ways", "way", "to", "do", "which", "smallest", "indeed",
                      "intersection", "point", "points", "exactly", "precisely", "unique", "only", "correct", "possible",
                      "largest", "such", "value", "values", "different", "distinct", "arrangements", "satisfies",
                      "satisfy", "both", "conditions", "condition", "number", "solutions", "solution", "required",
                      "desired", "total", "final", "minimum", "maximum", "n", "we", "get", "found", "as", "computed",
                      "for", "units", "this", "these", "there", "our", "given", "asked", "probability",
                      "of", "in", "all", "needed", "result", "least", "greatest", "highest", "lowest", "common",
                      "divisor", "multiple", "integer", "integers", "positive", "prime", "real", "whole",
                      "natural", "area", "perimeter", "volume", "length", "sum", "product", "radius", "measure",
                      "remainder", "count", "amount", "cost", "price", "distance", "speed", "age", "height", "width",
                      "digit", "digits", "term", "terms", "side", "angle", "degree", "degrees", "root", "factor",
                      "expected", "mean", "median", "mode", "average", "determinant", "limit", "slope", "intercept",
                      "made", "formed", "chosen", "arranged", "selected",
                      "one", "sought"}  # fmt: skip
# "$m = 8$ is the answer to the question": a value named the answer before the words that say so
ANSWER_BEFORE_RE = re.compile(
    r"(\$[^$\n]{1,40}\$|(?<![\d.,/])[-+]?\d[\d.,/]{0,40})\s+is\s+(?:the|my)\s+(?:final\s+|correct\s+|right\s+)?answer\b", re.I
)
# the variable the text says it is after ("We need to find $x$.", "Solve for $n$:", "We want $r$, the radius"): a
# labelled box of that variable is an answer, not a step, and a box labelled with another is not the answer
ASKED_RE = re.compile(
    r"\b(?:asks?\s+for|asked\s+(?:for|to\s+find)|we\s+(?:need|want|seek)|solve\s+for|find|determine|compute|calculate)"
    r"\s+(?:the\s+value\s+of\s+)?\$\s*([A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?)\s*\$",
    re.I,
)
TASK_RE = re.compile(
    r"\b(?:compute|evaluate|simplify|find|express|calculate|determine|need|what\s+is|what's|want(?:\s+the\s+value\s+of)?"
    r"|asks?\s+for|the\s+value\s+of)\s+\$?\s*",
    re.I,
)
PLAIN_REMARK_RE = re.compile(
    r"[,;]?\s*(?:[^\W\d_][\w'-]*|\$[A-Za-z]\$)(?:,?\s+(?:[^\W\d_][\w'-]*|\$[A-Za-z]\$))*\s*[.!]?"
)
# The sentence of a box opens as a supposition or an example ("Допустим, ...", "Por exemplo, ...", "假定...")
SUPPOSITION_START_RE = re.compile(
    r"^\s*(?:假定|假设|假如)|^\s*(?:допустим|предположим|por\s+exemplo|por\s+ejemplo|beispielsweise|zum\s+Beispiel|for\s+example"
    r"|for\s+instance|e\.g\.|suppose|let'?s\s+say|say|par\s+exemple|ad\s+esempio|bijvoorbeeld|were\s+the|had\s+the"
    r"|under\s+(?:the|an?)\s+(?:alternative|other|different)|should\s+\w+(?:\s+\w+)?\s+(?:matter|be|hold|count|apply)|provided|providing"
    r"|granted|given\s+that|assuming|as\s+long\s+as|so\s+long\s+as|unless|in\s+the\s+event\s+that|on\s+(?:the\s+)?condition\s+that|only\s+if|on\s+(?:the|a)\s+reading|under\s+(?:the|a)\s+reading|if|in\s+case)\b",
    re.IGNORECASE,
)
# fmt: on
# A negated verb in the box's clause ("the pair that does not satisfy the system is"), and what makes it the
# subject's ("the number of integers that are not divisible by 3 is")
COUNTED_BEFORE_RE = re.compile(
    r"\b(?:number|count|amount|total|how\s+many|probability|fraction|percentage|proportion)\b", re.I
)
NEGATED_VERB_RE = re.compile(
    r"\b(?:(?:does|do|did|is|are|was|were|could|will|would|should|has|have)(?:n'?t|\s+not)|can(?:'?t|not|\s+not)|won'?t)\b",
    re.I,
)

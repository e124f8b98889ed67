"""Figures, typed: what a number in a sentence measures.

articles.pipeline.sentences finds figures as written ("145%", "$1.2 billion", "12 million tonnes");
this step says what each one is. A tariff rate gets its basis (an additional duty, a total
or average rate, a "reciprocal", fentanyl-linked or first-term Section 301 duty), who
imposes it on whom ("US" or "China") and whether the sentence has it threatened, in force,
cut or called off. A trade value gets its currency, a quantity its unit, and both the goods
they count. What the sentence does not say stays None.

Pure: a sentence in, figures out. The rules are data (the tables below); the functions
only read a figure's clause first and its whole sentence second.

>>> [f.status for f in typed_figures(
...     "The 20 per cent fentanyl duty was halved to 10 per cent in November.")]
['cut', 'in_force']
>>> typed_figures("Trump threatened 100% tariffs from November 1.")[0].as_dict()
{'text': '100%', 'value': 100, 'unit': '%', 'basis': 'additional', 'imposed_by': 'US', \
'imposed_on': None, 'status': 'threatened'}
"""

import re
from dataclasses import asdict, dataclass, replace
from decimal import Decimal

from .casefold import for_lowered, lowered
from .sentences import signals

# --- Rules as data --------------------------------------------------------------------

# Who is who: names, places and people that stand for one side.
ACTORS: dict[str, tuple[str, ...]] = {
    "US": (
        r"U\.S\.(?:A\.)?",
        r"US",
        r"USA",
        r"United States",
        r"America(?:n|ns)?",
        r"Washington(?:'s|’s)?",
        r"White House",
        r"Trump(?: administration)?",
        r"Bessent",
        r"Greer",
        r"Lutnick",
        r"USTR",
        r"administration",
    ),
    "China": (
        r"China",
        r"Chinese",
        r"Beijing",
        r"Xi(?: Jinping)?",
        r"PRC",
        r"He Lifeng",
        r"Li Chenggang",
        r"MOFCOM",
        r"Ministry of Commerce|Commerce Ministry",
    ),
}
# A side named right before these is the side whose goods bear the duty ("Chinese goods",
# "US exports"), not the side that imposes it.
GOODS_NOUNS = (
    r"goods|imports|exports|exporters|importers|producers|manufacturers|products|vessels|ships|shipments|companies|firms|steel|cars|"
    r"vehicles|chips|semiconductors|soybeans|farm goods|agricultural products"
)
# What a value or a quantity counts: "12 million tonnes of soybeans".
GOODS = (
    "soybeans",
    "soybean",
    "corn",
    "wheat",
    "sorghum",
    "pork",
    "beef",
    "poultry",
    "rare earths",
    "rare-earth magnets",
    "rare earth magnets",
    "magnets",
    "chips",
    "semiconductors",
    "crude oil",
    "oil",
    "LNG",
    "liquefied natural gas",
    "natural gas",
    "coal",
    "aircraft",
    "goods",
    "imports",
    "exports",
    "products",
    "trade",
)
# Words that make a percentage a duty rate.
TARIFF_NOUNS = re.compile(r"\b(?:tariffs?|dut(?:y|ies)|levy|levies)\b", re.IGNORECASE)

# The basis of a duty rate, most specific first. A cue in the figure's own clause wins over
# one elsewhere in the sentence.
BASIS_CUES: tuple[tuple[str, str], ...] = (
    ("fentanyl", r"fentanyl"),
    ("section_301", r"section 301|first[- ]term|first trump administration|2018 trade war"),
    ("reciprocal", r"reciprocal|liberation day"),
    ("average", r"\baverage|\baveraging\b"),
    ("total", r"\b(?:total|overall|combined|cumulative|all told|in all|effective)\b"),
    (
        "additional",
        r"\b(?:additional|extra|further|another(?!\s+(?:year|month|week|day|round)s?\b)"
        r"|on top of|new)\b",
    ),
)
# A rate that something is brought to is a level, a total: "bringing U.S. tariffs down to
# about 55%", "raised tariffs to 145%", "tariffs now stand at 30%".
# Not a rise to a rate: "pushed US tariffs to 145%" gives a peak, and the April peaks were
# additional duties, not totals; the text says which when it knows.
LEVEL_VERB = re.compile(r"\b(?:bring|brings|bringing|brought|stands?|stood)\b", re.IGNORECASE)
LEVEL_END = re.compile(
    r"\b(?:to|at)(?: about| around| roughly| nearly| some| almost| just)?\s*$", re.IGNORECASE
)
# A rate that is imposed, threatened or hit with is a new duty: added to what stands.
IMPOSING = re.compile(
    r"\b(?:impos(?:e|es|ed|ing)|hit|hits|slap(?:s|ped)?|to levy|levied|threat(?:en|ens|ened)?|"
    r"respond(?:ed|s)? with|retaliat(?:e|ed|ion)|counter(?:ed)?)\b",
    re.IGNORECASE,
)
# Duties whose sides the name says: the fentanyl and Section 301 duties are America's on China.
BASIS_SIDES = {"fentanyl": ("US", "China"), "section_301": ("US", "China")}
# The "reciprocal" tariffs are America's, on many countries: the side they fall on is the
# sentence's to say.
BASIS_IMPOSER = {"reciprocal": "US"}

# Status cues. "cancelled" is a threat withdrawn (the timeline's "called off").
CANCELLED = re.compile(
    r"\boff the table\b|\bcall(?:ed|s)? off\b|\b(?:would|will|won't|did) not (?:impose|go ahead)"
    r"|\b(?:will|would|did|won't) not (?:take effect|be imposed|come into (?:force|effect))"
    r"|\bwon't (?:impose|go ahead|take effect|be imposed)"
    r"|\bremov(?:e|ed|es|ing) the (?:immediate )?threat\b"
    r"|\bdropped(?!\s+(?:to|by|from)\b)"  # "dropped its threat", not "dropped to 10%"
    r"|\b(?:averted|withdrew|shelved|scrapped|abandoned|backed (?:off|down)|"
    r"no longer (?:planned|go ahead))\b",
    re.IGNORECASE,
)
CUT = re.compile(
    r"\b(?:cut|cuts|cutting|halv(?:e|ed|es|ing)|reduc(?:e|ed|es|ing|tion)|lower(?:ed|s|ing)?|"
    r"slash(?:ed|es|ing)?|trim(?:med|s)?|roll(?:ed)? back|eas(?:e|ed|ing)|"
    r"remov(?:e|ed|es|ing|al)|lift(?:ed|s|ing)?|scrap(?:ped|s)?|suspend(?:ed|s|ing)?|"
    r"drop(?:ped|s)?|(?:bring|brings|bringing|brought) (?:\S+ ){0,3}down|down from)\b",
    re.IGNORECASE,
)
THREATENED = re.compile(
    r"\b(?:threat(?:en|ens|ened|ening)?|vow(?:ed|s)?|warn(?:ed|s)?|pledg(?:e|ed)|"
    r"would impose|will impose|plans? to|planned|propos(?:e|ed|al)|set for|slated|looming|"
    r"(?:starting|beginning|from) (?:on )?(?:November|December|January|February|March|"
    r"next|Nov\.?|Dec\.?)|could face|would face|will face|to impose|"
    r"(?:would|will|to) take effect)\b",
    re.IGNORECASE,
)
IN_FORCE = re.compile(
    r"\b(?:imposed|levied|hit|slapped|in place|in effect|in force|took effect|"
    r"came into (?:force|effect)|went into effect|kicked in|pay(?:s|ing)?|current(?:ly)?|"
    r"existing|still|remain(?:s|ed)?|responded with|retaliated with|charg(?:es|ed|ing)|"
    r"appl(?:y|ies|ied|ying)|stands? at|now|raised|face[sd]?|facing|had|has|have|"
    r"keep(?:s|ing)?|kept|maintain(?:s|ed|ing)?|soar(?:ed|ing)?|spiral(?:l?ed|l?ing)|"
    r"climb(?:ed|ing)?|reached|pushed|took)\b",
    re.IGNORECASE,
)
# What keeps a cut from having happened: a wish, a demand, a possibility.
HEDGES = re.compile(
    r"\b(?:could|can|(?-i:may)|might|would|should|if|unless|whether|wants?|wanted|hopes?|seeks?|"
    r"sought|pushed for|pushing for|push for|calls? for|called for|demand(?:s|ed)?|urg(?:e|ed|es)|"
    r"asked|ask|consider(?:s|ed|ing)?|weigh(?:s|ed|ing)?|likely|expected)\b",
    re.IGNORECASE,
)
# Nor has a cut still to come, or one on a condition.
FUTURE = re.compile(
    r"\b(?:will|shall|going to(?=\s+(?!the\b|[A-Z])[a-z]+)|set to|due to)\b|\b(?:if|unless)\b",
    re.IGNORECASE,
)  # "going to impose", not "goods going to China"
# The figure is where a cut ends ("halved to 10 per cent", "down to about 55%"), or how
# much it takes off ("by 10 percentage points").
CUT_TARGET = re.compile(
    r"\bto(?: about| around| roughly| nearly| some| just| almost| only)?\s*$", re.IGNORECASE
)
# A suspension that runs on is a cut in place, whatever the tense: "will remain suspended",
# "suspend the remaining 24% for another year".
SUSPENDED = re.compile(
    r"\b(?:remain(?:s|ed)?|stay(?:s|ed)?) suspended\b"
    r"|\bsuspend(?:s|ed|ing)?\b[^;]{0,60}?\bfor (?:a|one|another) year\b",
    re.IGNORECASE,
)
# A rise between a cut and its figure makes the figure the level that was cut: "cut tariffs
# that had climbed to 145 per cent".
RISE = re.compile(
    r"\b(?:climb(?:ed)?|soar(?:ed)?|rose|risen|reach(?:ed)?|rais(?:e|ed)|push(?:ed)?|"
    r"spiral(?:l?ed)?)\b",
    re.IGNORECASE,
)
# A market's move is no duty rate: "sent the S&P 500 down 2.7 per cent".
MOVE_BEFORE = re.compile(
    r"\b(?:down|up|fell|fall|rose|rise|slipped|slid|gained|gain|dropped|jumped|climbed|lost|"
    r"sank|plunged|tumbled|surged|rallied|(?:gain|fall|drop|rise|decline|loss) of)"
    r"(?:\s+by)?(?:\s+(?:about|around|roughly|nearly|some|almost))?\s*$",
    re.IGNORECASE,
)
# A clause with no subject of its own shares the one before: ", suspending an additional
# 24 per cent levy", "and suspend the 24 per cent portion".
SUBJECTLESS = re.compile(
    r"\s*(?:and\s+|while\s+)?(?!(?:the|a|an|its|their|his|her|this|that|these|those|it|they"
    r"|he|she|we)\b)[a-z]+\b"
)
CONDITION = re.compile(r"\b(?:if|unless)\b", re.IGNORECASE)
CUT_BY = re.compile(r"\bby(?: about| around| roughly| some| nearly)?\s*$", re.IGNORECASE)
# What ends a clause: a stop, a dash, a bracket, ", ", " - ", or one of these words, whole.
# Read as `[;—–()]|, | - |\b(?:and|but|…)\b`, but each alternative opens with its own
# character (the `\b` before a word is the lookbehind after it), so the regex engine skips
# ahead to where one can start instead of trying each at every character: a third of the
# steps. (tests/articles/test_figures.py compares the two.)
CLAUSE_WORDS = ("and", "but", "while", "whereas", "when", "after", "although", "though")
CLAUSE_BREAK = re.compile(
    "|".join(
        (";", "—", "–", r"\(", r"\)", ", ", " - ", *(rf"{w}(?<!\w{w})\b" for w in CLAUSE_WORDS))
    )
)

UNITS: tuple[tuple[str, str], ...] = (
    (r"percentage points?", "percentage points"),
    (r"%|percent|per cent", "%"),
    (r"°\s?C", "°C"),
    (r"°\s?F", "°F"),
    (r"metric tons?|tonnes?", "tonnes"),
    (r"tons?", "tons"),
    (r"barrels?", "barrels"),
    (r"bushels?", "bushels"),
    (r"kilograms?|kg", "kg"),
    (r"pounds|lbs", "pounds"),
    (r"ounces", "ounces"),
    (r"gallons", "gallons"),
    (r"litres|liters", "litres"),
    (r"US\$|USD|(?:US )?dollars", "USD"),
    (r"HK\$", "HKD"),
    (r"S\$", "SGD"),
    (r"A\$", "AUD"),
    (r"C\$", "CAD"),
    (r"\$", "USD"),
    (r"€|euros", "EUR"),
    (r"£", "GBP"),
    (r"RMB|CNY|yuan|renminbi", "CNY"),
    (r"yen", "JPY"),
    (r"ringgit", "MYR"),
)
SCALES = {
    "trillion": 10**12,
    "tn": 10**12,
    "billion": 10**9,
    "bn": 10**9,
    "million": 10**6,
    "mn": 10**6,
    "thousand": 10**3,
}

# --- Compiled ---------------------------------------------------------------------------

# One guard for all the names (a word's start, a capital or "administration"), so most
# places in a sentence are passed over at once rather than tried name by name.
_GUARD = r"(?<![\w.])(?=[A-Z]|administration)"
_ANY_ACTOR = _GUARD + "(?:" + "|".join(n for names in ACTORS.values() for n in names) + r")(?!\w)"
_ACTOR_RX = re.compile(
    _GUARD
    + "(?:"
    + "|".join(rf"(?P<{side}>{'|'.join(names)})" for side, names in ACTORS.items())
    + r")(?!\w)"
)
# A side that bears the duty: "on Chinese goods", "Chinese imports", "hit Beijing with".
# "on", "against" and "hit" are whole words: the `\b` before each is the lookbehind after
# it, so the regex engine tells at once by a character that none starts at a place
# (two-fifths fewer steps; tests/articles/test_figures.py compares it with `\b` first).
_TARGET_RX = re.compile(
    r"(?:on(?<!\won)|against(?<!\wagainst))\s+"
    r"(?:a\s+(?:wide|broad)\s+range\s+of\s+|all\s+|most\s+|the\s+)?"
    rf"(?P<on>{_ANY_ACTOR})"
    rf"|(?P<goods>{_ANY_ACTOR})\s+(?:{GOODS_NOUNS})\b"
    rf"|hit(?<!\whit)\s+(?P<hit>{_ANY_ACTOR})"
)
_REACH = 300  # characters either side of a figure that may say what it is
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_RANGE = re.compile(r"\d\s?[-–]\s?\d")
_SCALE = re.compile(r"(?<![A-Za-z])(trillion|billion|million|thousand|bn|mn|tn)\b")
_UNIT_RX = tuple((re.compile(rf"(?:{words})(?![A-Za-z])"), unit) for words, unit in UNITS)
_BASIS_RX = tuple((basis, re.compile(words, re.IGNORECASE)) for basis, words in BASIS_CUES)
_GOODS_AFTER = re.compile(
    r"\s*(?:worth\s+)?of\s+(?:(?:US|U\.S\.|American|Chinese)\s+)?(?P<goods>"
    + "|".join(re.escape(g) for g in GOODS)
    + r")\b",
    re.IGNORECASE,
)
_OTHER_MEASURE = re.compile(
    r"\s*(?:of|in|rise|fall|drop|increase|decrease|growth|jump|gain|decline)\b"
)
# The case-insensitive cues that a rate's basis and status are read with, each made
# case-sensitive to run over the lowered words where they read alike
# (articles.pipeline.casefold): there it costs half as many steps or fewer. Kept by the
# pattern's text, whose hash a string keeps: a compiled pattern hashes its code afresh at
# each lookup.
_LOWERED = {
    rx.pattern: for_lowered(rx)
    for rx in (*(rx for _, rx in _BASIS_RX), IMPOSING, SUSPENDED, CANCELLED, CUT, RISE, IN_FORCE)
}


def _search(rx: re.Pattern, text: str, low: str | None, *span: int) -> re.Match | None:
    """rx.search(text, *span), read in `low` (lowered(text)) when it reads alike there: the
    match is at the same offsets, only its words come out in lower case."""
    if low is None:
        return rx.search(text, *span)
    return _LOWERED[rx.pattern].search(low, *span)


@dataclass(frozen=True)
class Figure:
    """One figure of a sentence, typed. None where the sentence does not say."""

    text: str  # as written: "145%", "$1.2 billion", "12 million tonnes"
    value: int | float | None  # the number, scaled: "$1.2 billion" is 1200000000; a range, None
    unit: str | None  # "%", "percentage points", "USD", "CNY", "tonnes", "°C"…
    # A duty rate's kind ("additional", "total", "average", "reciprocal", "fentanyl",
    # "section_301"), or the goods a value or a quantity counts ("soybeans").
    basis: str | None
    imposed_by: str | None  # a duty rate's sides: "US" or "China"
    imposed_on: str | None
    status: str | None  # a duty rate's: "threatened", "in_force", "cut" or "cancelled"

    def as_dict(self) -> dict:
        """The stored and published shape (Claim.figures, `ingest --json`)."""
        return asdict(self)


def typed_figures(sentence: str, found: tuple[str, ...] | None = None) -> tuple[Figure, ...]:
    """Each figure of the sentence, typed, in order. `found` is what articles.pipeline.sentences
    found (the figures as written); found afresh when not given.

    >>> [(f.text, f.basis, f.imposed_by, f.imposed_on, f.status) for f in typed_figures(
    ...     "In April the White House hit Beijing with 145% tariffs and China responded "
    ...     "with 125% levies on US exports.")]  # doctest: +NORMALIZE_WHITESPACE
    [('145%', 'additional', 'US', 'China', 'in_force'),
     ('125%', 'additional', 'China', 'US', 'in_force')]
    >>> f = typed_figures("China bought 12 million tonnes of soybeans.")[0]
    >>> f.value, f.unit, f.basis, f.status
    (12000000, 'tonnes', 'soybeans', None)
    """
    if found is None:
        found = signals(sentence).figures
    if not found:
        return ()  # most sentences give no figure
    typed, cursor = [], 0
    for text in found:
        start = sentence.find(text, cursor)
        if start < 0:  # not where the finder said: typed from its own words alone
            typed.append((*_typed(text, text, 0), None))
            continue
        previous, cursor = cursor, start + len(text)
        # Only the words around a figure are read, so a run-on "sentence" of a thousand
        # figures costs a thousand small reads, not a thousand reads of all of it.
        lo = max(0, start - _REACH)
        window = sentence[lo : cursor + _REACH]
        typed.append((*_typed(text, window, start - lo, max(0, previous - lo)), (start, cursor)))
    return tuple(_coordinated(typed, sentence))


# Two rates joined with nothing between them but "and", "or", "to" or a comma.
_COORDINATION = re.compile(r"\s*(?:,\s*)?(?:(?P<joint>and|or|,)|to)\s*(?:the\s+)?")
# A rate and the level it replaced: "to 47% from 57%", "to about 47%, down from 57%".
_FROM = re.compile(r"\s*(?:,\s*)?(?:down\s+|up\s+)?from\s+(?:the\s+)?")


def _coordinated(typed: list, sentence: str) -> list[Figure]:
    """Rates written as one ("7.5% to 25%", "down to 30% and 10%") share what only one of
    them says: the basis, and with it the sides the basis names. A pair that follows two
    rates whose sides differ takes those sides in order: "145% on Chinese goods … and 125%
    on American goods … brought them down to 30% and 10%"."""
    figures = [figure for figure, _, _ in typed]
    rates = [index for index, (_, is_rate, _) in enumerate(typed) if is_rate]
    for index in range(1, len(typed)):
        (first, first_rate, first_span), (second, second_rate, second_span) = (
            typed[index - 1],
            typed[index],
        )
        if not (first_rate and second_rate and first_span and second_span):
            continue
        first, second = figures[index - 1], figures[index]
        if _FROM.fullmatch(sentence, first_span[1], second_span[0]) and CUT.search(sentence):
            # The level a cut left: the same duty, cut if the cut is made, in force if not.
            status = {"in_force": "cut", None: "in_force"}.get(first.status, second.status)
            figures[index] = replace(
                second,
                basis=first.basis or second.basis,
                imposed_by=first.imposed_by,
                imposed_on=first.imposed_on,
                status=status,
            )
            continue
        coordination = _COORDINATION.fullmatch(sentence, first_span[1], second_span[0])
        if not coordination:
            continue
        if coordination.group("joint") and first.status:
            second = replace(second, status=first.status)  # "the 145 and 125 per cent levels"
        if second.basis is None and first.basis is not None:
            second = replace(second, basis=first.basis)
            if first.basis in BASIS_SIDES:
                by, on = BASIS_SIDES[first.basis]
                second = replace(second, imposed_by=by, imposed_on=on)
        earlier = [i for i in rates if i < index - 1]
        if len(earlier) == 2:
            sides = [(figures[i].imposed_by, figures[i].imposed_on) for i in earlier]
            if all(by and on for by, on in sides) and sides[0] != sides[1]:
                first = replace(first, imposed_by=sides[0][0], imposed_on=sides[0][1])
                second = replace(second, imposed_by=sides[1][0], imposed_on=sides[1][1])
        figures[index - 1], figures[index] = first, second
    return figures


def figure_value(text: str) -> int | float | None:
    """The number a figure states, scaled; None for a range ("10-15%").

    >>> figure_value("$1.2 billion"), figure_value("€4bn"), figure_value("10-15%")
    (1200000000, 4000000000, None)
    >>> figure_value("3.5%")
    3.5
    """
    if _RANGE.search(text):
        return None
    number = _NUMBER.search(text)
    if not number:
        return None
    value = Decimal(number.group().replace(",", ""))
    scale = _SCALE.search(text)
    if scale:
        value *= SCALES[scale.group(1)]
    return int(value) if value == value.to_integral_value() else float(value)


def figure_unit(text: str, sentence: str = "") -> str | None:
    """The unit of a figure as written: "%", a currency's code, a unit of measure.

    >>> figure_unit("12 million tonnes"), figure_unit("US$300 million"), figure_unit("100 percent")
    ('tonnes', 'USD', '%')
    """
    if "¥" in text:  # the yen's sign and the yuan's: the sentence says which
        if re.search(r"yuan|renminbi|RMB|China|Chinese", sentence):
            return "CNY"
        return "JPY" if re.search(r"\byen\b|Japan", sentence) else None
    for rx, unit in _UNIT_RX:
        if rx.search(text):
            return unit
    return None


def _typed(text: str, sentence: str, start: int, previous: int = 0) -> tuple[Figure, bool]:
    """The figure typed, and whether it is a duty rate. `previous` is where the figure
    before it ends: that figure's words are its own, not this one's."""
    end = start + len(text)
    unit = figure_unit(text, sentence)
    value = figure_value(text)
    before, after, lo = _clause(sentence, start, end, previous)
    clause = before + text + after
    # A percentage is a duty rate with a duty named in its sentence, unless another measure
    # follows it ("a 5% rise in"), or in its own clause: the sentence is read first, as the
    # clause needs reading only when the sentence names no duty or the measure is another.
    is_rate = unit in ("%", "percentage points") and (
        (TARIFF_NOUNS.search(sentence) and not _OTHER_MEASURE.match(after))
        or TARIFF_NOUNS.search(clause)
    )
    if not is_rate or _moved(sentence, start):
        goods = _GOODS_AFTER.match(sentence, end)
        basis = goods.group("goods").lower() if goods and unit else None
        return Figure(text, value, unit, basis, None, None, None), False

    condition = CONDITION.search(after)
    own = before + text + (after[: condition.start()] if condition else after)
    basis = _basis(before, after, sentence[:start], bool(_ACTOR_RX.search(own)))
    by, on = _sides(own)
    if by is None and on is None:
        by, on = _sides_before(sentence, lo)
    if by is None and on is None and basis in BASIS_IMPOSER:
        by = BASIS_IMPOSER[basis]
    elif by is None and on is None:
        by, on = _sides(sentence)
    if basis in BASIS_SIDES:
        by, on = BASIS_SIDES[basis]
    by = by or BASIS_IMPOSER.get(basis)
    if by == on:
        on = None
    # One side named and the other too, elsewhere in the sentence: the duty is between them.
    # (The sentence's sides are read only when one is missing: most rates name both.)
    if (by is None) != (on is None):
        others = {_side(m) for m in _ACTOR_RX.finditer(sentence)} - {by or on}
        if len(others) == 1:
            by, on = (by, others.pop()) if by else (others.pop(), on)
    status = _status(before, after, sentence, sentence[:lo], text)
    return Figure(text, value, unit, basis, by, on, status), True


# The most words a market's move takes before its figure: "a gain of by about 3%" (MOVE_BEFORE).
_MOVE_WORDS = 4


def _moved(sentence: str, start: int) -> re.Match | None:
    """MOVE_BEFORE's match right before the figure at `start`: searched from the last few
    words before it, not tried at each word of the sentence before them, where it can never
    match as it must reach the figure."""
    words = sentence[:start].rsplit(None, _MOVE_WORDS)
    lo = len(words[0]) if len(words) > _MOVE_WORDS else 0
    return MOVE_BEFORE.search(sentence, lo, start)


def _clause(sentence: str, start: int, end: int, previous: int = 0) -> tuple[str, str, int]:
    """The words of the figure's own clause before it and after it (from the figure before
    it at most), and where the clause starts."""
    # Breaks come in order, so the clause ends at the first one after the figure, and the
    # rest of the sentence is not read.
    lo, hi = 0, len(sentence)
    for match in CLAUSE_BREAK.finditer(sentence):
        if match.start() >= end:
            hi = match.start()
            break
        if match.end() <= start:
            lo = match.end()
    return sentence[max(lo, previous) : start], sentence[end:hi], lo


def _sides_before(sentence: str, lo: int) -> tuple[str | None, str | None]:
    """A clause with no subject of its own (", suspending an additional 24 per cent levy")
    has the sides of the nearest clause before it that names one."""
    if not SUBJECTLESS.match(sentence, lo):
        return None, None
    breaks = [m for m in CLAUSE_BREAK.finditer(sentence, 0, lo) if m.end() <= lo]
    hi = lo
    for match in reversed(breaks):
        if match.end() == hi:
            hi = match.start()
            continue
        by, on = _sides(sentence[match.end() : hi])
        if by or on:
            return by, on
        if not SUBJECTLESS.match(sentence, match.end()):
            return None, None
        hi = match.start()
    return _sides(sentence[:hi]) if hi > 0 else (None, None)


def _side(match: re.Match) -> str:
    return match.lastgroup


def _sides(text: str) -> tuple[str | None, str | None]:
    """(imposer, target) named in some words: a target stands after "on" or before
    "goods"; the first other side named imposes."""
    targets, spans = [], []
    for m in _TARGET_RX.finditer(text):
        group = m.lastgroup
        actor = _ACTOR_RX.match(text, m.start(group))
        if actor:
            targets.append(_side(actor))
            spans.append((m.start(group), m.end(group)))
    imposers = (
        _side(m) for m in _ACTOR_RX.finditer(text) if not any(a <= m.start() < b for a, b in spans)
    )
    return next(imposers, None), (targets[0] if targets else None)


def _basis(before: str, after: str, sentence_before: str, own_sides: bool = False) -> str | None:
    """The kind of duty: a cue next to the figure, else a specific one in the sentence
    unless the figure's clause names its own sides ("and China began applying a single 10
    per cent rate" is not the fentanyl duty the sentence began with)."""
    near = before + " " + after[:40]
    low = lowered(near)
    for basis, rx in _BASIS_RX:
        if _search(rx, near, low):
            return basis
    if LEVEL_END.search(before) and LEVEL_VERB.search(before):
        return "total"
    if not own_sides:
        words = sentence_before + " " + after
        low = lowered(words)
        for basis, rx in _BASIS_RX[:4]:  # fentanyl, 301, reciprocal, average
            if _search(rx, words, low):
                return basis
    if LEVEL_END.search(before) and LEVEL_VERB.search(sentence_before):
        return "total"  # "bringing U.S. tariffs down to about 55% and China's to roughly 10%"
    if _search(IMPOSING, before, lowered(before)) or _search(IMPOSING, after, lowered(after)):
        return "additional"
    return None


def _status(before: str, after: str, sentence: str, main: str = "", text: str = "") -> str | None:
    """Threatened, in force, cut or called off: read in the figure's clause, else in its
    sentence. A cut under a hedge ("pushed for the removal of") has not happened: the rate
    it would cut is still in force, and the rate it would cut to is nothing yet. A clause
    that opens with a participle ("…, lowering the combined rate to 47%") is hedged by the
    clause it hangs on ("Trump said he would cut …")."""
    clause = before + text + after
    if _search(SUSPENDED, clause, lowered(clause)):
        return "cut"
    participle = re.match(r"\s*[a-z]+ing\b", before)
    for words in (before + " " + after, sentence):
        low = lowered(words)
        if _search(CANCELLED, words, low):
            return "cancelled"
        cut = _search(CUT, words, low)
        if cut:
            hedged = bool(HEDGES.search(words, 0, cut.start()) or FUTURE.search(words))
            if participle and words is not sentence:
                hedged = hedged or bool(HEDGES.search(main) or FUTURE.search(main))
            if words is not sentence and _search(RISE, words, low, cut.end(), len(before)):
                return "in_force" if hedged else "cut"  # "cut tariffs that had climbed to"
            if CUT_TARGET.search(before):  # "halved to 10 per cent": the new rate
                return None if hedged else "in_force"
            if CUT_BY.search(before):  # "reduce tariffs by 10 percentage points"
                return None if hedged else "cut"
            return "in_force" if hedged else "cut"
        if THREATENED.search(words):
            return "threatened"
        if _search(IN_FORCE, words, low):
            return "in_force"
    return None

"""Step 3 of the pipeline: sentences, and the signals that make a sentence a claim.

Pure: no Django, no database.

    >>> text = "U.S. Treasury Secretary Scott Bessent spoke. “We agree,” he said."
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['U.S. Treasury Secretary Scott Bessent spoke.', '“We agree,” he said.']
    >>> signals("Trump threatened 100% tariffs from November 1, Reuters reported.")
    Signals(figures=('100%',), attribution='Reuters', is_quotation=False)
"""

import re
from dataclasses import dataclass

# --- Sentence boundaries ---------------------------------------------------------------

# A candidate end: terminal punctuation, any closing quotes or brackets, then a space or
# the end of the text. "3.5%" and "U.S.-China" never qualify: no space after the dot.
# "[.!?…][.!?…]*" rather than "[.!?…]+": a pattern that opens on a plain character class
# lets the regex engine skip to the next stop, while one that opens on a repeat is tried
# at every character of the text (twice the cost of the whole split).
_CANDIDATE_END = re.compile(r"(?P<stop>[.!?…][.!?…]*)(?P<close>[”\"’')\]]*)(?=\s|$)")
# The same in a text whose only stops are full stops, as most passages are: opening on a
# plain character, it lets the engine skip to the next full stop several times faster still.
_FULL_STOP_END = re.compile(r"(?P<stop>\.\.*)(?P<close>[”\"’')\]]*)(?=\s|$)")
_LINE = re.compile(r"[^\n]+")
# What may open the next sentence: a capital, a digit, an opening quote or bracket.
_OPENERS = "“\"‘'(["
# The token just before a full stop, e.g. "U.S" in "the U.S. Trade Representative": read
# with match() from the start of a stretch of text, it is what follows the stretch's last
# space, quote or bracket. (A search() for the token alone would try every place in the
# stretch, and at each one every length of what follows, to find where it ends.)
_TOKEN_BEFORE = re.compile(r"(?s:.*[\s“\"‘'(\[])?(?P<token>[^\s“\"‘'(\[]+)$")
_DOTTED_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")  # U.S, U.K, e.g, i.e
_INITIAL = re.compile(r"[A-Z]")  # "J. Smith"
# Abbreviations that do not end a sentence when followed by a capital ("Gov. Newsom",
# "Oct. 30", "Apple Inc. shares"). May, June and July are whole words: not listed.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gov sen rep gen col lt sgt capt cmdr adm pres st jr sr rev hon"
    " inc corp co ltd bros dept univ assn vs approx est"
    " jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Abbreviations that only count as such before a number ("No. 1", "Fig. 3"):
# "He said no. Then..." still ends a sentence.
_NUMBER_ABBREVIATIONS = frozenset("no nos fig vol pp art".split())
# After “…?” or “…!” a speech tag continues the sentence: “Why now?” Bessent asked.
_SPEECH_TAG = re.compile(
    r"(?:[A-Z][\w’'.-]*\s+){1,4}(?:said|says|asked|asks|told|added|replied|wrote|noted)\b"
)


# No abbreviation, initial or dotted acronym is longer than this: the token before a full
# stop is looked for this far back, not from the start of what may be a very long line.
_TOKEN_REACH = 40


def _is_abbreviation(text: str, stop_at: int, following: str) -> bool:
    """Whether the full stop at text[stop_at] belongs to an abbreviation."""
    lo = max(0, stop_at - _TOKEN_REACH)
    match = _TOKEN_BEFORE.match(text, lo, stop_at)
    if not match:
        return False
    if match.start("token") == lo > 0 and _TOKEN_BEFORE.match(text, lo - 1, lo):
        return False  # the token runs on beyond the reach: no abbreviation is that long
    token = match.group("token")
    if "." in token and _DOTTED_ACRONYM.fullmatch(token) or _INITIAL.fullmatch(token):
        return True
    word = token.lower()
    if word in _NUMBER_ABBREVIATIONS:
        return following[:1].isdigit()
    return word in _ABBREVIATIONS


_BLANK = re.compile(r"\s*")


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    gap = _BLANK.match(text, match.end())  # offsets, not slices: a line may be very long
    if gap.end() == len(text) or "\n" in gap.group():
        return True  # end of text, or a line break: always a boundary
    first = text[gap.end()]
    if not (first.isupper() or first.isdigit() or first in _OPENERS):
        return False  # "…," he said. / "e.g. rare earths" run on in lower case
    stop, close = match.group("stop"), match.group("close")
    if close and stop[-1] in "?!" and _SPEECH_TAG.match(text, gap.end()):
        return False
    if stop == "." and not close:
        return not _is_abbreviation(text, match.start(), first)
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Offsets (start, end) of each sentence in text; text[start:end] is the sentence,
    stripped of surrounding spaces.

    >>> text = 'It was “a preliminary consensus.” Talks went on.'
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['It was “a preliminary consensus.”', 'Talks went on.']
    """
    stops = _CANDIDATE_END if "!" in text or "?" in text or "…" in text else _FULL_STOP_END
    spans: list[tuple[int, int]] = []
    start = 0
    for match in stops.finditer(text):
        if _ends_sentence(text, match):
            _add_lines(spans, text, start, match.end())
            start = match.end()
    _add_lines(spans, text, start, len(text))
    return spans


def _add_lines(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """Add to spans the non-blank stripped pieces of text[start:end], split at line breaks."""
    if text.find("\n", start, end) < 0:  # one line, the common case
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
        return
    for match in _LINE.finditer(text, start, end):
        piece = match.group()
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((match.start() + lead, match.start() + len(piece.rstrip())))


# --- Figures --------------------------------------------------------------------------

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SCALE = r"(?:trillion|billion|million|thousand|bn|mn|tn)"
_UNIT = (
    r"(?:(?:metric\s+)?(?:tonnes?|tons?)|barrels?|bushels?|kilograms?|kg|pounds|lbs"
    r"|ounces|gallons|litres|liters)"
)
_CURRENCY_WORD = r"(?:(?:US\s+)?dollars|yuan|renminbi|euros|yen|ringgit)"
_CURRENCY_SIGN = r"(?:US\$|HK\$|S\$|A\$|C\$|\$|€|£|¥|RMB\s?|CNY\s?|USD\s?)"
# Only numbers that carry a unit are figures, so years ("2025"), days in dates
# ("November 10"), model names ("H-6K") and counts of days never match.
# The lookahead holds what every figure opens with: a currency sign or a digit. Tried
# first, it turns most characters away before the alternatives are.
_FIGURE = re.compile(
    rf"""(?=[\d$€£¥ACHRSU])(?<![\w.,-])(?:
        {_CURRENCY_SIGN}{_NUMBER}(?:\s?{_SCALE}\b)?                         # $1.2 billion
      | {_NUMBER}(?:\s?[-–]\s?{_NUMBER})?\s?(?:%|percentage\s+points?\b|percent\b|per\s+cent\b)
      | {_NUMBER}\s?{_SCALE}\b(?:\s+(?:{_UNIT}|{_CURRENCY_WORD})\b)?        # 12 million tonnes
      | {_NUMBER}\s+(?:{_UNIT}|{_CURRENCY_WORD})\b                          # 25 metric tons
      | {_NUMBER}\s?°\s?[CF]\b
    )""",
    re.VERBOSE,
)

_DIGIT = re.compile(r"\d")  # every figure holds one
# In ASCII (two sentences in three) the digits are 0-9 alone: there deleting every other byte
# says whether the sentence holds one at a third of the cost of _DIGIT, which looks up each
# character's Unicode class, and most sentences hold none.
_ASCII_DIGIT = re.compile(r"[0-9]")
_NOT_DIGITS = bytes(byte for byte in range(256) if not 0x30 <= byte <= 0x39)
# A figure's first digit stands at most this far into it: "RMB 5", "USD 5".
_SIGN_CHARS = 4


def _figures(sentence: str) -> tuple[str, ...]:
    """_FIGURE's matches in the sentence, as written."""
    if not sentence.isascii():
        first = _DIGIT.search(sentence)
    elif sentence.encode().translate(None, _NOT_DIGITS):
        first = _ASCII_DIGIT.search(sentence)
    else:
        first = None
    if first is None:
        return ()  # most sentences
    # No figure starts further before the first digit: the regex need not try the text
    # before it.
    start = max(0, first.start() - _SIGN_CHARS)
    return tuple(m.group() for m in _FIGURE.finditer(sentence, start))


# --- Attribution ----------------------------------------------------------------------

# Verbs of saying, case-sensitive: "Washington Signals Progress" is a headline, not a speech
# verb. Whole words, no patterns: _speech_verbs looks for them among a sentence's words.
_SPEECH_VERBS = (
    "said", "says", "say", "told", "tells", "stated", "states", "noted", "notes", "added",
    "adds", "predicted", "predicts", "warned", "warns", "warn", "confirmed", "confirms",
    "indicated", "indicates", "announced", "announces", "reported", "reports", "report",
    "explained", "explains", "insisted", "insists", "argued", "argues", "claimed", "stressed",
    "emphasised", "emphasized", "acknowledged", "wrote", "writes", "declared", "asked",
    "replied", "suggested", "suggests", "hinted", "hints", "signalled", "signaled", "signals",
    "cautioned", "characterised", "characterized", "described", "vowed", "pledged",
)  # fmt: skip
# Each verb as a whole word, by its UTF-8. The verb's letters come first and the lookbehind
# after them stands for a "\b" before them: a pattern that opens with "\b" is tried at every
# character of the sentence, one that opens with letters skips to where they stand.
_SPEECH_VERB = {verb.encode(): re.compile(rf"{verb}(?<!\w{verb})\b") for verb in _SPEECH_VERBS}
# The verbs as a set: its intersection with a sentence's words looks each word up, where the
# dict's keys & the words would copy all the verbs into a new set first.
_SPEECH_VERB_WORDS = frozenset(_SPEECH_VERB)
# Every byte but those of ASCII letters, digits and "_" made a space: a sentence's UTF-8
# then splits into its runs of ASCII word characters, and every verb of saying it holds as
# a whole word is one of them (a character outside ASCII next to one becomes spaces too,
# word or not: the verb's pattern tells).
_ASCII_WORDS = bytes(
    byte if chr(byte).isascii() and (chr(byte).isalnum() or chr(byte) == "_") else ord(" ")
    for byte in range(256)
)


def _speech_verbs(sentence: str) -> list[re.Match[str]]:
    """Where the sentence holds a verb of saying as a whole word, in no particular order.
    Most sentences hold none: a look at their words shows it, and in the others only the
    patterns of the verbs among their words are run."""
    words = sentence.encode("utf-8", "surrogatepass").translate(_ASCII_WORDS).split()
    return [
        match
        for verb in _SPEECH_VERB_WORDS.intersection(words)
        for match in _SPEECH_VERB[verb].finditer(sentence)
    ]


_ACCORDING_TO = re.compile(r"\b[Aa]ccording to\s+")
_PROPER = re.compile(r"[A-Z][\w’'.&-]*")  # Bessent, U.S., Trump-Xi, China’s, AT&T
# Lower-case words allowed between a name and its verb: "Trump has also publicly said".
_BETWEEN = frozenset(
    """has have had is was were are also reportedly previously repeatedly since already again
    just""".split()
)
# Words that may sit inside a speaker's name or title: "Ministry of Commerce",
# "US Ambassador to Japan George Glass".
_LINKS = frozenset("of for and to &".split())
# Titles and anonymous sources. Allowed inside a speaker phrase ("Foreign Ministry
# spokesperson Guo Jiakun") but a phrase must end in a name: "analysts", "US officials"
# and "Chinese state media" are not attributions.
_ROLES = frozenset(
    """spokesperson spokesman spokeswoman spokespeople minister ministers secretary official
    officials negotiator negotiators representative representatives ambassador envoy adviser
    advisor analyst analysts economist economists expert experts president premier chairman
    chairwoman chief director governor senator lawmaker lawmakers state media executive ceo
    diplomat diplomats source sources observer observers researcher professor correspondent
    leader leaders team people farmers traders dealers investors buyers sellers exporters
    importers growers producers residents businesses companies workers consumers""".split()
)  # Organisation words (Ministry, Office, House) are left out: "the Commerce Ministry" names one.
_PRONOUNS = frozenset("he she they it we i you this that these those who which".split())
# Capitalised sentence openers that are not part of a name: "Meanwhile Trump said".
_DISCOURSE = frozenset(
    """meanwhile however but and so yet still then now later earlier today yesterday also
    separately additionally moreover furthermore instead previously finally in on at after
    before while when as since during over under with by from""".split()
)
# After a name and a comma, an appositive starts like this: "Ryan Hass, a senior analyst
# at the Brookings Institution, said"
# The longest speaker phrase kept (Claim.attribution holds this many characters):
# "Chinese Ministry of Commerce spokesperson He Yongqian" is a quarter of it.
MAX_ATTRIBUTION_CHARS = 200
_APPOSITIVE = re.compile(r",\s+(?:a|an|the|former|who|now|then|currently|speaking)\s[^,“”\"]*,\s*$")
# A speaker named after a preposition is a place or a date, not who speaks: "Grain dealers
# in Chicago said", "A fact sheet published on Saturday added", "led by Bessent announced".
_PREPOSITIONS = frozenset(
    "in on since until after before during near across outside inside by from with than".split()
)
# A body named in lower case: "The commerce ministry said", "China's tariff commission said".
_BODY_HEAD_WORDS = ("ministry", "commission", "department", "bureau", "council")
_BODY_HEADS = rf"(?:{'|'.join(_BODY_HEAD_WORDS)})"
_CAPITAL_WORD = r"(?!(?:Its|Their|His|Her|This|That|The)\b)[A-Z][\w’'.-]*\s+"
_LOWER_BODY = (
    rf"(?:[Tt]he\s+(?:{_CAPITAL_WORD})?|{_CAPITAL_WORD})"
    r"(?:(?!(?:the|a|an|and|that|its|of|in|on)\b)[a-z]+\s+){0,2}" + _BODY_HEADS
)
_LOWER_BODY_BEFORE = re.compile(rf"(?<![\w’'])(?P<body>{_LOWER_BODY})$")
_LOWER_BODY_AFTER = re.compile(rf"(?P<body>{_LOWER_BODY})(?![\w-])")
# What may follow a speaker named after the verb ("…,” said Greer on Sunday."); anything
# else makes the name the subject of what is said: "…, said Trump could sign".
_AFTER_SPEAKER = frozenset(
    "on in at during after before from who whose which told wrote added yesterday today"
    " tonight earlier late last this".split()
)
_PUNCT_AFTER = re.compile(r"[,.;:!?”\"’')\]]+$")


# Not frozen, like analysis.ClaimDraft: every sentence gets one, and a frozen dataclass
# sets each field through object.__setattr__, several times slower. Nothing changes it.
@dataclass(slots=True)
class Signals:
    figures: tuple[str, ...]  # figures as written, in order: "100%", "$1.2 billion"
    attribution: str  # the named speaker as written, "" if none or only a pronoun
    is_quotation: bool  # carries a direct quotation (“…” or "…")


# What _PUNCT_AFTER takes off a word's end; with a line break (before which "$" matches).
_PUNCT_CHARS = ",.;:!?”\"’')]"
_PUNCT_TAIL = frozenset(_PUNCT_CHARS + "\n")


def _bare(word: str) -> tuple[str, bool]:
    """A word without the punctuation after it, and whether there was any.
    An acronym keeps its own dot: "U.S." stays "U.S.", "U.S.," becomes "U.S."."""
    if word[-1:] not in _PUNCT_TAIL:
        return word, False  # most words: nothing to take off
    bare = _PUNCT_AFTER.sub("", word)
    if _DOTTED_ACRONYM.fullmatch(bare) and word.startswith(bare + "."):
        bare += "."
    return bare, bare != word


def _is_name_word(word: str) -> bool:
    return bool(_PROPER.fullmatch(word)) and word.lower() not in _ROLES


def _phrase(words: list[str]) -> str | None:
    """A speaker from the words of a candidate phrase: None if they hold no name
    (or only a title or an anonymous source), "" if they are only a pronoun."""
    while words and (words[0].lower() in _DISCOURSE or words[0] in _LINKS):
        words = words[1:]
    if len(words) == 1 and words[0].lower() in _PRONOUNS:
        return ""  # "He said": "He Lifeng said" is a name, kept whole
    if not words or not _is_name_word(words[-1]):
        return None
    if words[0] == "The":
        words = ["the", *words[1:]]  # "The White House" at a sentence start
    speaker = " ".join(words)
    # A run of capitalised words longer than any name and title is a headline or a list.
    return speaker if len(speaker) <= MAX_ATTRIBUTION_CHARS else None


def _speaker_before(prefix: str) -> str | None:
    """The speaker phrase ending right before a verb: "Greer" in "…,” Greer told"."""
    words = prefix.split()
    while words and (words[-1] in _BETWEEN or (words[-1].islower() and words[-1].endswith("ly"))):
        words.pop()  # "Trump has also publicly said"
    if not words or _bare(words[-1])[1]:
        return None  # "…meeting,” said Greer": no subject before the verb
    if words[-1].endswith(("’s", "'s")):
        return None  # "Washington’s claims": the "verb" is a noun
    # A body named in lower case ("the commerce ministry") ends in its head noun: the regex,
    # which tries every place of the words, runs only where the last word ends so.
    body = (
        _LOWER_BODY_BEFORE.search(" ".join(words[-5:]))
        if words[-1].endswith(_BODY_HEAD_WORDS)
        else None
    )
    if body:
        return _lower_the(body.group("body"))
    phrase: list[str] = []
    for word in reversed(words):
        if _PROPER.fullmatch(word) or word.lower() in _ROLES:
            phrase.insert(0, word)
        elif (
            "and" in phrase
            and phrase[0] != "and"  # "…since Busan, and Mr Trump said": a clause, no list
            and word.endswith(",")
            and _PROPER.fullmatch(word[:-1])
        ):
            phrase.insert(0, word)  # a list: "Bessent, Greer and He Lifeng said"
        elif word in _LINKS and phrase and _PROPER.fullmatch(phrase[0]):
            phrase.insert(0, word)  # "Ambassador to Japan George Glass"
        elif word.lower() == "the" and phrase:
            phrase.insert(0, word)
            break
        else:
            if phrase and word in _PREPOSITIONS:
                return None  # "Economists in Mumbai said": Mumbai says nothing
            break
    if not phrase and words[-1].lower() in _PRONOUNS:
        return ""
    return _phrase(phrase)


def _lower_the(body: str) -> str:
    """ "The commerce ministry" at a sentence start is "the commerce ministry"."""
    return "the" + body[3:] if body.startswith("The ") else body


# "according to a statement from the Commerce Ministry", "a spokesperson for the White House
# said": the body behind the statement or the spokesperson speaks.
_THROUGH = re.compile(
    r"(?:a|an)\s+(?:statement|spokesperson|spokesman|spokeswoman|report|readout|post)"
    r"\s+(?:from|for|by|of|on)\s+(?=[A-Z]|the\s)"
)


def _speaker_after(rest: str) -> str | None:
    """The speaker phrase right after a verb or "according to": "said Greer.". It must end
    where the clause does, or before a time, a place or an appositive: in "said Trump could
    sign" and "according to the Chinese readout" the name is not the speaker."""
    rest = rest.lstrip()
    through = _THROUGH.match(rest)
    if through:
        rest = rest[through.end() :]
    body = _LOWER_BODY_AFTER.match(rest)
    if body:
        return _lower_the(body.group("body"))
    phrase: list[str] = []
    closed, following = False, None
    for word in rest.split():
        bare, ends = _bare(word)
        if not (_PROPER.fullmatch(bare) or bare.lower() in _ROLES or bare in ("the", *_LINKS)):
            following = word
            break
        phrase.append(bare)
        closed = ends
        if closed:
            break  # punctuation ends the phrase: "according to Reuters, ..."
    while phrase and phrase[-1] in ("the", *_LINKS):
        phrase.pop()
        following = None  # "said the" / "according to a person of …": no name anyway
    if following is not None and not closed and phrase:
        if _bare(following)[0].lower() not in _AFTER_SPEAKER:
            return None
    return _phrase(phrase)


_SPEAKER_REACH = 1000  # characters either side of a speech verb that may hold its speaker


def _attribution_at(sentence: str) -> tuple[str, int | None]:
    """The speaker, and where a pronoun stands when a pronoun is all that speaks ("he
    said"); None for that when the speaker is named or there is none. The first speech
    verb with a subject decides: a name wins, a pronoun gives ""."""
    candidates = [(m, "verb") for m in _speech_verbs(sentence)]
    if "ccording to" in sentence:  # what every match of _ACCORDING_TO holds
        candidates += [(m, "according") for m in _ACCORDING_TO.finditer(sentence)]
    # The quotations, read only where a candidate may stand in one.
    opens = candidates and _opens_quote(sentence)
    quoted = [m.span() for m in _QUOTED.finditer(sentence)] if opens else []
    for match, kind in sorted(candidates, key=lambda c: c[0].start()):
        if any(a < match.start() < b for a, b in quoted):
            continue  # “The countermeasures China announced…”: said in the quotation
        if (
            kind == "verb"
            and match.group() in _OBJECT_VERBS
            and not _SAYING_NEXT.match(sentence, match.end())
        ):
            continue  # "Beijing announced sweeping controls": what was done, not said
        # A speaker (with an appositive) stands next to its verb: only that much is read,
        # so a sentence with many verbs is not re-read from its start for each of them.
        prefix = sentence[max(0, match.start() - _SPEAKER_REACH) : match.start()].rstrip()
        rest = sentence[match.end() : match.end() + _SPEAKER_REACH]
        if kind == "according":
            speaker = _speaker_after(rest)
        else:
            speaker = _speaker_before(prefix)
            appositive = _APPOSITIVE.search(prefix)
            if speaker is None and appositive:
                speaker = _speaker_before(prefix[: appositive.start()])
            if speaker is None and prefix.endswith((",", "”", '"')):
                speaker = _speaker_after(rest)  # “…,” said Greer.
        if speaker is not None:
            pronoun = None
            found = _PRONOUN_BEFORE.search(prefix) if kind == "verb" and not speaker else None
            if found:
                pronoun = max(0, match.start() - _SPEAKER_REACH) + found.start("pronoun")
            return speaker, pronoun
        if kind == "verb" and _REPORTED_CLAUSE.match(rest):
            # "Analysts cautioned that … China announced in October": what follows "that"
            # is what was said; its subjects are not the speaker. No name here, no speaker.
            return "", None
    if _PARTICIPLE.search(sentence):
        return _subject(sentence) or "", None
    return "", None


def speaking_pronoun(sentence: str) -> int | None:
    """Where the "he" or "she" that speaks stands in the sentence ("Additionally, he said
    …"), or None when a name speaks, nobody does, or another pronoun does ("they said").

    >>> speaking_pronoun("Mr Trump plans a visit, and he has said it will go ahead.")
    28
    >>> speaking_pronoun("Greer said it went well.") is None
    True
    """
    return _attribution_at(sentence)[1]


_PRONOUN_BEFORE = re.compile(
    r"(?<![\w’'])(?P<pronoun>[Hh]e|[Ss]he)(?:\s+(?:"
    + "|".join(sorted(_BETWEEN))
    + r"|[a-z]+ly))*\s*$"
)
# Quotations: a verb of saying inside one is the quoted speaker's, not the report's.
_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")


def _opens_quote(sentence: str) -> bool:
    """Whether a quotation may open in the sentence: _QUOTED's every match starts so."""
    return "“" in sentence or '"' in sentence


# Verbs that also take a thing as object: "Beijing announced sweeping controls" says
# nothing; "announced on Friday that …", "announced:", "…, the ministry announced." do.
_OBJECT_VERBS = frozenset("announced announces announce reported reports report".split())
_SAYING_NEXT = re.compile(
    r"\s*(?:$|[,.;:“\"”]|(?:that|on|in|at|to|late|early|earlier|last|this|yesterday|today"
    r"|overnight|afterwards|later|(?:a\s+)?plans?\s+to|it\s+would|it\s+will)\b|[A-Z0-9])"
)


# Saying in a participle: "Alex Gray rejected these fears, calling them “a fever dream.”"
# Only before a quotation or a reported clause: "Markets fell, adding pressure" says nothing.
_PARTICIPLE = re.compile(
    r",\s+(?:(?:saying|adding|noting|warning|insisting|arguing|stressing)\s+(?:that|it|they)\b"
    r"|(?:calling|describing)\s[^“”\",.;]{0,40}[“\"]|saying:?\s+[“\"])"
)
# The verb after the subject, in the past or the present: "rejected", "dismisses", "has".
# "Speaking at a forum, …" opens with no subject at all.
_FINITE = re.compile(r"[a-z]+(?:ed|s)")
_LOWER_BODY_SUBJECT = re.compile(rf"(?P<body>{_LOWER_BODY})\s+[a-z]+(?:ed|s)\b")


def _subject(sentence: str) -> str | None:
    """The speaker phrase that opens a sentence and is followed by its verb in lower case:
    "Former White House official Alex Gray" in "Former White House official Alex Gray
    rejected these fears"."""
    body = _LOWER_BODY_SUBJECT.match(sentence)
    if body:
        return _lower_the(body.group("body"))
    words = sentence.split()
    phrase: list[str] = []
    for word in words:
        if _PROPER.fullmatch(word) or word.lower() in _ROLES:
            phrase.append(word)
        elif word in _LINKS and len(phrase) > 1:
            phrase.append(word)
        else:
            break
    else:
        return None
    if len(phrase) == len(words) or not _FINITE.fullmatch(words[len(phrase)]):
        return None  # "Speaking at a Tokyo forum, …", a headline: no subject and verb
    return _phrase(phrase)


# A verb of saying followed by the clause it reports.
_REPORTED_CLAUSE = re.compile(r"\s*(?:,\s*)?that\b")
_QUOTATION = re.compile(r"[“”\"]|‘[^’]+’(?!\w)")


def _quotes(sentence: str) -> bool:
    """Whether the sentence carries a quotation (_QUOTATION): looked for only when one of
    the marks that start its matches is there."""
    if "“" in sentence or "”" in sentence or '"' in sentence:
        return True
    return "‘" in sentence and _QUOTATION.search(sentence) is not None


def signals(sentence: str) -> Signals:
    """What makes a sentence a claim: figures, a named speaker, a direct quotation.

    >>> signals("“It never comes to pass,” Gray said.")
    Signals(figures=(), attribution='Gray', is_quotation=True)
    >>> signals("Additionally, he said China is likely to postpone it by a year.")
    Signals(figures=(), attribution='', is_quotation=False)
    """
    return read_signals(sentence)[0]


def read_signals(sentence: str) -> tuple[Signals, int | None]:
    """The sentence's signals, and where the pronoun that speaks stands (speaking_pronoun):
    one reading of the sentence gives both."""
    attribution, pronoun = _attribution_at(sentence)
    found = Signals(
        figures=_figures(sentence),
        attribution=attribution,
        is_quotation=_quotes(sentence),
    )
    return found, pronoun

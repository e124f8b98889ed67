"""Keep claims anchored to the text of their report, and link readers to the same sentence.

A claim is an exact sentence quoted from a report. It is stored with a W3C Web Annotation
TextQuoteSelector (the quote plus a little text either side), so that when an editor corrects
the report the claim can be found again -- or honestly reported as moved, doubtful or gone,
never silently pointing at the wrong sentence.

Pure Python: no Django, no database. Offsets are indices into ``str`` (code points).

>>> body = "Talks resumed. Bessent said a deal is close. Markets rose."
>>> selector = quote_selector(body, 15, 44)
>>> selector.exact
'Bessent said a deal is close.'
>>> relocate("Update: " + body, selector, hint_start=15)
Anchor(state='relocated', start=23, end=52, score=1.0)
>>> text_fragment("Bessent said a deal is close.")
'#:~:text=Bessent%20said%20a%20deal%20is%20close.'
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import Match, SequenceMatcher
from urllib.parse import quote

CONTEXT = 32
"""Characters of prefix/suffix kept around a quote: enough to tell repeated sentences apart."""

FUZZY_THRESHOLD = 0.75
"""Below this similarity a corrected sentence is no longer "the same claim"."""

FUZZY_MARGIN = 0.05
"""How much more similar than any other place a fuzzy match must be to be *the* match.

Places closer than this ("tariffs of 10%" against "tariffs of 20%" and "of 30%") are
about equally similar: which one the claim became is a guess, made by the old context and
offset, and the anchor needs review whatever it scores. (A fuzzy match is never relocated
or exact in any case: its words changed, so an editor must look.)"""

CONTEXT_MARGIN = 0.05
"""How much better a copy's surroundings must match than any other copy's for the context
to settle which of several identical sentences a claim is (see ``_choose``)."""

EXACT, RELOCATED, NEEDS_REVIEW, ORPHANED = "exact", "relocated", "needs_review", "orphaned"

# Prefix/suffix must match at least this well before they may pick one of several copies
# of a sentence; below it any "winner" is decided by stray letters in unrelated text.
_MIN_CONTEXT_SCORE = 0.5
# How many candidate places the fuzzy search examines closely (each costs a few diffs).
_MAX_FUZZY_CANDIDATES = 8
# Characters of prefix/suffix used to pin a fuzzy match's edges to the old context.
_PIN_CHARS = 16
# Each candidate place is diffed twice: in a wide neighbourhood, which tolerates a poor
# guess of where the sentence starts, and in this narrow one, which a neighbouring
# sentence sharing a long run of words with the quote cannot fill ("... talks were held,”
# Bessent said." twice in a row): in the wide one the diff may align with that neighbour.
_NARROW_SLACK = 16


@dataclass(frozen=True)
class QuoteSelector:
    """The W3C Web Annotation TextQuoteSelector: https://www.w3.org/TR/annotation-model/"""

    exact: str
    prefix: str  # up to CONTEXT characters immediately before, from the same text
    suffix: str  # up to CONTEXT characters immediately after


@dataclass(frozen=True)
class Anchor:
    """Where a selector was found in a (possibly corrected) text, and how sure that is.

    state: "exact"        found at the same offsets (``hint_start``);
           "relocated"    found elsewhere, unambiguously (also whitespace-only changes);
           "needs_review" found only approximately or ambiguously; start/end are the best guess;
           "orphaned"     not found; start/end are None.
    score: 1.0 for text matches, the similarity ratio for fuzzy ones, 0.0 when orphaned.
    """

    state: str
    start: int | None
    end: int | None
    score: float


def quote_selector(text: str, start: int, end: int, context: int = CONTEXT) -> QuoteSelector:
    """The selector for ``text[start:end]``, with up to ``context`` characters either side.

    >>> quote_selector("One. Two. Three.", 5, 9, context=3)
    QuoteSelector(exact='Two.', prefix='e. ', suffix=' Th')
    """
    if not 0 <= start < end <= len(text):
        raise ValueError(f"bad span {start}:{end} for a text of {len(text)} characters")
    return QuoteSelector(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def relocate(text: str, selector: QuoteSelector, hint_start: int | None = None) -> Anchor:
    """Find ``selector`` in ``text``; ``hint_start`` is where the quote was last seen.

    Tries, in order: the exact quote; the quote with whitespace runs folded (an editor
    collapsing a double space is not a correction); a fuzzy match for a lightly corrected
    sentence. Without a hint nothing can be "exact" (same offsets), so a unique find is
    "relocated": new offsets to store.

    >>> sel = QuoteSelector(exact="Bessent said.", prefix="", suffix="")
    >>> relocate("Bessent said.", sel, hint_start=0)
    Anchor(state='exact', start=0, end=13, score=1.0)
    >>> relocate("Bessent  said.", sel, hint_start=0)  # whitespace only: real offsets
    Anchor(state='relocated', start=0, end=14, score=1.0)
    >>> relocate("Nothing like it.", sel).state
    'orphaned'
    """
    if not selector.exact:
        raise ValueError("cannot anchor an empty quote")
    spans = [(i, i + len(selector.exact)) for i in _find_all(text, selector.exact)]
    if not spans:
        spans = _find_folded(text, selector.exact)
    if spans:
        return _choose(text, selector, spans, hint_start)
    return _fuzzy(text, selector, hint_start)


def sentence_hash(sentence: str) -> str:
    """sha256 hex of the sentence with whitespace runs folded to one space (and ends trimmed).

    Trimming too, so a sentence re-split with a stray leading newline keeps its identity
    (the same folding as ``services.content_hash``).

    >>> sentence_hash("Bessent  said.\\n") == sentence_hash("Bessent said.")
    True
    """
    return hashlib.sha256(" ".join(sentence.split()).encode("utf-8")).hexdigest()


# TextDirectiveExplicitChar in https://wicg.github.io/scroll-to-text-fragment/ is ASCII
# alphanumerics plus these; everything else -- notably "&", "-" and ",", which are syntax in
# the directive, and space, "#", "%" and all non-ASCII -- must be percent-encoded.
_DIRECTIVE_SAFE = "!$'()*+./:;=?@_~"


def text_fragment(sentence: str, max_words: int = 8) -> str:
    """The `#:~:text=` fragment directive for a sentence, per the WICG Scroll-To-Text-Fragment spec.

    A short sentence (at most ``max_words`` words) is quoted whole; a longer one as
    ``textStart,textEnd`` -- its first and last ``max_words // 2`` words -- which the browser
    expands to the whole range, so the link stays short but still names one sentence.

    >>> text_fragment("Talks resumed in Kuala Lumpur, officials said.")
    '#:~:text=Talks%20resumed%20in%20Kuala%20Lumpur%2C%20officials%20said.'
    >>> text_fragment("Trump hinted that additional follow-up meetings might take place soon.")
    '#:~:text=Trump%20hinted%20that%20additional,might%20take%20place%20soon.'
    """
    if max_words < 1:
        raise ValueError("max_words must be at least 1")
    words = sentence.split()
    if not words:
        raise ValueError("cannot link to an empty sentence")
    if len(words) <= max_words:
        return "#:~:text=" + _percent_encode(" ".join(words))
    n = max(1, max_words // 2)
    start, end = " ".join(words[:n]), " ".join(words[-n:])
    return f"#:~:text={_percent_encode(start)},{_percent_encode(end)}"


def _percent_encode(part: str) -> str:
    """Percent-encode one textStart/textEnd value (UTF-8 for non-ASCII).

    >>> _percent_encode("U.S.–China talks, “cautious” & follow-up")
    'U.S.%E2%80%93China%20talks%2C%20%E2%80%9Ccautious%E2%80%9D%20%26%20follow%2Dup'
    """
    # quote() never escapes "-" (it is in urllib's always-safe set whatever `safe` says),
    # but an unescaped "-" would turn the value into a prefix- or -suffix term.
    return quote(part, safe=_DIRECTIVE_SAFE).replace("-", "%2D")


# --- finding exact and whitespace-folded copies -------------------------------------------


def _find_all(text: str, needle: str) -> list[int]:
    """Start of every occurrence of needle, overlapping ones included."""
    found, i = [], text.find(needle)
    while i != -1:
        found.append(i)
        i = text.find(needle, i + 1)
    return found


_WHITESPACE = re.compile(r"\s+")


def _fold(text: str) -> tuple[str, list[int]]:
    """``text`` with whitespace runs folded to one space, and each folded char's origin index.

    >>> _fold("a  b\\n")
    ('a b ', [0, 1, 3, 4])
    """
    parts, origin, last = [], [], 0
    for run in _WHITESPACE.finditer(text):
        parts += [text[last : run.start()], " "]
        origin += [*range(last, run.start()), run.start()]
        last = run.end()
    parts.append(text[last:])
    origin += range(last, len(text))
    return "".join(parts), origin


def _find_folded(text: str, exact: str) -> list[tuple[int, int]]:
    """Spans of ``text`` equal to ``exact`` once whitespace runs are folded on both sides."""
    needle, _ = _fold(exact)
    if not needle.strip():
        return []  # whitespace matches whitespace everywhere; that is no anchor
    folded, origin = _fold(text)
    spans = []
    for i in _find_all(folded, needle):
        j = i + len(needle)
        # A folded span ends where the next folded character begins, so a trailing
        # whitespace run in the quote covers the whole run in the text.
        spans.append((origin[i], origin[j] if j < len(origin) else len(text)))
    return spans


# --- choosing among copies by their surroundings ------------------------------------------


def _choose(
    text: str, selector: QuoteSelector, spans: list[tuple[int, int]], hint: int | None
) -> Anchor:
    """Pick one of several text matches; exact/relocated only if that choice is safe."""
    if len(spans) == 1:
        start, end = spans[0]
        return Anchor(_found_state(text, selector, start, end, hint), start, end, 1.0)

    scores = {span: _context_score(text, selector, *span) for span in spans}
    (start, end), settled = _settle(spans, scores.__getitem__, lambda span: span[0], hint)
    if settled:
        return Anchor(_found_state(text, selector, start, end, hint), start, end, 1.0)
    return Anchor(NEEDS_REVIEW, start, end, 1.0)


def _settle(places: list, context, start, hint: int | None) -> tuple:
    """The place the old surroundings single out, and True; else a guess, and False.

    Context settles it only if it fits well (_MIN_CONTEXT_SCORE) and clearly better than
    at any other place (CONTEXT_MARGIN): a typo fixed next to one of two copies must not
    send the claim to the other. Otherwise the guess is the place nearest the old offset,
    among those that fit about as well as the best if any fits well.
    """
    best = max(context(place) for place in places)
    close = [place for place in places if context(place) > best - CONTEXT_MARGIN]
    if best >= _MIN_CONTEXT_SCORE and len(close) == 1:
        return close[0], True
    pool = close if best >= _MIN_CONTEXT_SCORE else places
    return min(pool, key=lambda place: (_distance(start(place), hint), -context(place))), False


def _found_state(text: str, selector: QuoteSelector, start: int, end: int, hint: int | None) -> str:
    # "exact" promises the stored offsets are still right, so the text must match too:
    # a whitespace-folded find at the same start has a different end.
    same = start == hint and text[start:end] == selector.exact
    return EXACT if same else RELOCATED


def _context_score(text: str, selector: QuoteSelector, start: int, end: int) -> float:
    """Share (0..1) of the selector's prefix and suffix characters found around a span.

    Fuzzy rather than a plain common-prefix test, so an edit touching the neighbouring
    sentence weakens the evidence instead of wiping it out.
    """
    wanted = len(selector.prefix) + len(selector.suffix)
    if not wanted:
        return 0.0
    before = text[max(0, start - len(selector.prefix)) : start]
    after = text[end : end + len(selector.suffix)]
    return (_matching(selector.prefix, before) + _matching(selector.suffix, after)) / wanted


def _matching(a: str, b: str) -> int:
    """Number of characters of a and b that line up (the M in difflib's ratio 2M/T)."""
    if not a or not b:
        return 0
    return sum(
        block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    )


def _distance(start: int, hint: int | None) -> int:
    return 0 if hint is None else abs(start - hint)


# --- fuzzy search for a lightly corrected sentence ----------------------------------------


def _fuzzy(text: str, selector: QuoteSelector, hint: int | None) -> Anchor:
    """Best window of text similar to the quote: needs_review if similar enough, else orphaned.

    Diffing the quote against every window of a 20,000-character report is far too slow,
    so cheap evidence (word pairs of the quote, the old prefix/suffix, the hint) nominates a
    few places; each is aligned with one diff and its edges settled on word boundaries.

    A place must be at least FUZZY_THRESHOLD similar to the quote. It is the match only if
    no other place comes within FUZZY_MARGIN of it; among places that do (a sentence deleted
    while lookalikes with other figures remain), the old context and then the old offset
    make the guess. Either way the state is needs_review: the words are not the same.
    """
    found: list[_Place] = []
    spans = {
        _align(text, selector, centre, slack)
        for centre in _candidate_starts(text, selector, hint)
        for slack in (len(selector.exact) // 2 + 16, _NARROW_SLACK)
    }
    for start, end in sorted(spans - {None}):
        ratio = _ratio(selector.exact, text[start:end])
        if ratio >= FUZZY_THRESHOLD:
            context = _context_score(text, selector, start, end)
            found.append(_Place(ratio, context, -_distance(start, hint), start, end))
    if not found:
        return Anchor(ORPHANED, None, None, 0.0)
    best = max(found)
    tied = [best] + [
        place
        for place in found
        if best.ratio - place.ratio < FUZZY_MARGIN
        and (place.end <= best.start or best.end <= place.start)  # another place, not a re-cut
    ]
    if len(tied) > 1:  # about equally similar: the surroundings, else the offset, decide
        best, _ = _settle(tied, lambda place: place.context, lambda place: place.start, hint)
    return Anchor(NEEDS_REVIEW, best.start, best.end, round(best.ratio, 4))


@dataclass(frozen=True, order=True)
class _Place:
    """A candidate span for a corrected quote; orders by similarity, then context, nearness."""

    ratio: float
    context: float
    nearness: int  # minus the distance from the hint
    start: int
    end: int


def _ratio(a: str, b: str) -> float:
    # autojunk off: on texts over 200 characters difflib would otherwise ignore every
    # common letter as "junk" and find almost nothing.
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _shingles(exact: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of each pair of adjacent words in the quote (single words if only one).

    Pairs survive a one-word correction elsewhere in the sentence and are rare enough in
    a report that their hits cluster where the sentence now is.
    """
    words = list(re.finditer(r"\S+", exact))
    if len(words) < 2:
        yield from ((w.start(), w.group()) for w in words)
        return
    for left, right in zip(words, words[1:], strict=False):
        yield left.start(), exact[left.start() : right.end()]


def _candidate_starts(text: str, selector: QuoteSelector, hint: int | None) -> list[int]:
    """A few likely start offsets of the corrected quote, the best-supported first."""
    exact = selector.exact
    votes: Counter[int] = Counter()
    for offset, shingle in _shingles(exact):
        for pos in _find_all(text, shingle):
            votes[pos - offset] += 1
    # The untouched neighbourhood is strong evidence: the quote starts where the old
    # prefix ends and ends where the old suffix begins.
    if len(selector.prefix.strip()) >= 8:
        for match in _loose(selector.prefix[-_PIN_CHARS:], tail=True).finditer(text):
            votes[match.end()] += 2
    if len(selector.suffix.strip()) >= 8:
        for match in _loose(selector.suffix[:_PIN_CHARS], tail=False).finditer(text):
            votes[match.start() - len(exact)] += 2
    if hint is not None:
        votes[hint] += 1
    clusters = _cluster(votes, tolerance=len(exact) // 4 + 8)
    # Where the sentence really is, most of its word pairs agree; places named by one
    # common pair ("of the") are not worth a diff unless nothing better turned up.
    strongest = clusters[0][1] if clusters else 0
    good = [pos for pos, weight in clusters if weight * 4 >= strongest]
    return good[:_MAX_FUZZY_CANDIDATES]


def _cluster(votes: Counter[int], tolerance: int) -> list[tuple[int, int]]:
    """Merge nearby voted positions into (most voted position, total votes), best first.

    Inserting or deleting words shifts where later word pairs point, so one moved
    sentence gets votes spread over a few nearby offsets.
    """
    clusters: list[list[int]] = []
    for pos in sorted(votes):
        if clusters and pos - clusters[-1][-1] <= tolerance:
            clusters[-1].append(pos)
        else:
            clusters.append([pos])
    ranked = [
        (max(group, key=lambda p: votes[p]), sum(votes[p] for p in group)) for group in clusters
    ]
    return sorted(ranked, key=lambda cluster: -cluster[1])


def _loose(fragment: str, *, tail: bool) -> re.Pattern[str]:
    r"""Regex for a prefix tail or suffix head that tolerates whitespace changes.

    >>> _loose("hear.\n\n", tail=True).pattern
    'hear\\.\\s+'
    >>> _loose("\n\nFragile", tail=False).pattern
    '\\s+Fragile'
    """
    body = r"\s+".join(re.escape(word) for word in fragment.split())
    if fragment[:1].isspace():
        body = r"\s+" + body
    if fragment[-1:].isspace():
        body += r"\s+"
    return re.compile(body)


def _align(text: str, selector: QuoteSelector, centre: int, slack: int) -> tuple[int, int] | None:
    """The span near ``centre`` that best corresponds to the quote, or None.

    One diff against the neighbourhood (``slack`` characters either side) gives a rough
    span; its edges are then pinned to the old prefix/suffix if those are still there, else
    moved to the nearby word boundaries that maximise similarity.
    """
    exact = selector.exact
    lo, hi = max(0, centre - slack), min(len(text), centre + len(exact) + slack)
    matcher = SequenceMatcher(None, exact, text[lo:hi], autojunk=False)
    first, last = _chain(matcher.get_matching_blocks())
    if first is None:
        return None
    start = max(0, lo + first.b - first.a)  # extend over an unmatched (corrected) head
    end = min(len(text), lo + last.b + len(exact) - last.a)  # ... and tail
    # Settling the edges moves each by a word or two; it cannot rescue a poor match.
    if start >= end or _ratio(exact, text[start:end]) < FUZZY_THRESHOLD - 0.15:
        return None

    # Pinning is a regex search, cheap enough to look further than the similarity search.
    pin_reach = len(exact) // 3 + 16
    pinned_start = _pin(text, selector, start, pin_reach, at_start=True)
    pinned_end = _pin(text, selector, end, pin_reach, at_start=False)
    if pinned_start is not None and pinned_end is not None:
        # Trust the untouched context over similarity, which would rather drop a
        # replaced word at either end than include it -- if the result is still similar;
        # if not, the context was found in the wrong place and similarity decides.
        if pinned_start < pinned_end:
            if _ratio(exact, text[pinned_start:pinned_end]) >= FUZZY_THRESHOLD:
                return pinned_start, pinned_end
        pinned_start = pinned_end = None
    reach = min(24, len(exact) // 4 + 4)
    start = _best_start(text, selector, start, reach) if pinned_start is None else pinned_start
    end = _best_end(text, selector, end, reach) if pinned_end is None else pinned_end
    return (start, end) if start < end else None


def _chain(blocks: list[Match]) -> tuple[Match, Match] | tuple[None, None]:
    """First and last matching blocks of the run that holds the longest block.

    Walking out from the longest block, a block joins only if it is long or close to its
    neighbour: a short match far along the text ("hea" of a later "ahead" standing in for
    a replaced "hear.") is a coincidence and must not stretch the span.
    """
    blocks = [b for b in blocks if b.size >= 3]  # 1-2 characters match anywhere
    if not blocks:
        return None, None
    core = max(range(len(blocks)), key=lambda k: blocks[k].size)

    def joins(near: Match, far: Match) -> bool:
        gap_a = abs(far.a - near.a) - (near.size if far.a > near.a else far.size)
        gap_b = abs(far.b - near.b) - (near.size if far.b > near.b else far.size)
        return far.size >= 12 or gap_b <= 2 * gap_a + 12

    first = last = core
    while first > 0 and joins(blocks[first], blocks[first - 1]):
        first -= 1
    while last < len(blocks) - 1 and joins(blocks[last], blocks[last + 1]):
        last += 1
    return blocks[first], blocks[last]


def _pin(text: str, selector: QuoteSelector, rough: int, reach: int, *, at_start: bool):
    """Where the old prefix now ends (or suffix begins) within ``reach`` of ``rough``."""
    context = selector.prefix if at_start else selector.suffix
    if not context.strip():
        # No context (the quote opened or closed the text) pins nothing: text may since
        # have been added there.
        return None
    pattern = _loose(context[-_PIN_CHARS:] if at_start else context[:_PIN_CHARS], tail=at_start)
    lo = max(0, rough - reach - 2 * _PIN_CHARS)
    hits = [
        (m.end() if at_start else m.start())
        for m in pattern.finditer(text, lo, min(len(text), rough + reach + 2 * _PIN_CHARS))
    ]
    hits = [h for h in hits if abs(h - rough) <= reach]
    return min(hits, key=lambda h: abs(h - rough)) if hits else None


def _best_start(text: str, selector: QuoteSelector, rough: int, reach: int) -> int:
    """The word boundary within ``reach`` of ``rough`` where the quote most likely begins.

    Similarity alone would rather drop a replaced first word than take it in, so the
    quote's old surroundings narrow the choice first: a quote that began a sentence
    still does, one that began after whitespace still does.

    Only the quote's head is compared with the text from each candidate up to a fixed
    point: the rest of the window is the same for every candidate, and diffing it again
    for each would make this the slowest step of all.
    """
    inner = min(len(text), rough + 2 * reach)
    head = selector.exact[: max(1, inner - rough)]
    edges = [i for i in _boundaries(text, rough - reach, rough + reach) if i < inner] or [rough]
    edges = _narrow(
        edges,
        _starts_sentence(selector.prefix) and (lambda i: _starts_sentence(text[:i])),
        _after_space(selector.prefix) and (lambda i: _after_space(text[:i])),
    )
    return max(edges, key=lambda i: (_ratio(head, text[i:inner]), -abs(i - rough)))


def _best_end(text: str, selector: QuoteSelector, rough: int, reach: int) -> int:
    """The word boundary within ``reach`` of ``rough`` where the quote most likely ends.

    As for the start: a quote ending in sentence punctuation still ends in the same
    mark, one followed by whitespace still is.
    """
    exact = selector.exact
    inner = max(0, rough - 2 * reach)
    tail = exact[-max(1, rough - inner) :]
    edges = [i for i in _boundaries(text, rough - reach, rough + reach) if i > inner] or [rough]
    edges = _narrow(
        edges,
        exact[-1] in _SENTENCE_END and (lambda i: text[i - 1] == exact[-1]),
        _before_space(selector.suffix) and (lambda i: _before_space(text[i:])),
    )
    return max(edges, key=lambda i: (_ratio(tail, text[inner:i]), -abs(i - rough)))


_SENTENCE_END = ".!?\u2026\"\u201d'\u2019)"


def _narrow(edges: list[int], *tests) -> list[int]:
    """Keep the edges passing each test in turn, skipping tests that none would pass."""
    for test in tests:
        if test:
            edges = [i for i in edges if test(i)] or edges
    return edges


def _after_space(before: str) -> bool:
    return not before or before[-1].isspace()


def _before_space(after: str) -> bool:
    return not after or after[0].isspace()


def _starts_sentence(before: str) -> bool:
    """Whether a quote preceded by ``before`` begins a sentence, line or the text."""
    kept = before.rstrip()
    gap = before[len(kept) :]
    return not kept or (gap != "" and ("\n" in gap or kept[-1] in _SENTENCE_END))


def _boundaries(text: str, lo: int, hi: int) -> list[int]:
    return [i for i in range(max(0, lo), min(len(text), hi) + 1) if _is_boundary(text, i)]


def _is_boundary(text: str, i: int) -> bool:
    """True unless i falls inside a word (between two alphanumeric characters)."""
    return i <= 0 or i >= len(text) or not (text[i - 1].isalnum() and text[i].isalnum())

"""The tariff chart's read rule: duty rates over time, from the claims' typed figures.

A claim's typed figures (articles/pipeline/figures.py) that are percentages with a known
imposer become points (TariffPoint rows): who imposes the rate on whom, its basis, its
value, its status and the day it applies. The pipeline suggests them when a report is
ingested (refresh_points); editors confirm, correct or reject them, and a re-ingest never
overwrites their decision.

The day a point applies: the date its own sentence gives (the one nearest the figure,
preferring a date the rate takes effect from: "from Nov. 1", "effective Nov. 10"), else
the day of the event the claim is accepted evidence for, else the report's publication
date; each point says which.

The chart that draws them is timeline/charts.py. Pure functions, apart from
refresh_points and decide_points (the two that write).
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from articles.models import Claim, claim_url
from articles.pipeline.dates.periods import describe_period
from articles.signals import content_changed
from tradewatch.history import bulk_create_with_history

from .linking import mark_reviewed
from .models import TariffPoint

SIDES = {choice.value for choice in TariffPoint.Side}
BASES = {choice.value for choice in TariffPoint.Basis}
STATUSES = {choice.value for choice in TariffPoint.Status}
# Statuses drawn on the solid step line, and on the dashed threat line.
LEVELS = (TariffPoint.Status.IN_FORCE, TariffPoint.Status.CUT)
THREATS = (TariffPoint.Status.THREATENED, TariffPoint.Status.CANCELLED)
# What a suggested point may change when its report is read again.
REFRESHED = [
    "text",
    "imposed_by",
    "imposed_on",
    "basis",
    "value",
    "status",
    "day",
    "precision",
    "dated_by",
    "updated",
]
# Words before a date that make it the day a rate takes effect, not the day it was said.
EFFECT_CUE = re.compile(
    r"\b(?:from|starting|beginning|effective|as of|set for|from on)(?: on)?\s*$", re.IGNORECASE
)


# A break between two clauses: a date across one belongs to the other clause.
CLAUSE_BREAK = re.compile(r";|—|–|\s-\s|,\s+(?:and|but|while|whereas|although|though|which)\b")


STRONG_BREAK = re.compile(r";|—|–|\s-\s")
OPENING = 30  # a date this near the start of a sentence opens it


# --- Reading a claim ------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """A point as the pipeline reads it from one figure of a claim."""

    figure: int
    text: str
    imposed_by: str
    imposed_on: str
    basis: str
    value: Decimal
    status: str
    day: date | None
    precision: str
    dated_by: str


def read_points(figures: list[dict], sentence: str, mentions=()) -> list[Draft]:
    """The points a claim's typed figures give: percentages whose imposer is known.

    `mentions`: the claim's date mentions (anything with start, end, text, date_start and
    precision; offsets in the sentence).

    >>> from types import SimpleNamespace as M
    >>> s = "The duty was cut to 10% from 20%, effective Nov. 10, Reuters said on Nov. 2."
    >>> figs = [
    ...     {"text": "10%", "value": 10, "unit": "%", "basis": "fentanyl",
    ...      "imposed_by": "US", "imposed_on": "China", "status": "in_force"},
    ...     {"text": "20%", "value": 20, "unit": "%", "basis": "fentanyl",
    ...      "imposed_by": "US", "imposed_on": "China", "status": "cut"},
    ...     {"text": "$3bn", "value": 3000000000, "unit": "USD", "basis": None,
    ...      "imposed_by": None, "imposed_on": None, "status": None}]
    >>> ms = [M(text="Nov. 10", start=44, end=51, date_start=date(2025, 11, 10),
    ...         precision="day"),
    ...       M(text="Nov. 2", start=68, end=74, date_start=date(2025, 11, 2),
    ...         precision="day")]
    >>> [(p.figure, p.value, p.status, p.day.isoformat(), p.dated_by)
    ...  for p in read_points(figs, s, ms)]
    [(0, Decimal('10.00'), 'in_force', '2025-11-10', 'sentence'), \
(1, Decimal('20.00'), 'cut', '2025-11-10', 'sentence')]
    """
    points, cursor = [], 0
    for index, figure in enumerate(figures):
        text = str(figure.get("text") or "")
        start = sentence.find(text, cursor) if text else -1
        if start >= 0:
            cursor = start + len(text)
        by, on = figure.get("imposed_by"), figure.get("imposed_on") or ""
        value = figure.get("value")
        if figure.get("unit") != "%" or by not in SIDES or on not in SIDES | {""} or on == by:
            continue
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            continue  # a range ("10-15%") has no value
        mention = dating_mention(mentions, sentence, (start, cursor) if start >= 0 else None)
        points.append(
            Draft(
                figure=index,
                text=text[:60],
                imposed_by=by,
                imposed_on=on,
                basis=figure.get("basis") if figure.get("basis") in BASES else "",
                value=Decimal(str(value)).quantize(Decimal("0.01")),
                status=figure.get("status") if figure.get("status") in STATUSES else "",
                day=mention.date_start if mention else None,
                precision=mention.precision if mention else "day",
                dated_by="sentence" if mention else "",
            )
        )
    return points


def dating_mention(mentions, sentence: str, span: tuple[int, int] | None):
    """The mention that dates a figure: one in the figure's own clause, a day the rate
    takes effect from if the clause gives one, else the date nearest the figure. A year
    alone dates no rate ("last year"); nor does a date across a clause break.

    >>> from types import SimpleNamespace as M
    >>> s = "Trump threatened on Oct. 10 an extra 100% tariff from Nov. 1."
    >>> said = M(text="Oct. 10", start=20, end=27, precision="day")
    >>> effect = M(text="Nov. 1", start=54, end=60, precision="day")
    >>> dating_mention([said, effect], s, (37, 41)).text
    'Nov. 1'
    >>> s = "On 12 May they cut the 145% rate reached in April to 30%."
    >>> may = M(text="12 May", start=3, end=9, precision="day")
    >>> april = M(text="April", start=43, end=48, precision="month")
    >>> [dating_mention([may, april], s, span).text for span in [(23, 27), (52, 55)]]
    ['12 May', 'April']
    >>> s = "In April, the US raised its rate to 145%, and China took its own to 125%."
    >>> dating_mention([M(text="April", start=3, end=8, precision="month")], s, (69, 73)).text
    'April'
    >>> s = "The duty fell to 10%, and the pause now runs to Nov. 10, 2026."
    >>> print(dating_mention([M(text="Nov. 10, 2026", start=48, end=61, precision="day")],
    ...                      s, (17, 20)))
    None
    """
    mentions = [m for m in mentions if m.precision != "year"]
    if span is not None:
        mentions = [m for m in mentions if not _across_clauses(sentence, span, (m.start, m.end))]
    if not mentions:
        return None
    effective = [m for m in mentions if EFFECT_CUE.search(sentence[: m.start]) or _cued(m.text)]
    pool = effective or mentions
    if span is None:
        return pool[0]
    return min(pool, key=lambda m: (_distance(span, (m.start, m.end)), m.start))


def _across_clauses(sentence: str, figure: tuple[int, int], mention: tuple[int, int]) -> bool:
    """Whether a clause break lies between the figure and the date. A date that opens the
    sentence ("Beginning in April, …") sets the time of every clause joined to the first
    by a comma and a conjunction; a dash or a semicolon still ends its reach."""
    first, second = sorted((figure, mention))
    between = (first[1], max(first[1], second[0]))
    opening = mention[0] <= OPENING and not CLAUSE_BREAK.search(sentence, 0, mention[0])
    rule = STRONG_BREAK if opening else CLAUSE_BREAK
    return bool(rule.search(sentence, *between))


def _cued(text: str) -> bool:
    return bool(re.match(r"(?:from|starting|beginning|effective)\b", text, re.IGNORECASE))


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


# --- Writing: the pipeline's suggestions ----------------------------------------------


def refresh_points(article, claims=None, *, new: bool = False) -> int:
    """Suggest the points of one article's claims; returns how many rows changed.

    Suggested points are brought up to date with the claims' figures (added, changed,
    removed); confirmed, corrected and rejected points are the editors' and are left as
    they are. `claims`: the article's claims with their mentions, as the door just stored
    them (read when not given); `new`: the article was created in this transaction.
    """
    return refresh_points_of([(article, claims, new)])


def refresh_points_of(articles) -> int:
    """refresh_points for several articles at once, (article, claims or None, new) each:
    one write of each kind for them all."""
    wanted, old = {}, []
    for article, claims, new in articles:
        if claims is None:
            claims = article.claims.prefetch_related("mentions")
        if not new:
            old.append(article)
        for claim in claims:
            if claim.anchor_state == Claim.AnchorState.ORPHANED or not claim.figures:
                continue
            for draft in read_points(claim.figures, claim.sentence, claim.mentions.all()):
                wanted[claim.pk, draft.figure] = (claim, draft)
    existing = (
        {(p.claim_id, p.figure): p for p in TariffPoint.objects.filter(claim__article__in=old)}
        if old
        else {}
    )
    stale = [
        point.pk
        for key, point in existing.items()
        if point.state == TariffPoint.State.SUGGESTED and key not in wanted
    ]
    added, changed, now = [], [], timezone.now()
    for key, (claim, draft) in wanted.items():
        point = existing.get(key)
        if point is None:
            point = TariffPoint(claim=claim, figure=draft.figure)
            added.append(point)
        elif point.state != TariffPoint.State.SUGGESTED:
            continue  # an editor's decision stands
        elif all(getattr(point, name) == getattr(draft, name) for name in REFRESHED[:-1]):
            continue
        else:
            changed.append(point)
        for name in REFRESHED[:-1]:
            setattr(point, name, getattr(draft, name))
        point.updated = now
    # Inside the ingest's transaction (all or nothing with it): no savepoint of its own.
    if stale:
        TariffPoint.objects.filter(pk__in=stale).delete()  # each row in the history
    if added:
        bulk_create_with_history(added, TariffPoint, batch_size=500)
    if changed:
        bulk_update_with_history(changed, TariffPoint, REFRESHED, batch_size=500)
    if added or changed:
        content_changed.send(sender=TariffPoint)  # bulk writes send no model signal
    return len(stale) + len(added) + len(changed)


def decide_points(points, state: str, *, user=None) -> int:
    """An editor confirms or rejects points; their claims become reviewed, so a later
    correction of the report keeps them (and with them the decision)."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(TariffPoint.objects.select_for_update().filter(pk__in=[p.pk for p in points]))
        for point in rows:
            point.state, point.decided_by, point.updated = state, user, now
        fields = ["state", "decided_by", "updated"]
        bulk_update_with_history(rows, TariffPoint, fields, batch_size=500)
        mark_reviewed(Claim.objects.filter(tariff_points__in=rows))
    content_changed.send(sender=TariffPoint)
    return len(rows)


# --- Reading: the points as the page shows them -----------------------------------------


@dataclass(frozen=True)
class Reading:
    """A drawn point with the day it applies, resolved: one source's figure. The point
    is one of TariffPoint.objects.drawn(), which carries its claim's and report's values."""

    point: TariffPoint
    day: date
    precision: str
    dated_by: str  # "the sentence", "an editor", "the event …", "the report"

    @property
    def url(self) -> str:
        """The point's sentence, highlighted on its report's page."""
        return claim_url(self.point.article_slug, self.point.claim_id)

    @property
    def sentence(self) -> str:
        return self.point.sentence

    @property
    def outlet(self) -> str:
        return self.point.outlet_name

    @property
    def published(self) -> date:
        return self.point.published

    @property
    def value(self) -> Decimal:
        return self.point.value

    @property
    def rate(self) -> str:
        return percent(self.point.value)

    @property
    def when(self) -> str:
        return describe_period(self.day, self.precision)

    @property
    def panel_key(self) -> str:
        return self.point.imposed_by

    @property
    def series_key(self) -> tuple[str, str]:
        return self.point.imposed_by, self.point.basis

    @property
    def on_whom(self) -> str:
        return self.point.imposed_on or "not said"

    @property
    def checked(self) -> str:
        """Whose reading this is: an editor's, or the pipeline's still to be checked."""
        if self.point.state == TariffPoint.State.SUGGESTED:
            return "not yet checked"
        return f"{self.point.get_state_display()} by an editor"


def percent(value: Decimal) -> str:
    """'145%', '7.5%'.

    >>> percent(Decimal("145.00")), percent(Decimal("7.50"))
    ('145%', '7.5%')
    """
    return f"{value.normalize():f}%"


def readings(points) -> list[Reading]:
    """Each drawn point (a TariffPoint.objects.drawn() queryset) with its day: its own,
    else the earliest event the claim is accepted evidence for, else the report's
    publication date. Two queries."""
    events = points.dating_events()
    result = []
    for point in points:
        if point.day is not None:
            by = "an editor" if point.dated_by == TariffPoint.DatedBy.EDITOR else "the sentence"
            result.append(Reading(point, point.day, point.precision, by))
        elif point.claim_id in events:
            start, precision, title = events[point.claim_id]
            result.append(Reading(point, start, precision, f"the event: {title}"))
        else:
            result.append(Reading(point, point.published, "day", "the report"))
    return result

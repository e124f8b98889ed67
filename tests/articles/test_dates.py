"""articles.pipeline.dates: date mentions found in news sentences and resolved against publication.

The hand-checked gold file of the seed reports is the yardstick (recall must be 100%); the
hard cases beyond it are named as the rule they pin down.
"""

import calendar
import collections
import doctest
import json
import random
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import articles.pipeline.dates
from articles.pipeline.casefold import FOLDS_TO_ASCII, folds_to_ascii, for_lowered, lowered
from articles.pipeline.dates import (
    Context,
    DateMatch,
    Known,
    explain,
    explaining,
    find_dates,
    finding,
    periods,
    rules,
    tense,
)
from articles.pipeline.dates.patterns import MONTH_NAMES, WEEKDAY_NAMES, YEAR
from articles.pipeline.vocabulary import PLACES
from tests.seeds import SEED_REPORTS, load_gold

DATA = Path(__file__).resolve().parents[1] / "data"

MON = date(2025, 10, 27)  # Monday
WED = date(2025, 10, 29)
FRI = date(2025, 10, 31)
SAT = date(2025, 10, 25)
SUN = date(2025, 10, 26)


def gold_mentions() -> list[dict]:
    """Every gold mention, flattened, with its report's publication date."""
    gold = load_gold()
    return [
        {**mention, "published": date.fromisoformat(report["published"]), "file": report["file"]}
        for report in gold["reports"]
        for mention in report["mentions"]
    ]


GOLD = gold_mentions()


def gold_range(mention: dict) -> tuple[date, date, str]:
    """What the gold says: (first day, last day, kind) with kind 'day', 'month' or 'span'."""
    to = mention["resolves_to"]
    if mention.get("resolves_to_end"):
        return date.fromisoformat(to), date.fromisoformat(mention["resolves_to_end"]), "span"
    if len(to) == 7:  # YYYY-MM: somewhere in that month
        year, month = map(int, to.split("-"))
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month"
    return date.fromisoformat(to), date.fromisoformat(to), "day"


def resolves_right(match: DateMatch, mention: dict) -> bool:
    """The scoring rule: overlap the gold words and resolve to the gold date(s)."""
    first, last, kind = gold_range(mention)
    if kind == "span":
        return (match.date_start, match.date_end) == (first, last)
    if kind == "month":
        return match.date_start <= last and match.date_end >= first
    return match.date_start <= first <= match.date_end


def found_in_sentence(mention: dict) -> list[DateMatch]:
    """The matches of the gold sentence that overlap the gold words and resolve right."""
    sentence = mention["sentence"]
    start = sentence.index(mention["mention"])
    end = start + len(mention["mention"])
    matches = find_dates(sentence, mention["published"])
    return [m for m in matches if m.start < end and start < m.end and resolves_right(m, mention)]


def only(text: str, published: date) -> DateMatch:
    matches = find_dates(text, published)
    assert len(matches) == 1, matches
    return matches[0]


def texts(text: str, published: date) -> list[str]:
    return [m.text for m in find_dates(text, published)]


def test_module_examples():
    for module in (articles.pipeline.dates, finding, explaining, periods):
        assert doctest.testmod(module).failed == 0, module.__name__


# --- The gold set --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mention", [pytest.param(m, id=f"{m['file'][:3]}-{m['mention']}") for m in GOLD]
)
def test_gold_mention_is_found_and_resolved_right(mention):
    matches = find_dates(mention["sentence"], mention["published"])
    explained = [explain(m, mention["published"]) for m in matches]
    assert found_in_sentence(mention), (mention["mention"], mention["resolves_to"], explained)


def test_recall_on_the_gold_set_is_complete(capsys):
    hits = [bool(found_in_sentence(m)) for m in GOLD]
    recall = sum(hits) / len(hits)
    with capsys.disabled():
        print(f"\ndates gold recall: {sum(hits)}/{len(hits)} = {recall:.0%}")
    missed = [m["mention"] for m, hit in zip(GOLD, hits, strict=True) if not hit]
    assert recall == 1.0, missed


def test_gold_mentions_start_in_the_gold_month():
    # Month-level gold: the match should not merely overlap the month but begin in it where
    # the words name that month ("since May", "this month", "earlier this month").
    for mention in GOLD:
        first, last, kind = gold_range(mention)
        if kind != "month" or "year" in mention["mention"]:
            continue  # "earlier in the year" is a stretch of the year, checked by overlap
        (match,) = found_in_sentence(mention)
        assert first <= match.date_start <= last, mention["mention"]


def test_every_match_in_the_seed_reports_is_well_formed():
    for path in SEED_REPORTS:
        raw = path.read_text(encoding="utf-8")
        published = date.fromisoformat(re.search(r"Published:\s*(\S+)", raw).group(1)[:10])
        for sentence in re.split(r"(?<=[.!?])\s+|\n", raw.split("\n\n", 1)[1]):
            matches = find_dates(sentence, published)
            for m in matches:
                assert sentence[m.start : m.end] == m.text
                assert m.date_start <= m.date_end
                assert m.precision in ("day", "week", "month", "quarter", "year")
                assert m.method in ("absolute", "relative", "tense", "context")
                assert "→" in explain(m, published)
            assert all(a.end <= b.start for a, b in zip(matches, matches[1:], strict=False))


# --- Not dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The two world superpowers, according to Reuters, may be inching closer to a truce.",
        "Kennedy said both sides may simply agree to extend the current arrangements.",
        "China is likely to postpone its new rare earth licensing policy by at least one year.",
        "Beijing is likely to delay its new rare-earth export controls for at least a year.",
        "The Geneva deal set a 90-day truce, giving both sides 90 days to negotiate.",
        "Farmers will feel good for years ahead.",
        "After three weeks of talks and several months of calm, the truce held.",
        "Relations have become more competitive over the past several years.",
        "These are issues that have been central to American complaints for decades.",
        "It wants the summit to be the first of several engagements across the next year.",
        "Over the next year, the sides will meet often, as they did over the last month.",
        "Trump threatened 100% tariffs after the US hit Beijing with 145% tariffs and a 20% levy.",
        "Chinese state media reported that H-6K bombers conducted confrontation drills.",
        "Follow-up meetings might take place in the coming months.",
        "Recent weeks saw renewed sanctions, and recent months more of the same.",
        "Protesters plan to march on the capital, and March Madness began.",
        "Theresa May’s government fell, and April Jones and June Smith agreed.",
        "Temperatures range from -20°C to 60°C for 2025 models priced at $2025.",
        "Tariffs fell 10 percent to 55% and China’s to roughly 10%.",
        "The rivalry is likely to shape global politics for years to come.",
        "Black Friday sales were strong.",
        "Follow-up talks could be held in the coming days.",
        "The outline was agreed in three days of talks.",
        "Christmas shoppers bought fewer US toys, and the Thanksgiving holiday was quiet.",
        "The first half of the negotiations went badly, as first-half figures showed.",
        "Analysts watch the fiscal year-end of the retailer.",
    ],
)
def test_no_date_in_sentences_that_only_hold_durations_modal_may_or_percentages(sentence):
    assert find_dates(sentence, MON) == []


# --- Weekdays ------------------------------------------------------------------------------


def test_bare_weekday_in_past_tense_is_the_day_before_publication():
    m = only("Officials held fresh talks on Sunday in Kuala Lumpur.", MON)
    assert (m.text, m.date_start, m.method, m.precision) == ("on Sunday", SUN, "tense", "day")


def test_bare_weekday_in_past_tense_published_that_same_day_is_publication_day():
    m = only("Speaking at a forum on Saturday, the ambassador characterized the region.", SAT)
    assert (m.text, m.date_start) == ("on Saturday", SAT)


def test_bare_weekday_in_future_tense_is_the_next_such_day():
    m = only("The two presidents are expected to meet Thursday in South Korea.", MON)
    assert (m.text, m.date_start, m.method) == ("Thursday", date(2025, 10, 30), "tense")


def test_agreed_to_meet_points_forward_from_the_past_verb():
    assert only("Trump and Xi agreed to meet Thursday.", MON).date_start == date(2025, 10, 30)


def test_passive_future_is_future_even_though_the_participle_looks_past():
    assert only("The meeting will be held on Thursday.", MON).date_start == date(2025, 10, 30)


def test_each_weekday_follows_the_verb_nearest_to_it():
    said, meet = find_dates("Trump said on Sunday that he will meet Xi on Thursday.", MON)
    assert said.date_start == SUN
    assert meet.date_start == date(2025, 10, 30)


def test_weekday_in_an_introductory_phrase_takes_the_main_verb_tense():
    assert only("On Friday, officials convened in Kuala Lumpur.", MON).date_start == date(
        2025, 10, 24
    )


def test_bare_weekday_with_no_tense_cue_is_the_nearer_occurrence():
    assert only("Trump meets Xi Thursday.", MON).date_start == date(2025, 10, 30)
    assert only("Trump meets Xi Saturday.", MON).date_start == SAT


def test_this_weekday_is_the_next_on_or_after_publication():
    m = only("Trump and Xi prepare for talks this Thursday.", WED)
    assert (m.text, m.date_start, m.method) == ("this Thursday", date(2025, 10, 30), "relative")
    assert only("They meet this Wednesday.", WED).date_start == WED


def test_this_weekday_in_past_tense_is_that_day_of_the_publication_week():
    assert only("Talks were held this Monday.", WED).date_start == MON


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (MON, date(2025, 11, 7)),  # Monday: the Friday of next week, not this one
        (FRI, date(2025, 11, 7)),  # Friday: a week on
        (SAT, date(2025, 10, 31)),  # Saturday: the coming Friday is already next week's
    ],
)
def test_next_friday_is_the_friday_of_the_following_week(published, expected):
    m = only("He will travel next Friday.", published)
    assert (m.text, m.date_start, m.method) == ("next Friday", expected, "relative")


def test_last_friday_is_the_most_recent_friday_strictly_before_publication():
    assert only("He said last Friday that talks were over.", MON).date_start == date(2025, 10, 24)
    assert only("He said last Friday that talks were over.", FRI).date_start == date(2025, 10, 24)


def test_on_is_included_before_a_weekday_but_not_before_a_month_day():
    assert texts("Talks were held on Sunday.", MON) == ["on Sunday"]
    assert texts("The truce expiring on November 10 could be extended.", MON) == ["November 10"]
    assert texts("The two presidents are expected to meet Thursday.", MON) == ["Thursday"]


def test_two_weekdays_are_one_span_only_when_consecutive_or_a_range():
    sat = date(2025, 11, 1)
    assert texts("They met on Monday and Thursday.", sat) == ["on Monday", "Thursday"]
    [span] = find_dates("Talks ran from Tuesday to Thursday.", sat)
    assert (span.date_start, span.date_end) == (date(2025, 10, 28), date(2025, 10, 30))


def test_weekday_with_its_date_is_one_absolute_mention():
    m = only("The summit opens on Thursday, October 30, in Gyeongju.", MON)
    assert (m.text, m.date_start, m.method) == (
        "Thursday, October 30",
        date(2025, 10, 30),
        "absolute",
    )


# --- Weekends and weeks --------------------------------------------------------------------


def test_over_the_weekend_is_the_weekend_before_publication():
    m = only("Following negotiations over the weekend, Bessent said both sides may agree.", WED)
    assert (m.text, m.date_start, m.date_end, m.precision) == (
        "over the weekend",
        SAT,
        SUN,
        "week",
    )


def test_sunday_publication_weekend_includes_publication_day():
    m = only("Officials met over the weekend in Kuala Lumpur.", SUN)
    assert (m.date_start, m.date_end) == (SAT, SUN)


def test_over_the_weekend_in_a_future_clause_is_the_coming_weekend():
    m = only("The talks will continue over the weekend.", date(2025, 10, 24))
    assert (m.date_start, m.date_end) == (SAT, SUN)


def test_this_weekend_follows_the_tense():
    assert only("They will meet this weekend.", MON).date_start == date(2025, 11, 1)
    assert only("They met this weekend.", MON).date_start == SAT


def test_last_and_next_weekend():
    assert only("They met last weekend.", MON).date_start == SAT
    assert only("They met last weekend.", SUN).date_start == date(2025, 10, 18)
    assert only("They meet next weekend.", MON).date_start == date(2025, 11, 8)


def test_later_this_week_runs_from_the_day_after_publication_to_sunday():
    m = only("The leaders will review it later this week.", MON)
    assert (m.date_start, m.date_end, m.precision) == (
        date(2025, 10, 28),
        date(2025, 11, 2),
        "week",
    )


def test_saturday_publication_later_this_week_is_the_coming_week():
    m = only("A make-or-break summit is due later this week.", SAT)
    assert (m.date_start, m.date_end) == (MON, date(2025, 11, 2))


def test_sunday_publication_this_week_is_the_coming_week():
    m = only("The leaders will meet this week.", SUN)
    assert (m.date_start, m.date_end) == (MON, date(2025, 11, 2))


def test_earlier_this_week_is_monday_to_the_day_before_publication():
    m = only("Talks began earlier this week.", FRI)
    assert (m.date_start, m.date_end) == (MON, date(2025, 10, 30))
    m = only("Talks began earlier this week.", SAT)
    assert (m.date_start, m.date_end) == (date(2025, 10, 20), date(2025, 10, 24))


@pytest.mark.parametrize("apostrophe", ["’", "'"])
def test_possessive_is_kept_in_the_mention(apostrophe):
    sentence = f"Taiwan should not worry about this week{apostrophe}s negotiations."
    m = only(sentence, WED)
    assert m.text == f"this week{apostrophe}s"
    assert (m.date_start, m.date_end) == (MON, date(2025, 11, 2))


def test_next_and_last_week_across_the_new_year():
    new_years_eve = date(2025, 12, 31)
    next_week, last_week = find_dates("Talks next week follow those of last week.", new_years_eve)
    assert (next_week.date_start, next_week.date_end) == (date(2026, 1, 5), date(2026, 1, 11))
    assert (last_week.date_start, last_week.date_end) == (date(2025, 12, 22), date(2025, 12, 28))


# --- Months --------------------------------------------------------------------------------


def test_month_day_without_year_rolls_into_next_year_in_late_december():
    m = only("Talks will resume January 5 in Geneva.", date(2025, 12, 20))
    assert m.date_start == date(2026, 1, 5)


def test_month_day_without_year_rolls_back_into_last_year_in_early_january():
    m = only("The deal was signed on December 28.", date(2026, 1, 3))
    assert m.date_start == date(2025, 12, 28)


def test_far_month_day_follows_the_tense_or_stays_in_the_publication_year():
    assert only("Tariffs announced on April 2 shook markets.", MON).date_start == date(2025, 4, 2)
    assert only("Trump will visit Beijing on April 2.", MON).date_start == date(2026, 4, 2)
    assert only("The deal was signed on June 1.", date(2026, 1, 3)).date_start == date(2025, 6, 1)


@pytest.mark.parametrize(
    ("sentence", "mention", "expected"),
    [
        ("Beijing announced the controls on Oct. 9.", "Oct. 9", date(2025, 10, 9)),
        ("The controls date from 9 October 2025.", "from 9 October 2025", date(2025, 10, 9)),
        ("It began on October 9th, 2025, they said.", "October 9th, 2025", date(2025, 10, 9)),
        ("The notice is dated 2025-10-09.", "2025-10-09", date(2025, 10, 9)),
        ("The 10th of November is the deadline.", "10th of November", date(2025, 11, 10)),
        ("Tariffs start Nov. 1 unless talks succeed.", "Nov. 1", date(2025, 11, 1)),
        ("The rule takes effect on November 1, 2026.", "November 1, 2026", date(2026, 11, 1)),
        ("The truce runs until 10 November 2025.", "until 10 November 2025", date(2025, 11, 10)),
    ],
)  # fmt: skip
def test_explicit_dates_in_their_usual_spellings(sentence, mention, expected):
    m = only(sentence, MON)
    assert (m.text, m.date_start, m.date_end, m.method) == (mention, expected, expected, "absolute")


def test_from_to_range_is_one_span():
    m = only("The truce ran from May 12 to August 12.", MON)
    assert (m.text, m.date_start, m.date_end, m.precision) == (
        "from May 12 to August 12",
        date(2025, 5, 12),
        date(2025, 8, 12),
        "day",
    )


def test_between_two_months_is_one_span_of_months():
    m = only("Between April and June exports fell.", MON)
    assert (m.date_start, m.date_end, m.precision) == (date(2025, 4, 1), date(2025, 6, 30), "month")


def test_range_across_the_new_year_ends_in_the_next_year():
    m = only("The holiday truce runs from December 20 to January 5.", date(2025, 12, 1))
    assert (m.date_start, m.date_end) == (date(2025, 12, 20), date(2026, 1, 5))


def test_two_days_joined_by_a_dash_are_one_span_across_months():
    m = only("APEC leaders' week runs Oct. 31–Nov. 1 in Gyeongju.", MON)
    assert (m.text, m.date_start, m.date_end) == ("Oct. 31–Nov. 1", FRI, date(2025, 11, 1))


def test_from_to_after_a_change_verb_is_two_dates():
    matches = find_dates("The truce was extended from August 12 to November 10.", MON)
    assert [(m.date_start, m.date_end) for m in matches] == [
        (date(2025, 8, 12), date(2025, 8, 12)),
        (date(2025, 11, 10), date(2025, 11, 10)),
    ]


@pytest.mark.parametrize(
    ("sentence", "first", "last"),
    [
        ("Negotiators met in Geneva on May 10-11.", date(2025, 5, 10), date(2025, 5, 11)),
        ("Talks in Kuala Lumpur on 25–26 October went well.", SAT, SUN),
        ("The summit falls on Oct. 30 and 31.", date(2025, 10, 30), date(2025, 10, 31)),
    ],
)
def test_short_day_ranges(sentence, first, last):
    m = only(sentence, MON)
    assert (m.date_start, m.date_end) == (first, last)


def test_since_a_month_is_that_month_in_the_publication_year():
    m = only("Tensions have simmered since April.", MON)
    assert (m.text, m.date_start, m.date_end, m.precision) == (
        "since April",
        date(2025, 4, 1),
        date(2025, 4, 30),
        "month",
    )


def test_since_a_later_month_is_that_month_last_year():
    assert only("Tensions have simmered since April.", date(2026, 3, 2)).date_start == date(
        2025, 4, 1
    )


def test_bare_month_follows_the_tense():
    assert only("Trump will visit China in April.", MON).date_start == date(2026, 4, 1)
    assert only("Exports collapsed in December.", MON).date_start == date(2024, 12, 1)


def test_last_and_next_month_names():
    assert only("They first met last November.", MON).date_start == date(2024, 11, 1)
    assert only("They will meet next March.", MON).date_start == date(2026, 3, 1)


def test_early_mid_late_month_narrow_the_span():
    early, mid, late = find_dates("Tariffs rose in early May, mid-June and late July.", MON)
    assert (early.date_start, early.date_end) == (date(2025, 5, 1), date(2025, 5, 10))
    assert (mid.date_start, mid.date_end) == (date(2025, 6, 11), date(2025, 6, 20))
    assert (late.date_start, late.date_end) == (date(2025, 7, 21), date(2025, 7, 31))
    assert {early.precision, mid.precision, late.precision} == {"month"}


def test_may_is_a_month_only_in_a_date_context():
    assert texts("Talks may resume.", MON) == []
    assert texts("May was a good month for exports.", MON) == []
    assert texts("In May, the two sides met in Geneva.", MON) == ["In May"]
    assert texts("The May truce cut tariffs.", MON) == ["May"]
    assert texts("The truce of May 12 held.", MON) == ["May 12"]
    assert texts("Tariffs fell in May 2025.", MON) == ["in May 2025"]
    assert texts("The deal may be signed in March.", MON) == ["in March"]


def test_earlier_in_a_month_runs_to_the_day_before_publication():
    m = only("Earlier in October, Trump had threatened to cancel the meeting.", WED)
    assert (m.text, m.date_start, m.date_end) == (
        "Earlier in October",
        date(2025, 10, 1),
        date(2025, 10, 28),
    )


def test_month_and_year():
    m = only("The Phase One deal of January 2020 was a start.", MON)
    assert (m.text, m.date_start, m.date_end) == (
        "January 2020",
        date(2020, 1, 1),
        date(2020, 1, 31),
    )


# --- Relative months, quarters and years ---------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "first", "last", "precision"),
    [
        ("It happened this month.", date(2025, 10, 1), date(2025, 10, 31), "month"),
        ("It happened earlier this month.", date(2025, 10, 1), date(2025, 10, 26), "month"),
        ("It happens later this month.", date(2025, 10, 28), date(2025, 10, 31), "month"),
        ("It happened last month.", date(2025, 9, 1), date(2025, 9, 30), "month"),
        ("It happens next month.", date(2025, 11, 1), date(2025, 11, 30), "month"),
        ("It happens by the end of the month.", date(2025, 10, 21), date(2025, 10, 31), "month"),
        ("It happened this year.", date(2025, 1, 1), date(2025, 12, 31), "year"),
        ("It happened last year.", date(2024, 1, 1), date(2024, 12, 31), "year"),
        ("It happens next year.", date(2026, 1, 1), date(2026, 12, 31), "year"),
        ("It happens early next year.", date(2026, 1, 1), date(2026, 4, 30), "year"),
        ("It happened last quarter.", date(2025, 7, 1), date(2025, 9, 30), "quarter"),
        ("It happens next quarter.", date(2026, 1, 1), date(2026, 3, 31), "quarter"),
    ],
)
def test_relative_months_quarters_and_years(sentence, first, last, precision):
    m = only(sentence, MON)
    assert (m.date_start, m.date_end, m.precision, m.method) == (first, last, precision, "relative")


def test_later_this_year_runs_from_the_day_after_publication_to_december_31():
    m = only("The planned summit between the presidents comes later this year.", SAT)
    assert (m.text, m.date_start, m.date_end, m.precision) == (
        "later this year",
        SUN,
        date(2025, 12, 31),
        "year",
    )


def test_earlier_in_the_year_runs_from_january_1_to_the_day_before_publication():
    m = only(
        "After months of calm following a truce earlier in the year, both sides hardened.", SAT
    )
    assert (m.text, m.date_start, m.date_end) == (
        "earlier in the year",
        date(2025, 1, 1),
        date(2025, 10, 24),
    )


def test_last_month_and_next_month_across_the_new_year():
    assert only("It happened last month.", date(2026, 1, 15)).date_start == date(2025, 12, 1)
    assert only("It happens next month.", date(2025, 12, 15)).date_start == date(2026, 1, 1)


def test_in_2024_is_the_whole_year():
    m = only("Tariffs rose sharply in 2024.", MON)
    assert (m.text, m.date_start, m.date_end, m.precision, m.method) == (
        "in 2024",
        date(2024, 1, 1),
        date(2024, 12, 31),
        "year",
        "absolute",
    )


def test_a_bare_number_that_could_be_a_year_is_not_a_date():
    assert texts("The 2025 models sold 2019 units.", MON) == []


def test_q3_and_the_third_quarter_are_quarters():
    q3, third = find_dates("Exports fell in Q3, as in the third quarter of 2024.", MON)
    assert (q3.text, q3.date_start, q3.date_end, q3.precision) == (
        "Q3",
        date(2025, 7, 1),
        date(2025, 9, 30),
        "quarter",
    )
    assert (third.text, third.date_start, third.date_end) == (
        "in the third quarter of 2024",
        date(2024, 7, 1),
        date(2024, 9, 30),
    )


def test_half_years():
    first, second = find_dates(
        "Talks are expected in the first half of 2026, after a weak second half of the year.", MON
    )
    assert (first.text, first.date_start, first.date_end) == (
        "in the first half of 2026",
        date(2026, 1, 1),
        date(2026, 6, 30),
    )
    assert (second.date_start, second.date_end) == (date(2025, 7, 1), date(2025, 12, 31))
    assert texts("The second half of the match was dull, as H1-B visa rules.", MON) == []


def test_a_past_quarter_not_yet_begun_is_last_years():
    m = only("GDP grew in the fourth quarter.", date(2026, 1, 20))
    assert (m.date_start, m.date_end) == (date(2025, 10, 1), date(2025, 12, 31))


def test_the_next_year_is_a_stretch_of_time_but_next_year_is_a_date():
    assert texts("Talks will continue across the next year.", MON) == []
    assert texts("Talks will continue next year.", MON) == ["next year"]


def test_yesterday_today_tomorrow_and_ago():
    matches = find_dates("Yesterday he said today that talks three days ago went well.", MON)
    assert [(m.text, m.date_start) for m in matches] == [
        ("Yesterday", SUN),
        ("today", MON),
        ("three days ago", date(2025, 10, 24)),
    ]


# --- The result as a whole -----------------------------------------------------------------


def test_results_are_sorted_non_overlapping_and_prefer_the_longest():
    sentence = "The truce paused duties through November 10, since April, and later this week."
    matches = find_dates(sentence, MON)
    assert [m.text for m in matches] == ["through November 10", "since April", "later this week"]
    for m in matches:
        assert sentence[m.start : m.end] == m.text
    assert all(a.end <= b.start for a, b in zip(matches, matches[1:], strict=False))


def test_publication_may_be_given_as_a_datetime():
    assert find_dates("Talks were held on Sunday.", datetime(2025, 10, 27, 9, 30)) == find_dates(
        "Talks were held on Sunday.", MON
    )


def test_explicit_dates_are_parsed_once_per_candidate_and_publication():
    rules.parse_explicit.cache_clear()
    for _ in range(3):
        find_dates("The truce expires on November 10.", MON)
    info = rules.parse_explicit.cache_info()
    assert (info.misses, info.hits) == (1, 2)


# --- Explanations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        (
            "Trump and Xi prepare for talks this Thursday.",
            MON,
            "this Thursday → Thu 30 Oct 2025, relative to publication on Mon 27 Oct 2025",
        ),
        (
            "Trade tensions have simmered since April.",
            MON,
            "since April → April 2025 (month), publication year",
        ),
        (
            "The talks over the weekend sparked optimism.",
            MON,
            "over the weekend → Sat 25 – Sun 26 Oct 2025, "
            "the weekend before publication on Mon 27 Oct 2025",
        ),
        (
            "Officials held talks on Sunday.",
            MON,
            "on Sunday → Sun 26 Oct 2025, the Sunday before publication on Mon 27 Oct 2025 "
            "(past tense)",
        ),
        (
            "The leaders will review it later this week.",
            MON,
            "later this week → Tue 28 Oct – Sun 2 Nov 2025, relative to publication on "
            "Mon 27 Oct 2025",
        ),
        (
            "Talks will resume January 5.",
            date(2025, 12, 20),
            "January 5 → Mon 5 Jan 2026, the next 5 January after publication on Sat 20 Dec 2025",
        ),
        ("Tariffs rose in 2024.", MON, "in 2024 → 2024 (year), as written"),
        ("Exports fell in Q3.", MON, "Q3 → Q3 2025 (quarter), publication year"),
    ],
)
def test_explain_says_what_the_words_resolve_to_and_why(sentence, published, expected):
    assert explain(only(sentence, published), published) == expected


# --- the ends of the calendar --------------------------------------------------------------
# datetime.date runs from 1 January of year 1 to 31 December 9999. A relative date that
# resolves beyond either end used to raise OverflowError or ValueError out of find_dates
# (and so out of the whole ingest); such a mention is now simply not resolved.


@pytest.mark.parametrize(
    "sentence, published",
    [
        ("Prices rose last year.", date(1, 1, 5)),
        ("Talks resume next month.", date(9999, 12, 20)),
        ("Talks resume next year.", date(9999, 12, 20)),
        ("They meet next week.", date(9999, 12, 28)),
        ("They meet next Thursday.", date(9999, 12, 28)),
        ("They met last Thursday.", date(1, 1, 1)),
        ("It happens tomorrow.", date(9999, 12, 31)),
        ("It happened yesterday.", date(1, 1, 1)),
        ("It happened 10 days ago.", date(1, 1, 3)),
        ("It happened 12 months ago.", date(1, 1, 3)),
        ("They met over the weekend.", date(1, 1, 1)),
        ("They will meet this weekend.", date(9999, 12, 31)),
        ("Talks ended earlier this week.", date(1, 1, 1)),
        ("Growth in the fourth quarter was high.", date(1, 1, 1)),
        ("Next quarter will be better.", date(9999, 12, 31)),
        ("It is expected in H1.", date(9999, 12, 31)),
        ("The first half of next year looks weak.", date(9999, 12, 31)),
        ("It will happen in January.", date(9999, 12, 1)),
        ("Tariffs have risen since April.", date(1, 1, 1)),
        ("It closed December 28.", date(1, 1, 3)),
        ("It opens January 5.", date(9999, 12, 20)),
        ("It will not be settled in 10,000 years.", date(2025, 10, 27)),  # no date at all
    ],
)
def test_a_date_beyond_the_calendar_is_left_unresolved_instead_of_crashing(sentence, published):
    assert find_dates(sentence, published) == []


@pytest.mark.parametrize("published", [date(1, 1, 1), date(1, 1, 3), date(9999, 12, 31)])
def test_this_month_at_an_end_of_the_calendar_is_the_month_of_publication(published):
    # Near a month's edge "this month" may mean the month across it (see dates.context);
    # at either end of the calendar there is none, and the month of publication stands.
    [mention] = find_dates("This month the talks resume.", published)
    assert (mention.date_start.year, mention.date_start.month) == (published.year, published.month)
    assert [m.text for m in find_dates("They met earlier this month.", published)] in (
        [],  # on the 1st of January of year 1 nothing lies earlier in the calendar
        ["earlier this month"],
    )


def test_a_day_beyond_the_calendar_is_not_read_as_a_coarser_date_in_it_either():
    # "January 5" of a report of 20 December 9999 is 5 January 10000: not "January" 9999.
    assert find_dates("Talks open on January 5.", date(9999, 12, 20)) == []
    # Nor a range that runs off it, in part: its words are one mention, left unresolved.
    assert find_dates("The truce ran from December 20 to January 5.", date(9999, 12, 1)) == []


def test_a_date_inside_the_calendar_next_to_its_edge_is_still_resolved():
    [mention] = find_dates("Talks resume next month.", date(9999, 11, 20))
    assert (mention.date_start, mention.date_end) == (date(9999, 12, 1), date(9999, 12, 31))
    [mention] = find_dates("It happened yesterday.", date(1, 1, 2))
    assert mention.date_start == date(1, 1, 1)
    # The Sunday before the last day of the calendar (a Friday), though the one after is not.
    [mention] = find_dates("They met on Sunday.", date.max)
    assert mention.date_start == date(9999, 12, 26)
    # A yearless day in year 1 whose nearest year is year 1 itself.
    [mention] = find_dates("Talks resume on March 3.", date(1, 1, 3))
    assert mention.date_start == date(1, 3, 3)


def test_a_far_off_mention_in_an_ordinary_year_still_raises_its_errors():
    # Only at the ends of the calendar is a date error taken for "beyond the calendar";
    # anywhere else it is a bug, and must show.
    def broken(m, s):
        raise ValueError("a bug")

    original = finding.MATCHERS
    finding.MATCHERS = ((YEAR, broken),)
    try:
        with pytest.raises(ValueError, match="a bug"):
            find_dates("Tariffs rose in 2024.", MON)
        assert find_dates("Tariffs rose in 2024.", date(9999, 1, 1)) == []
    finally:
        finding.MATCHERS = original


def test_a_sentence_holds_the_gates_its_words_hold():
    # finding._Plan.held looks for the gates word by word (each distinct word once): it
    # must come to what looking for them in the whole sentence does.
    plan = finding._plan_of(finding.MATCHERS)
    pieces = ["x", "Q", "1", "19", "20", "2025", "1999", "day", *MONTH_NAMES, *WEEKDAY_NAMES]
    for gate in plan.gates:
        for string in (*getattr(gate, "words", ()), *getattr(gate, "strings", ())):
            pieces += [string, string.title(), string.upper()]
    blanks = [" ", "  ", "\n", "\t", "\xa0", "\u2009", "\u3000", "\x1c"]
    separators = ["", "", ",", "-", "’s ", *blanks]
    rng = random.Random(3)
    for _ in range(5000):
        parts = [rng.choice(pieces) + rng.choice(separators) for _ in range(rng.randint(1, 12))]
        text = "".join(parts)
        whole = plan._held(text, lowered(text))
        assert plan.held(text, lowered(text)) == whole, text
        assert plan._held(text, None) == whole, text  # the Words gates' regexes agree


@pytest.mark.parametrize("published", [date(2025, 1, 31), MON, date(2025, 12, 1)])
def test_a_bare_month_of_the_publication_month_needs_no_tense(published):
    # matchers.common._bare_month_direction does not read the tense for such a month.
    for direction in ("past", "future", "nearest", None):
        assert rules.month_year(published.month, published, direction) == published.year


_CUE_WORDS = (
    "will won't won’t shall would could not might should can must going to expected expects "
    "expect expecting set for slated scheduled is are be am due on plans plan a an another "
    "planned planning intends intend aims aim hopes hope upcoming forthcoming ahead of prepare "
    "prepares preparing poised awaits await awaiting meet sign visit travel attend host "
    "reconvene we’ll it'll ll was were had did didn't wasn’t weren't hadn’t has have already "
    "also now just recently since previously reportedly been talked taken x Will HAS "
).split() + list(tense._PAST_VERBS)


def _cue_texts(rng: random.Random) -> list[str]:
    """The seed reports, and 3,000 texts of tense cue words run together every which way."""
    texts = [path.read_text(encoding="utf-8") for path in SEED_REPORTS]
    for _ in range(3000):
        words = rng.choices(_CUE_WORDS, k=rng.randint(1, 10))
        texts.append("".join(w + rng.choice(("", " ", "  ", ", ", "\n", "-", "’")) for w in words))
    return texts


@pytest.mark.parametrize(
    ("pattern", "plain"),
    [
        (
            tense.FUTURE_CUE,
            rf"\b(?:{'|'.join(tense._FUTURE_WORDS)})\b|\b\w+['’]ll\b",
        ),
        (tense.PAST_AUXILIARY, rf"\b(?:{'|'.join(tense._PAST_AUXILIARIES)})\b"),
        (tense.PAST_VERB, rf"\b(?:{'|'.join(tense._PAST_VERBS)})\b"),
    ],
    ids=("future", "past auxiliary", "past verb"),
)
def test_the_tense_cues_by_first_letter_find_what_their_plain_alternation_finds(pattern, plain):
    plain = re.compile(plain, pattern.flags)
    texts = _cue_texts(random.Random(11))
    for text in texts:
        assert [m.span() for m in pattern.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ], text


def test_the_future_cues_of_a_text_with_no_ll_are_its_future_words():
    # tense_cues reads a lowered sentence with no "'ll" for the future words alone.
    texts = _cue_texts(random.Random(23))
    texts += [text.replace("ll", "LL") for text in texts]
    for text in texts:
        low = lowered(text)
        if low is None or "'ll" in low or "’ll" in low:
            continue
        assert [m.span() for m in tense.FUTURE_CUE.finditer(text)] == [
            m.span() for m in tense._FUTURE_WORD_LOWERED.finditer(low)
        ], text


@pytest.mark.parametrize("cue", tense.HELD, ids=lambda cue: cue.pattern[:30])
def test_every_match_of_a_tense_cue_holds_a_word_it_is_looked_for_by(cue):
    # tense_cues does not scan a sentence for a cue when it lacks all of the cue's HELD words.
    texts = _cue_texts(random.Random(13))
    for text in texts:
        for m in cue.finditer(text):
            assert any(word in m.group().lower() for word in tense.HELD[cue]), m.group()


# The plain reading of a clause's words: those that open one, and those that close one.
CLAUSE_BEFORE = re.compile(rf"\b(?:{tense._CLAUSE_WORDS})\b", re.IGNORECASE)
CLAUSE_AFTER = re.compile(rf"\b(?:{tense._CLAUSE_WORDS}|to|he|she|they|we|it)\b", re.IGNORECASE)


def test_the_words_of_a_clause_are_found_reading_the_clause_alone():
    # Sentence.own_clause looks for clause words in the clause only, both kinds in one scan
    # (_CLAUSE_EITHER): it must come to what looking for each kind in the whole sentence does.
    rng = random.Random(17)
    words = (
        "that which and but to he it since after was said x ıt THAT , ; : ( “ ” — – - whom whose"
        " when where while whereas because although though unless whether if once before until"
        " she they we We TO toe the hex itself"
    )
    pieces = [*words.split(), " - ", "Monday"]
    for _ in range(1500):
        parts = [rng.choice(pieces) + rng.choice(("", " ", "  ", "\n")) for _ in range(12)]
        text = "".join(parts[: rng.randint(1, 12)])
        low = lowered(text)
        read, before, after = (
            (text, CLAUSE_BEFORE, CLAUSE_AFTER)
            if low is None
            else (low, for_lowered(CLAUSE_BEFORE), for_lowered(CLAUSE_AFTER))
        )
        spans = [m.span() for m in before.finditer(read)]
        afters = [m.start() for m in after.finditer(read)]
        sentence = tense.Sentence(text, MON)
        for start in range(len(text)):
            end = min(len(text), start + rng.randint(1, 8))
            left, right = sentence.clause(start, end)
            opened = [s for s, e in spans if e <= start]
            if opened and opened[-1] > left:
                left = opened[-1]
            closing = [a for a in afters if a >= end]
            if closing and closing[0] < right:
                right = closing[0]
            assert sentence.own_clause(start, end) == (left, right), (text, start, end)


def test_an_anchored_date_says_what_it_counts_from():
    monday = date(2025, 11, 3)
    [_, nxt] = find_dates("The minister said on Thursday that talks resume next month.", monday)
    assert explain(nxt, monday) == (
        "next month → November 2025 (month), relative to the statement made on Thu 30 Oct 2025"
    )


@pytest.mark.parametrize(
    "sentence",
    ["Exports fall every winter.", "Prices fall as supplies spring back.", "A summer job."],
)
def test_a_season_word_that_is_not_a_date_is_left_alone(sentence):
    assert find_dates(sentence, date(2025, 6, 1)) == []


# --- The hand-checked table ----------------------------------------------------------------
# tests/data/date_expressions.json: each expression with its publication date, its sentence,
# its words and the span it must resolve to, worked out by hand with a calendar, grouped by
# the class of reading it pins down (a weekday by tense, the report's own week, compounds,
# seasons, statements with their own day, parts of the year, explicit and relative days).

TABLE = json.loads((DATA / "date_expressions.json").read_text(encoding="utf-8"))["expressions"]


def row_context(row: dict) -> Context:
    """What the report says before the row's sentence ("before", read in order) and what the
    timeline knows ("known"), as the pipeline would give it."""
    published = date.fromisoformat(row["published"])
    known = tuple(
        Known(
            k["label"],
            tuple(k["names"]),
            *map(date.fromisoformat, (k["start"], k.get("end", k["start"]))),
        )
        for k in row.get("known", ())
    )
    context = Context(known=known, places=PLACES)
    for sentence in row.get("before", ()):
        context.remember(sentence, find_dates(sentence, published, context))
    return context


def table_dates(row: dict) -> list[DateMatch]:
    return find_dates(row["sentence"], date.fromisoformat(row["published"]), row_context(row))


def table_match(row: dict) -> DateMatch | None:
    """The mention that holds the row's core words and lies within its words, if any."""
    sentence = row["sentence"]
    start = sentence.index(row["words"])
    end = start + len(row["words"])
    core = sentence.index(row["core"], start)
    for m in table_dates(row):
        if start <= m.start <= core and core + len(row["core"]) <= m.end <= end:
            return m
    return None


@pytest.mark.parametrize(
    "row", [pytest.param(r, id=f"{r['class']}-{r['published']}-{r['words']}") for r in TABLE]
)
def test_each_hand_checked_expression_resolves_to_its_span(row):
    m = table_match(row)
    published = date.fromisoformat(row["published"])
    found = [explain(d, published) for d in table_dates(row)]
    assert m is not None, found
    assert (m.date_start.isoformat(), m.date_end.isoformat()) == (row["start"], row["end"]), found


def test_the_table_covers_every_class_with_at_least_150_expressions(capsys):
    classes = collections.Counter(row["class"] for row in TABLE)
    right = collections.Counter(
        row["class"]
        for row in TABLE
        if (m := table_match(row))
        and (m.date_start.isoformat(), m.date_end.isoformat()) == (row["start"], row["end"])
    )
    with capsys.disabled():
        print(f"\ndate expressions right: {sum(right.values())}/{len(TABLE)}")
        for name, n in sorted(classes.items()):
            print(f"  {name:15} {right[name]:3}/{n}")
    assert len(TABLE) >= 150
    assert set(classes) >= {
        "weekday_tense", "own_week", "compound", "season", "statement", "part_of_year",
        "explicit", "relative_day", "month_boundary", "counted_from_a_day", "narrowed",
    }  # fmt: skip


def test_a_season_has_a_precision_of_its_own():
    for row in TABLE:
        m = table_match(row)
        if row["class"] == "season" and m is not None:
            assert m.precision == "season", row["words"]


def test_the_letters_that_fold_to_ascii_are_the_ones_a_case_insensitive_regex_reads_so():
    # casefold's premise: outside these few, a lowered text holds an ASCII word exactly
    # where a case-insensitive pattern finds it.
    letters = re.compile("(?i)[a-z]")
    folding = {
        chr(code) for code in range(128, 0x110000) if letters.fullmatch(chr(code)) is not None
    }
    assert folding == set(FOLDS_TO_ASCII)
    assert all(folds_to_ascii(f"week{letter}end") for letter in FOLDS_TO_ASCII)
    assert not folds_to_ascii("Tariffs rose this weekend in Istanbul.")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Tariffs climbed to 145% thiſ paſt ſpring.", "thiſ paſt ſpring"),
        ("Exports rose thıs month, early data showed.", "thıs month"),
        ("EXPORTS ROSE THİS MONTH, EARLY DATA SHOWED.", "THİS MONTH"),
        ("The tariffs take effect two weeks from Frıday.", "two weeks from Frıday"),
    ],
)
def test_letters_that_look_like_i_or_s_are_read_as_them_and_kept_as_written(text, written):
    plain = text.replace("ſ", "s").replace("ı", "i").replace("İ", "I")
    expected = find_dates(plain, date(2025, 11, 3))
    found = find_dates(text, date(2025, 11, 3))
    assert [(m.date_start, m.date_end, m.precision) for m in found] == [
        (m.date_start, m.date_end, m.precision) for m in expected
    ]
    assert [m.text for m in found] == [written]
    assert all(text[m.start : m.end] == m.text for m in found)


@given(st.dates(), st.integers(min_value=0, max_value=400))
def test_explanations_name_days_as_strftime_does_in_the_c_locale(start, length):
    from articles.pipeline.dates.periods import format_day, format_span

    end = start + timedelta(days=min(length, (date.max - start).days))
    assert format_day(start) == f"{start:%a} {start.day} {start:%b %Y}"
    if start.year == end.year and start.month != end.month:
        assert format_span(start, end).startswith(f"{start:%a} {start.day} {start:%b} – ")
    elif start.year == end.year and start != end:
        assert format_span(start, end) == f"{start:%a} {start.day} – {format_day(end)}"


def test_the_names_of_days_and_months_are_strftimes_in_the_c_locale():
    # periods and explaining look the names up instead of asking strftime (%A, %B, %Y).
    for year in (1, 5, 999, 1000, 2025, 9999):
        for month in range(1, 13):
            day = date(year, month, 1 + (year + month) % 28)
            assert periods.month_name(day) == f"{day:%B}"
            assert periods.WEEKDAY_NAMES[day.weekday()] == f"{day:%A}"
            assert f"{periods.month_name(day)} {day.year}" == f"{day:%B %Y}"

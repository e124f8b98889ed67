"""articles.pipeline.analysis: the steps strung together over a whole report, in order."""

import re
from datetime import date

from hypothesis import given, settings

from articles.pipeline.analysis import PLACE_PATTERNS, analyse
from articles.pipeline.vocabulary import PLACES
from tests.strategies import run_together

TUESDAY = date(2025, 12, 2)


def test_a_dated_subheading_is_a_claim_for_its_date_and_an_undated_one_is_not():
    body = (
        "What to watch this month\n\n"
        "Purchases are expected to pick up before Christmas, traders said.\n\n"
        "Escalating Tensions and Retaliatory Threats\n\n"
        "Trump threatened 100% tariffs."
    )
    claims = analyse(body, TUESDAY).claims
    sentences = [c.sentence for c in claims]
    assert sentences == [
        "What to watch this month",
        "Purchases are expected to pick up before Christmas, traders said.",
        "Trump threatened 100% tariffs.",
    ]
    [heading] = [c for c in claims if c.heading]
    [month] = heading.dates
    assert (month.date_start, month.date_end) == (date(2025, 12, 1), date(2025, 12, 31))


def test_words_counted_from_a_day_reach_back_to_the_sentence_before_not_further():
    body = (
        "Washington published the executive orders on Tuesday, Nov. 4. "
        "Beijing answered a day later with its own notice.\n\n"
        "Markets were calm.\n\n"
        "Farmers were calmer still.\n\n"
        "A day later, soybean futures rose 2%."
    )
    claims = {c.sentence: c for c in analyse(body, TUESDAY).claims}
    [answered] = claims["Beijing answered a day later with its own notice."].dates
    assert answered.date_start == date(2025, 11, 5) and answered.method == "context"
    # Two passages on, the day named is too far back to count from: no date at all.
    assert claims["A day later, soybean futures rose 2%."].dates == ()


# The gazetteer's places, bits of them, and what may stand around them.
place_text = run_together(
    [*PLACES, "South", "Korea", "Seoul", "s", "_", "2", "é", *" ,.’“-\n"], max_size=10
)


@settings(max_examples=300, deadline=None)
@given(text=place_text)
def test_place_patterns_find_what_the_plain_whole_word_patterns_find(text):
    for place, pattern in PLACE_PATTERNS:
        plain = re.compile(rf"\b{re.escape(place)}\b")
        assert [m.span() for m in pattern.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ]

"""articles.pipeline.analysis: the steps strung together over a whole report, in order."""

from datetime import date

from articles.pipeline.analysis import analyse

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

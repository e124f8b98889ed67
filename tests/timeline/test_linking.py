"""Suggesting events for dated claims, and editors' decisions on the suggestions."""

from datetime import date

import pytest

from articles.models import Article, Claim
from timeline.conflicts import find_conflicts
from timeline.linking import decide, link_article, suggest, unlinked_claims
from timeline.models import Event, Evidence

from .factories import EVENT_SLUGS, add_report, claim_with, make_event

MON_27_OCT = date(2025, 10, 27)  # the Monday after the Kuala Lumpur weekend


@pytest.fixture
def events(db):
    """A small timeline: the Kuala Lumpur weekend, two things on Thursday 30 October, a truce."""
    return {
        "talks": make_event(
            "kl-talks",
            date(2025, 10, 25),
            end=date(2025, 10, 26),
            keywords=["Kuala Lumpur", "talks", "ASEAN"],
            place="Kuala Lumpur",
        ),
        "summit": make_event(
            "busan-summit", date(2025, 10, 30), keywords=["Busan", "summit", "Trump and Xi"]
        ),
        "ports": make_event("port-fees-paused", date(2025, 10, 30), keywords=["port fees"]),
        "truce": make_event("geneva-truce", date(2025, 5, 12), keywords=["truce", "Geneva"]),
        "expiry": make_event("truce-expiry", date(2025, 11, 10), keywords=["truce", "expir"]),
    }


def evidence_of(claim):
    return {ev.event.slug: ev for ev in claim.evidence.select_related("event", "mention")}


def test_a_day_mention_on_the_event_with_its_words_is_suggested(events):
    add_report("Officials held talks on Sunday in Kuala Lumpur.", published=MON_27_OCT)
    claim = claim_with("held talks on Sunday")
    [(slug, ev)] = evidence_of(claim).items()
    assert slug == "kl-talks"
    assert ev.state == Evidence.State.SUGGESTED
    assert ev.stance == Evidence.Stance.SUPPORTS
    assert ev.mention.text == "on Sunday"
    assert ev.mention.date_start == date(2025, 10, 26)
    assert ev.score >= 1


def test_a_suggestion_waits_for_an_editor_before_readers_see_it(events):
    add_report("Officials held talks on Sunday in Kuala Lumpur.", published=MON_27_OCT)
    assert Evidence.objects.suggested().count() == 1
    assert not Event.objects.sourced().exists()


def test_a_mention_one_day_off_is_still_suggested_and_shows_as_a_date_conflict(events):
    add_report("Officials held talks on Sunday in Kuala Lumpur.", published=MON_27_OCT)
    add_report(
        "Officials convened in Kuala Lumpur on Friday for talks.",
        published=date(2025, 10, 25),
        outlet="Other Wire",
    )
    friday = claim_with("on Friday")
    [ev] = friday.evidence.all()
    assert (ev.event.slug, ev.state, ev.mention.date_start) == (
        "kl-talks",
        Evidence.State.SUGGESTED,
        date(2025, 10, 24),
    )

    decide(list(Evidence.objects.all()), Evidence.State.ACCEPTED)
    event = Event.objects.on_timeline().get(slug="kl-talks")
    [conflict] = find_conflicts(event, list(event.evidence.all()))
    assert conflict.kind == "date"
    agree, friday_side = conflict.sides
    assert agree.label == "Sat 25 – Sun 26 Oct 2025"
    assert [outlet for outlet, _ in agree.sources] == ["Test Wire"]
    assert friday_side.label == "on Friday → Fri 24 Oct 2025"
    assert [outlet for outlet, _ in friday_side.sources] == ["Other Wire"]


def test_no_suggestion_when_the_dates_do_not_overlap(events):
    add_report("Officials held talks in Kuala Lumpur on October 20.", published=MON_27_OCT)
    claim = claim_with("on October 20")
    assert [m.date_start for m in claim.mentions.all()] == [date(2025, 10, 20)]
    assert not claim.evidence.exists()


def test_no_suggestion_for_a_day_mention_when_no_word_matches(events):
    add_report("Stock markets rallied on Sunday.", published=MON_27_OCT)
    claim = claim_with("rallied on Sunday")
    [mention] = claim.mentions.all()
    assert (mention.date_start, mention.precision) == (date(2025, 10, 26), "day")
    assert not claim.evidence.exists()


def test_a_month_mention_overlapping_one_event_is_suggested_as_a_mention(events):
    add_report("Officials have met five times since May.", published=MON_27_OCT)
    claim = claim_with("since May")
    [(slug, ev)] = evidence_of(claim).items()
    assert slug == "geneva-truce"
    assert ev.stance == Evidence.Stance.MENTIONS
    assert ev.state == Evidence.State.SUGGESTED
    assert ev.mention.precision == "month"


def test_a_month_mention_overlapping_several_events_without_words_is_not_suggested(events):
    add_report("Stock markets have been volatile since October.", published=MON_27_OCT)
    claim = claim_with("since October")
    assert claim.mentions.get().precision == "month"
    assert not claim.evidence.exists()


def test_the_best_scoring_event_wins_over_a_weaker_one_on_the_same_day(events):
    add_report(
        "Trump and Xi will hold a summit in Busan on Thursday, where port fees may come up.",
        published=MON_27_OCT,
    )
    claim = claim_with("summit in Busan")
    assert list(evidence_of(claim)) == ["busan-summit"]
    # The weaker match is a match all the same: alone, it would be suggested.
    Event.objects.filter(slug="busan-summit").delete()
    link_article(claim.article)
    assert list(evidence_of(claim)) == ["port-fees-paused"]


def test_suggest_ranks_the_events_of_several_mentions_best_first(events):
    add_report(
        "Talks in Kuala Lumpur ended on Sunday, and Trump and Xi will hold a summit in Busan "
        "on Thursday.",
        published=MON_27_OCT,
    )
    claim = claim_with("ended on Sunday")
    timeline = list(Event.objects.prefetch_related("topics"))
    ranked = suggest(claim, timeline, {e.pk: set() for e in timeline})
    assert [s.event.slug for s in ranked] == ["busan-summit", "kl-talks"]
    assert [s.mention.text for s in ranked] == ["on Thursday", "on Sunday"]


REPORT = (
    "Officials held talks on Sunday in Kuala Lumpur.\n\n"
    "Trump and Xi will hold a summit in Busan on Thursday.\n\n"
    "The truce expiring on November 10 could be extended."
)


def test_relinking_keeps_editors_decisions_and_drops_stale_suggestions(events):
    article = add_report(REPORT, published=MON_27_OCT).article
    talks, summit, expiry = (
        claim_with(text).evidence.get() for text in ("talks on Sunday", "Busan", "November 10")
    )
    assert expiry.event.slug == "truce-expiry"
    decide([talks], Evidence.State.ACCEPTED)
    decide([summit], Evidence.State.REJECTED)

    # An editor moves every event: none of the three claims matches any more.
    Event.objects.update(start=date(2025, 1, 6), end=None)
    link_article(article)

    talks_after, summit_after = (Evidence.objects.get(pk=ev.pk) for ev in (talks, summit))
    assert (talks_after.state, talks_after.event_id, talks_after.mention_id) == (
        Evidence.State.ACCEPTED,
        talks.event_id,
        talks.mention_id,
    )
    assert summit_after.state == Evidence.State.REJECTED
    assert not Evidence.objects.filter(pk=expiry.pk).exists()


def test_relinking_never_resuggests_a_rejected_link(events):
    article = add_report(REPORT, published=MON_27_OCT).article
    summit = claim_with("Busan").evidence.get()
    decide([summit], Evidence.State.REJECTED)
    before = sorted(Evidence.objects.values_list("id", "event", "claim", "state"))
    link_article(article)
    assert sorted(Evidence.objects.values_list("id", "event", "claim", "state")) == before


def test_relinking_adds_a_suggestion_for_a_new_event(events):
    article = add_report(REPORT, published=MON_27_OCT).article
    make_event("tariff-pause-talks", date(2025, 10, 26), keywords=["Kuala Lumpur"])
    link_article(article)
    claim = claim_with("talks on Sunday")
    # "talks" and "Kuala Lumpur" still score higher for the Kuala Lumpur weekend.
    assert list(evidence_of(claim)) == ["kl-talks"]
    Event.objects.filter(slug="kl-talks").delete()
    link_article(article)
    assert list(evidence_of(claim)) == ["tariff-pause-talks"]


def test_decide_marks_the_claims_reviewed(events):
    add_report(REPORT, published=MON_27_OCT)
    rows = list(Evidence.objects.select_related("claim"))
    assert len(rows) == 3
    assert not any(ev.claim.reviewed for ev in rows)

    assert decide(rows[:2], Evidence.State.REJECTED) == 2
    states = dict(Evidence.objects.values_list("pk", "state"))
    assert [states[ev.pk] for ev in rows] == ["rejected", "rejected", "suggested"]
    reviewed = dict(Claim.objects.values_list("pk", "reviewed"))
    assert [reviewed[ev.claim_id] for ev in rows] == [True, True, False]


def test_unlinked_claims_lists_dated_claims_no_event_takes(events):
    add_report(
        "Officials held talks on Sunday in Kuala Lumpur.\n\n"
        "Stock markets rallied on Sunday.\n\n"
        "Tariffs on Chinese goods stand at 57%.",
        published=MON_27_OCT,
    )
    figure = claim_with("57%")
    assert not figure.mentions.exists(), "a figure without a date is no candidate"
    assert [c.sentence for c in unlinked_claims()] == ["Stock markets rallied on Sunday."]

    decide(list(claim_with("held talks").evidence.all()), Evidence.State.REJECTED)
    assert [c.sentence for c in unlinked_claims()] == [
        "Officials held talks on Sunday in Kuala Lumpur.",
        "Stock markets rallied on Sunday.",
    ]


# --- a new report, against the seeded timeline ----------------------------------------------


def test_a_new_report_of_the_busan_meeting_is_suggested_for_it(seeded):
    result = add_report(
        "Trump and Xi met on Thursday in Busan, their first meeting since 2019.\n\n"
        "After the meeting, the White House said China would pause its rare-earth export "
        "controls for a year.",
        published=date(2025, 11, 3),
        title="Trump and Xi strike a one-year deal in Busan",
        outlet="Harbour Wire",
        url="https://harbour.example/busan-deal",
    )
    claim = claim_with("met on Thursday in Busan")
    assert claim.article == result.article
    thursday = claim.mentions.get(text="on Thursday")
    assert thursday.date_start == date(2025, 10, 30)
    ev = evidence_of(claim)
    assert list(ev) == ["trump-xi-busan-meeting"]
    assert ev["trump-xi-busan-meeting"].state == Evidence.State.SUGGESTED
    assert ev["trump-xi-busan-meeting"].mention == thursday
    # Suggested only: the timeline shows it once an editor accepts it.
    assert not Evidence.objects.shown().filter(claim__article=result.article).exists()


def test_a_new_report_of_the_truce_expiry_is_suggested_for_it(seeded):
    add_report(
        "Negotiators in Washington said on Friday that the truce expiring on November 10 "
        "would be extended by a year if the leaders sign the framework.",
        published=date(2025, 10, 31),
        title="Truce extension expected",
        outlet="Harbour Wire",
    )
    claim = claim_with("the truce expiring on November 10")
    suggested = {
        slug: ev for slug, ev in evidence_of(claim).items() if ev.mention.text == "November 10"
    }
    assert list(suggested) == ["truce-expiry-november-10"]
    assert suggested["truce-expiry-november-10"].state == Evidence.State.SUGGESTED
    assert suggested["truce-expiry-november-10"].stance == Evidence.Stance.SUPPORTS


# --- the gold dates of the seed reports -----------------------------------------------------


def gold_mentions(gold):
    """(article, gold mention, claim) for every hand-checked mention of the seed reports."""
    for report in gold["reports"]:
        article = Article.objects.get(source_name=report["file"])
        for mention in report["mentions"]:
            yield article, mention, article.claims.get(sentence__contains=mention["sentence"])


def linked(claim, slug) -> bool:
    return claim.evidence.filter(
        event__slug=slug, state__in=[Evidence.State.SUGGESTED, Evidence.State.ACCEPTED]
    ).exists()


def test_every_gold_mention_with_an_event_has_evidence_for_it(seeded, gold):
    timeline = list(Event.objects.prefetch_related("topics"))
    topics = {e.pk: {t.slug for t in e.topics.all()} for e in timeline}
    checked, misses = 0, []
    for article, mention, claim in gold_mentions(gold):
        if mention["event_key"] is None:
            continue
        checked += 1
        slug = EVENT_SLUGS[mention["event_key"]]
        # Stored evidence may come from the curated fixture; the linker must find it too.
        by_linker = {s.event.slug for s in suggest(claim, timeline, topics)}
        if not linked(claim, slug) or slug not in by_linker:
            misses.append((article.source_name, mention["mention"], slug, sorted(by_linker)))
    assert misses == []
    assert checked == 23


def test_the_linker_suggests_nothing_for_gold_mentions_of_no_event(seeded, gold):
    timeline = list(Event.objects.prefetch_related("topics"))
    topics = {e.pk: {t.slug for t in e.topics.all()} for e in timeline}
    unrelated = [(m, c) for _, m, c in gold_mentions(gold) if m["event_key"] is None]
    assert len(unrelated) == 2
    for mention, claim in unrelated:
        assert not claim.evidence.filter(state=Evidence.State.SUGGESTED).exists()
        assert suggest(claim, timeline, topics) == [], mention["sentence"]

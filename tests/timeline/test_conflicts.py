"""Where the sources behind one event disagree: the day, the place, the period."""

from datetime import date
from types import SimpleNamespace

import pytest

from articles.pipeline.analysis import places_in
from timeline.conflicts import find_conflicts, venue, within
from timeline.models import Event


def conflicts_of(slug):
    event = Event.objects.on_timeline().get(slug=slug)
    return {c.kind: c for c in find_conflicts(event, list(event.evidence.all()))}


def sides(conflict):
    """{side label: [outlet names]} as the conflict box shows them."""
    return {side.label: [outlet for outlet, _ in side.sources] for side in conflict.sides}


# --- with the seed data ---------------------------------------------------------------------


def test_it_shows_the_kuala_lumpur_conflict(seeded):
    conflicts = conflicts_of("kuala-lumpur-talks")
    assert list(conflicts) == ["date"]
    date_conflict = conflicts["date"]
    assert date_conflict.summary == "Sources disagree on the date"
    assert sides(date_conflict) == {
        "Sat 25 – Sun 26 Oct 2025": [
            "Daily Global Reports",
            "The High Street Journal",
            "The Saurashtra",
        ],
        "on Friday → Fri 24 Oct 2025": ["Unidentified outlet"],
    }
    # The timeline's own dates come first, as the side the page marks "as on the timeline".
    assert date_conflict.sides[0].label == "Sat 25 – Sun 26 Oct 2025"


def test_the_busan_meeting_shows_a_place_and_a_timing_conflict(seeded):
    conflicts = conflicts_of("trump-xi-busan-meeting")
    assert sorted(conflicts) == ["period", "place"]

    place = sides(conflicts["place"])
    assert conflicts["place"].sides[0].label == "Busan"
    assert place["Gyeongju"] == ["Daily Global Reports"]
    # "later this week in South Korea" (The High Street Journal) agrees with Busan, and
    # "discussions in Malaysia, setting the stage for a summit ... later this week"
    # (Industrial PC World) names the place of other talks, far from the date.
    assert sorted(place) == ["Busan", "Gyeongju"]

    # Each source under what it said: only "Thursday" and "this Thursday" name the day; a
    # "later this week" takes it in without naming it, so it is not on the day's side.
    assert sides(conflicts["period"]) == {
        "Thu 30 Oct 2025": ["Daily Global Reports", "The Saurashtra"],
        "later this week → Mon 27 Oct – Sun 2 Nov 2025": ["Industrial PC World"],
        "later this week → Tue 28 Oct – Sun 2 Nov 2025": [
            "Daily Global Reports",
            "The High Street Journal",
        ],
        "this week’s → Mon 27 Oct – Sun 2 Nov 2025": ["The Saurashtra"],
        "later this year → Sun 26 Oct – Wed 31 Dec 2025": ["Unidentified outlet"],
    }


def test_the_editor_claim_placing_the_meeting_in_busan_is_on_the_busan_side(seeded):
    place = conflicts_of("trump-xi-busan-meeting")["place"]
    assert sides(place)["Busan"] == ["The Saurashtra"]


def test_the_geneva_truce_shows_no_conflict(seeded):
    event = Event.objects.on_timeline().get(slug="geneva-truce")
    quotes = {ev.claim.article.outlet.name: ev.mention.text for ev in event.evidence.all()}
    # Said in October, looking back: not a disagreement about 12 May.
    assert quotes == {
        "Unidentified outlet": "earlier in the year",
        "The High Street Journal": "since May",
    }
    assert find_conflicts(event, list(event.evidence.all())) == []


def test_only_kuala_lumpur_and_busan_are_disputed(seeded):
    disputed = {
        event.slug: sorted(c.kind for c in find_conflicts(event, list(event.evidence.all())))
        for event in Event.objects.on_timeline()
    }
    assert disputed == {
        "april-2025-tariff-escalation": [],
        "geneva-truce": [],
        "rare-earth-export-controls": [],
        "kuala-lumpur-talks": ["date"],
        "trump-xi-busan-meeting": ["period", "place"],
        "100-percent-tariff-threat": [],
        "truce-expiry-november-10": [],
    }


# --- with quotes built in code --------------------------------------------------------------

BUSAN = SimpleNamespace(start=date(2025, 10, 30), last_day=date(2025, 10, 30), precision="day")
MON_27_OCT = date(2025, 10, 27)


def event(place="Busan", **fields):
    return SimpleNamespace(**(vars(BUSAN) | {"place": place} | fields))


def quote(
    sentence,
    words,
    start,
    end=None,
    *,
    published=MON_27_OCT,
    outlet="Wire",
    precision="day",
    method="relative",
    estimated=False,
):
    """Evidence as find_conflicts sees it: a claim with its places and one date mention."""
    at = sentence.index(words)
    mention = SimpleNamespace(
        pk=1,
        text=words,
        start=at,
        end=at + len(words),
        date_start=start,
        date_end=end or start,
        precision=precision,
        method=method,
    )
    claim = SimpleNamespace(
        sentence=sentence,
        places=list(places_in(sentence)),
        mentions=SimpleNamespace(all=lambda: [mention]),
        article=SimpleNamespace(
            published=published,
            published_estimated=estimated,
            outlet=SimpleNamespace(name=outlet),
        ),
    )
    return SimpleNamespace(claim=claim, mention_id=1, stance="supports")


THU = date(2025, 10, 30)


@pytest.mark.parametrize(
    "sentence",
    [
        "Trump and Xi will meet on Thursday in Busan, South Korea.",
        "Trump and Xi will meet on Thursday in South Korea.",
        "Trump and Xi will land at Gimhae on Thursday.",
        "Washington and Beijing expect the leaders to meet on Thursday.",
        "Officials met in Malaysia over the weekend to prepare for what analysts call a "
        "decisive meeting of the leaders on Thursday.",
    ],
    ids=["same city", "containing region", "inside the city", "capitals", "far away"],
)
def test_places_that_agree_or_are_not_the_venue_make_no_conflict(sentence):
    assert find_conflicts(event(), [quote(sentence, "on Thursday", THU)]) == []


def test_another_city_next_to_the_date_is_a_place_conflict():
    evidence = [
        quote("Trump and Xi will meet on Thursday in Busan.", "on Thursday", THU, outlet="A"),
        quote("The leaders meet on Thursday in Gyeongju.", "on Thursday", THU, outlet="B"),
    ]
    [conflict] = find_conflicts(event(), evidence)
    assert conflict.kind == "place"
    assert sides(conflict) == {"Busan": ["A"], "Gyeongju": ["B"]}


def test_venue_is_the_place_nearest_the_date():
    ev = quote(
        "Officials met in Malaysia over the weekend; the leaders meet on Thursday in Gyeongju.",
        "on Thursday",
        THU,
    )
    assert venue(ev.claim, ev.claim.mentions.all()[0]) == "Gyeongju"


def test_within_follows_the_place_hierarchy():
    assert within("Gimhae", "South Korea")
    assert within("Busan", "Busan")
    assert not within("Gyeongju", "Busan")
    assert not within("South Korea", "Busan")


def test_a_day_off_is_a_date_conflict():
    evidence = [
        quote("They will meet on Thursday.", "on Thursday", THU, outlet="A"),
        quote("They will meet on Friday.", "on Friday", date(2025, 10, 31), outlet="B"),
    ]
    [conflict] = find_conflicts(event(place=""), evidence)
    assert conflict.kind == "date"
    assert sides(conflict) == {"Thu 30 Oct 2025": ["A"], "on Friday → Fri 31 Oct 2025": ["B"]}


def test_a_vague_period_said_before_the_event_is_a_timing_conflict():
    later = quote(
        "A summit is planned later this year.",
        "later this year",
        date(2025, 10, 26),
        date(2025, 12, 31),
        published=date(2025, 10, 25),
    )
    [conflict] = find_conflicts(event(place=""), [later])
    assert conflict.kind == "period"


def test_the_same_vague_period_said_after_the_event_is_no_conflict():
    earlier = quote(
        "The leaders met earlier this year.",
        "earlier this year",
        date(2025, 1, 1),
        date(2025, 11, 2),
        published=date(2025, 11, 3),
    )
    assert find_conflicts(event(place=""), [earlier]) == []


# --- each source under what it said -----------------------------------------------------

THIS_THURSDAY = ("They will meet this Thursday.", "this Thursday", THU)
LATER_THIS_WEEK = (
    "They will meet later this week.",
    "later this week",
    date(2025, 10, 28),
    date(2025, 11, 2),
)
LATER_THIS_YEAR = (
    "A summit is planned later this year.",
    "later this year",
    date(2025, 10, 28),
    date(2025, 12, 31),
)


def test_a_source_that_said_only_later_this_week_is_not_listed_under_the_day():
    evidence = [
        quote(*THIS_THURSDAY, outlet="A"),
        quote(*LATER_THIS_WEEK, precision="week", outlet="B"),
        quote(*LATER_THIS_YEAR, precision="year", outlet="C"),
    ]
    [conflict] = find_conflicts(event(place=""), evidence)
    assert conflict.kind == "period"
    assert sides(conflict) == {
        "Thu 30 Oct 2025": ["A"],
        "later this week → Tue 28 Oct – Sun 2 Nov 2025": ["B"],
        "later this year → Tue 28 Oct – Wed 31 Dec 2025": ["C"],
    }


def test_sources_are_grouped_by_their_words_and_the_dates_those_words_give():
    evidence = [
        quote(*LATER_THIS_WEEK, precision="week", outlet="B"),
        quote(
            "Talks end Later this week.",
            "Later this week",
            *LATER_THIS_WEEK[2:],
            precision="week",
            outlet="C",
        ),
        quote(
            "A meeting this week is planned.",
            "this week",
            date(2025, 10, 27),
            date(2025, 11, 2),
            precision="week",
            outlet="D",
        ),
        quote(*LATER_THIS_YEAR, precision="year", outlet="E"),
    ]
    [conflict] = find_conflicts(event(place=""), evidence)
    assert sides(conflict) == {
        "Thu 30 Oct 2025": [],
        "later this week → Tue 28 Oct – Sun 2 Nov 2025": ["B", "C"],
        "this week → Mon 27 Oct – Sun 2 Nov 2025": ["D"],
        "later this year → Tue 28 Oct – Wed 31 Dec 2025": ["E"],
    }


def test_a_wider_period_that_takes_the_day_in_is_no_conflict_by_itself():
    evidence = [
        quote(*THIS_THURSDAY, outlet="A"),
        quote(*LATER_THIS_WEEK, precision="week", outlet="B"),
    ]
    assert find_conflicts(event(place=""), evidence) == []


def test_a_disagreeing_date_counted_from_an_estimated_publication_date_is_marked():
    friday = ("They will meet on Friday.", "on Friday", date(2025, 10, 31))
    evidence = [
        quote(*THIS_THURSDAY, outlet="A", estimated=True),
        quote(*friday, outlet="B", estimated=True),
        quote(*friday, outlet="C"),
        quote(
            "They meet on October 31.",
            "October 31",
            date(2025, 10, 31),
            outlet="D",
            method="absolute",
            estimated=True,
        ),
    ]
    [conflict] = find_conflicts(event(place=""), evidence)
    agree, *others = conflict.sides
    # Only B: C's publication date is known, D's date does not depend on it, and A agrees.
    assert agree.estimated == set()
    assert set().union(*(side.estimated for side in others)) == {"B"}


def test_the_event_page_says_which_disagreeing_dates_rest_on_an_estimated_date(
    seeded, client, pinned_today
):
    from .test_views import page

    doc = page(client, "/events/trump-xi-busan-meeting/")
    period = next(
        box
        for box in doc.find_all("div", cls="conflict")
        if "far wider period" in box.find(cls="conflict-title").words()
    )
    lines = [li.words() for li in period.find_all("li")]
    assert lines == [
        "Thu 30 Oct 2025 (as on the timeline): Daily Global Reports, The Saurashtra",
        "later this week → Mon 27 Oct – Sun 2 Nov 2025: Industrial PC World",
        "later this week → Tue 28 Oct – Sun 2 Nov 2025: Daily Global Reports, "
        "The High Street Journal",
        "this week’s → Mon 27 Oct – Sun 2 Nov 2025: The Saurashtra",
        "later this year → Sun 26 Oct – Wed 31 Dec 2025: Unidentified outlet (publication "
        "date estimated: the date it disagrees on may rest on that estimate)",
    ]

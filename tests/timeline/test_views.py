"""The reader's pages: the timeline, an event, the reports, the coverage grid."""

import re
from datetime import date

import pytest

from articles.models import Article, Claim
from articles.pipeline.anchoring import text_fragment
from articles.services import add_claim, ingest_report
from timeline.linking import decide
from timeline.models import Event, Evidence

from .factories import grow
from .pages import parse

TIMELINE = [
    # slug, date as shown, status badge, sources line
    ("april-2025-tariff-escalation", "April 2025", "happened", "1 source · 1 outlet"),
    ("geneva-truce", "Mon 12 May 2025", "happened", "2 sources · 2 outlets"),
    ("rare-earth-export-controls", "Thu 9 Oct 2025", "happened", "2 sources · 2 outlets"),
    ("kuala-lumpur-talks", "Sat 25 – Sun 26 Oct 2025", "happened", "4 sources · 4 outlets"),
    ("trump-xi-busan-meeting", "Thu 30 Oct 2025", "scheduled", "8 sources · 5 outlets"),
    ("100-percent-tariff-threat", "Sat 1 Nov 2025", "threatened", "4 sources · 4 outlets"),
    ("truce-expiry-november-10", "Mon 10 Nov 2025", "scheduled", "3 sources · 3 outlets"),
]
SLUGS = [slug for slug, *_ in TIMELINE]
OUTLETS = [
    "Daily Global Reports",
    "Industrial PC World",
    "The High Street Journal",
    "The Saurashtra",
    "Unidentified outlet",
]
CLAIM_LINK = re.compile(r"^/articles/(?P<slug>[\w-]+)/#claim-(?P<id>\d+)$")


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return parse(response)


def event_cards(doc):
    return [el.id.removeprefix("event-") for el in doc.find_all("article", cls="event")]


def outlet_of(heading):
    """The outlet a heading names (it may go on with the outlet's kind)."""
    return next(name for name in OUTLETS if heading.words().startswith(name))


def claim_notes(doc, claim):
    """What the report page says under a passage about one of its claims."""
    ref = doc.find("a", href=f"#{claim.anchor}")
    return next(el for el in ref.ancestors() if el.tag in ("li", "div"))


def article_by_outlet(name):
    return Article.objects.get(outlet__name=name)


# --- the timeline ---------------------------------------------------------------------------


@pytest.fixture
def home(seeded, client, pinned_today):
    return page(client, "/")


def test_it_lists_the_seven_events_in_date_order_grouped_by_month(home):
    assert event_cards(home) == SLUGS
    months = {
        month.find("h2", cls="month-title").words(): event_cards(month)
        for month in home.find_all("li", cls="month")
    }
    assert months == {
        "April 2025": ["april-2025-tariff-escalation"],
        "May 2025": ["geneva-truce"],
        "October 2025": [
            "rare-earth-export-controls",
            "kuala-lumpur-talks",
            "trump-xi-busan-meeting",
        ],
        "November 2025": ["100-percent-tariff-threat", "truce-expiry-november-10"],
    }
    assert list(months) == ["April 2025", "May 2025", "October 2025", "November 2025"]


def test_each_event_shows_its_dates_at_their_precision_status_and_source_counts(home):
    shown = []
    for card in home.find_all("article", cls="event"):
        shown.append(
            (
                card.id.removeprefix("event-"),
                card.find("div", cls="event-when").find("time").words(),
                card.find("span", cls="badge").words(),
                card.find("span", cls="sources").words(),
            )
        )
    assert shown == TIMELINE
    assert home.by_id("event-april-2025-tariff-escalation").find(cls="precision").words() == "month"


def test_disputed_events_carry_their_conflict_boxes(home):
    boxes = {
        slug: [c.find(cls="conflict-title").words() for c in card.find_all("div", cls="conflict")]
        for slug, card in zip(SLUGS, home.find_all("article", cls="event"), strict=True)
    }
    assert boxes == {
        "april-2025-tariff-escalation": [],
        "geneva-truce": [],
        "rare-earth-export-controls": [],
        "kuala-lumpur-talks": ["⚠ Sources disagree on the date"],
        "trump-xi-busan-meeting": [
            "⚠ Sources differ on timing: some name the day, others only a far wider period",
            "⚠ Sources disagree on the place",
        ],
        "100-percent-tariff-threat": [],
        "truce-expiry-november-10": [],
    }
    talks = home.by_id("event-kuala-lumpur-talks").find("div", cls="conflict")
    assert "on Friday → Fri 24 Oct 2025: Unidentified outlet" in talks.words()


def test_the_today_marker_follows_the_past_events(home):
    timeline = home.find("ol", cls="timeline")
    items = [li for li in timeline.children if getattr(li, "tag", None) == "li"]
    assert items[-1].id == "today"
    assert items[-1].words() == "Today · Sat 21 Nov 2026"
    # Nothing lies ahead: the box says so, and the latest developments are beside it.
    assert home.find("aside", cls="upcoming").words() == (
        "Coming up Nothing on this timeline is scheduled after today (Sat 21 Nov 2026)."
    )
    assert home.find("aside", cls="latest").find("li") is not None
    # Scheduled or threatened, and the day has passed with no report of what happened.
    waiting = [
        card.id.removeprefix("event-")
        for card in home.find_all("article", cls="event")
        if card.find("p", cls="warning")
    ]
    assert waiting == [
        "trump-xi-busan-meeting",
        "100-percent-tariff-threat",
        "truce-expiry-november-10",
    ]


def test_the_today_marker_stands_before_the_first_event_not_over(seeded, client, settings):
    settings.TRADEWATCH_TODAY = "2025-10-28"
    doc = page(client, "/")
    [marker] = doc.find_all("li", cls="today")
    assert marker.words() == "Today · Tue 28 Oct 2025"
    october = [c for c in marker.parent.children if getattr(c, "tag", None) == "li"]
    order = [li.id or li.find("article").id for li in october]
    assert order == [
        "event-rare-earth-export-controls",
        "event-kuala-lumpur-talks",
        "today",
        "event-trump-xi-busan-meeting",
    ]
    upcoming = doc.find("aside", cls="upcoming")
    assert [a.attrs["href"] for a in upcoming.find_all("a")] == [
        "#event-trump-xi-busan-meeting",
        "#event-100-percent-tariff-threat",
        "#event-truce-expiry-november-10",
    ]
    assert "event--upcoming" in doc.by_id("event-truce-expiry-november-10").classes


def test_every_quote_link_lands_on_its_sentence_in_its_passage(home, client):
    links = {
        a.attrs["href"] for a in home.find_all("a") if CLAIM_LINK.match(a.attrs.get("href", ""))
    }
    assert len(links) == 24  # one per accepted quote; conflict boxes reuse them
    articles = {}
    for href in sorted(links):
        match = CLAIM_LINK.match(href)
        slug, claim = match["slug"], Claim.objects.get(pk=match["id"])
        assert claim.article.slug == slug
        if slug not in articles:
            articles[slug] = page(client, f"/articles/{slug}/")
        target = articles[slug].by_id(f"claim-{claim.pk}")
        assert target is not None, f"{href}: no element with that id"
        assert target.tag == "mark" and "claim" in target.classes
        passages = [el for el in target.ancestors() if re.fullmatch(r"p-\d+", el.id or "")]
        assert passages, f"{href}: not inside a passage"
        assert passages[0].id == claim.passage.anchor
        assert claim.sentence in passages[0].text(), href
        assert target.text() == claim.sentence


def test_a_quote_link_to_a_claim_overlapping_another_still_lands_on_it(seeded, client):
    # An editor quotes part of a sentence the pipeline already took, and links it.
    article = article_by_outlet("Daily Global Reports")
    claim = add_claim(
        article=article,
        sentence="held fresh talks on Sunday during the ASEAN Summit in Kuala Lumpur.",
    )
    talks = Event.objects.get(slug="kuala-lumpur-talks")
    # Adding the claim runs the linker, which already suggests the talks.
    evidence, _ = Evidence.objects.get_or_create(event=talks, claim=claim)
    decide([evidence], Evidence.State.ACCEPTED)
    home = page(client, "/")
    assert home.find("a", href=claim.get_absolute_url()) is not None

    target = page(client, article.get_absolute_url()).by_id(claim.anchor)
    assert target is not None, "no element carries the claim's anchor"
    assert any(el.id == claim.passage.anchor for el in target.ancestors())


FILTERS = {
    "topic=rare-earths": ["rare-earth-export-controls", "100-percent-tariff-threat"],
    "topic=diplomacy": ["geneva-truce", "kuala-lumpur-talks", "trump-xi-busan-meeting"],
    "outlet=unidentified-outlet": [
        "geneva-truce",
        "kuala-lumpur-talks",
        "trump-xi-busan-meeting",
        "100-percent-tariff-threat",
    ],
    "outlet=the-saurashtra": [
        "rare-earth-export-controls",
        "kuala-lumpur-talks",
        "trump-xi-busan-meeting",
        "truce-expiry-november-10",
    ],
    "status=scheduled": ["trump-xi-busan-meeting", "truce-expiry-november-10"],
    "status=threatened": ["100-percent-tariff-threat"],
    "start=2025-10-01&end=2025-10-31": [
        "rare-earth-export-controls",
        "kuala-lumpur-talks",
        "trump-xi-busan-meeting",
    ],
    # An event still under way on the first day counts.
    "start=2025-10-26": [
        "kuala-lumpur-talks",
        "trump-xi-busan-meeting",
        "100-percent-tariff-threat",
        "truce-expiry-november-10",
    ],
    "end=2025-05-31": ["april-2025-tariff-escalation", "geneva-truce"],
    "q=Gyeongju": ["trump-xi-busan-meeting"],
    "q=Geneva": ["geneva-truce", "truce-expiry-november-10"],
    "q=convened": ["kuala-lumpur-talks"],
    "q=nothing+like+it": [],
    "topic=tariffs&status=scheduled&outlet=industrial-pc-world": ["truce-expiry-november-10"],
}


def test_filters_and_search_narrow_the_timeline(seeded, client, pinned_today):
    shown = {query: event_cards(page(client, f"/?{query}")) for query in FILTERS}
    assert shown == FILTERS


def test_a_filtered_timeline_says_how_many_events_match(seeded, client, pinned_today):
    doc = page(client, "/?status=scheduled")
    assert doc.find("p", cls="count").words() == "2 events match the filters."
    assert doc.find("a", cls="reset").attrs["href"] == "/"
    empty = page(client, "/?q=nothing+like+it")
    assert empty.find("li", cls="empty").words() == "No event matches these filters."


BAD_FILTERS = [
    "status=bogus",
    "start=next+tuesday",
    "end=2025-13-45",
    "topic=nope",
    "outlet=nobody",
]


def test_a_bad_filter_value_is_reported_not_a_crash(seeded, client, pinned_today):
    for query in BAD_FILTERS:
        doc = page(client, f"/?{query}")
        warning = doc.find("p", cls="warning")
        assert warning is not None, query
        assert warning.words().startswith("Some filters were not understood"), query
        assert event_cards(doc) == SLUGS, query


def test_a_bad_filter_does_not_drop_the_good_ones(seeded, client, pinned_today):
    doc = page(client, "/?status=threatened&start=not-a-date")
    assert doc.find("p", cls="warning").words().startswith("Some filters were not understood")
    assert event_cards(doc) == ["100-percent-tariff-threat"]


# --- an event -------------------------------------------------------------------------------


def test_the_event_page_groups_evidence_by_outlet(seeded, client, pinned_today):
    doc = page(client, "/events/trump-xi-busan-meeting/")
    assert doc.find("h1").words() == "Trump and Xi meet in Busan"
    groups = {
        outlet_of(group.find("h3")): len(group.find_all("blockquote"))
        for group in doc.find_all("section", cls="outlet-group")
    }
    assert groups == dict(zip(OUTLETS, [2, 1, 1, 3, 1], strict=True))
    assert doc.find("p", cls="coverage-line").words() == (
        "Reported by 5 of 5 outlets in TradeWatch, in 8 quotes."
    )
    assert [c.find(cls="conflict-title").words() for c in doc.find_all("div", cls="conflict")] == [
        "⚠ Sources differ on timing: some name the day, others only a far wider period",
        "⚠ Sources disagree on the place",
    ]
    saurashtra = doc.find_all("section", cls="outlet-group")[3]
    notes = [span.words() for span in saurashtra.find_all("span", cls="mention-note")]
    assert "this Thursday → Thu 30 Oct 2025, relative to publication on Wed 29 Oct 2025" in notes


def test_the_event_page_shows_who_disagrees_on_the_date(seeded, client, pinned_today):
    doc = page(client, "/events/kuala-lumpur-talks/")
    assert doc.find("p", cls="coverage-line").words() == (
        "Reported by 4 of 5 outlets in TradeWatch, in 4 quotes."
    )
    [conflict] = doc.find_all("div", cls="conflict")
    sides = [li.words() for li in conflict.find_all("li")]
    assert sides == [
        "Sat 25 – Sun 26 Oct 2025 (as on the timeline): Daily Global Reports, "
        "The High Street Journal, The Saurashtra",
        "on Friday → Fri 24 Oct 2025: Unidentified outlet (publication date estimated: the "
        "date it disagrees on may rest on that estimate)",
    ]
    notes = [span.words() for span in doc.find_all("span", cls="mention-note")]
    assert "on Sunday → Sun 26 Oct 2025, the Sunday before publication on Mon 27 Oct 2025 " in (
        " ".join(notes) + " "
    )


def test_an_event_the_sources_agree_on_says_so(seeded, client, pinned_today):
    doc = page(client, "/events/geneva-truce/")
    assert doc.by_id("agreement").words() == "The sources agree"
    assert doc.find("div", cls="conflict") is None
    assert "Reported by 2 of 5 outlets" in doc.find("p", cls="coverage-line").words()


def test_unknown_slugs_are_not_found(db, client):
    assert client.get("/events/no-such-event/").status_code == 404
    assert client.get("/articles/no-such-report/").status_code == 404


# --- the reports ----------------------------------------------------------------------------


def test_the_reports_are_listed_newest_first(seeded, client):
    doc = page(client, "/articles/")
    rows = [li for li in doc.find("ul", cls="report-list").find_all("li")]
    listed = [(li.find("a").words(), li.find("time").attrs["datetime"]) for li in rows]
    assert [date for _, date in listed] == sorted((d for _, d in listed), reverse=True)
    assert {title for title, _ in listed} == set(Article.objects.values_list("title", flat=True))
    deal = next(li for li in rows if li.find("a").words() == "US China Trade Deal")
    claims = Article.objects.get(title="US China Trade Deal").claims.count()
    assert f"{claims} claims" in deal.words()
    assert "Daily Global Reports" in deal.words()


def test_a_report_page_highlights_its_claims_in_their_passages(seeded, client):
    article = article_by_outlet("Daily Global Reports")
    doc = page(client, article.get_absolute_url())
    for passage in article.passages.all():
        assert doc.by_id(passage.anchor) is not None, passage.anchor
    claims = list(article.claims.select_related("passage").prefetch_related("mentions"))
    assert claims
    for claim in claims:
        mark = doc.by_id(claim.anchor)
        assert mark.tag == "mark" and "claim" in mark.classes
        assert mark.text() == claim.sentence
        assert any(el.id == claim.passage.anchor for el in mark.ancestors())
    assert doc.find("a", cls="original").attrs["href"] == article.url


def test_a_report_page_shows_resolved_dates_and_the_events_each_claim_supports(seeded, client):
    article = article_by_outlet("Daily Global Reports")
    content = client.get(article.get_absolute_url()).content.decode()
    assert '<mark class="claim' in content
    doc = parse(content)
    claim = article.claims.get(sentence__contains="expected to meet Thursday")
    [mention] = claim.mentions.all()
    [underlined] = doc.by_id(claim.anchor).find_all("span", cls="date")
    assert underlined.words() == mention.text == "Thursday"
    assert (
        underlined.attrs["title"]
        == mention.explanation
        == (
            "Thursday → Thu 30 Oct 2025, the Thursday after publication on Mon 27 Oct 2025 "
            "(future tense)"
        )
    )
    notes = claim_notes(doc, claim)
    assert "Thu 30 Oct 2025" in notes.words()
    [supports] = notes.find_all("a", cls="supports")
    assert supports.attrs["href"] == "/events/trump-xi-busan-meeting/"
    assert "Trump and Xi meet in Busan" in supports.words()
    assert "supports" in notes.words()
    # A claim no accepted evidence ties to an event names none.
    figure = article.claims.get(sentence__contains="Farmers will feel good")
    assert claim_notes(doc, figure).find("a", cls="supports") is None


def test_a_report_page_says_why_each_date_resolves_as_it_does(db, client):
    article = ingest_report(
        title="Paperwork",
        outlet="Tariff Lines",
        published=date(2025, 12, 1),
        body="Trump signed the executive orders on Tuesday, Nov. 4.\n\n"
        "China's customs tariff commission answered a day later.\n\n"
        "The commerce minister said on Friday that talks would resume next month.",
    ).article
    doc = parse(client.get(article.get_absolute_url()).content.decode())
    reasons = [chip.words() for chip in doc.find_all("span", cls="chip-how")]
    assert reasons == [
        "publication year",
        "counted from Tue 4 Nov 2025, the day named before it",
        "the Friday before publication on Mon 1 Dec 2025 (past tense)",
        "relative to the statement made on Fri 28 Nov 2025",
    ]


def test_each_passage_with_claims_links_once_to_the_same_words_on_the_original_page(seeded, client):
    article = article_by_outlet("Daily Global Reports")
    doc = page(client, article.get_absolute_url())
    cited = article.passages.filter(claims__isnull=False).distinct().order_by("position")
    assert article.claims.count() > cited.count() > 1, "some passage holds several claims"
    links = doc.find_all("a", cls="fragment")
    assert [a.attrs["href"] for a in links] == [
        article.url + text_fragment(passage.text) for passage in cited
    ]
    assert [a.words() for a in links] == [
        f"¶{passage.position} on the original page ↗" for passage in cited
    ]
    # Each sits with its own passage's claims.
    for link, passage in zip(links, cited, strict=True):
        assert any(el.id == passage.anchor for el in link.ancestors())


def test_a_report_without_a_url_offers_no_original_page(seeded, client):
    article = article_by_outlet("Unidentified outlet")
    assert article.url is None
    response = client.get(article.get_absolute_url())
    doc = parse(response)
    assert "#:~:text=" not in response.content.decode()
    assert doc.find("a", cls="original") is None
    assert doc.find("a", cls="fragment") is None
    assert doc.find_all("mark", cls="claim"), "its claims are still highlighted"


# --- coverage -------------------------------------------------------------------------------


def test_the_coverage_grid_shows_which_outlet_reported_which_event(seeded, client):
    doc = page(client, "/coverage/")
    table = doc.find("table", cls="coverage")
    header = [th.words() for th in table.find("thead").find_all("th")]
    assert header == ["Event", *OUTLETS, "Outlets", "Independent reports"]
    grid = {}
    for row in table.find("tbody").find_all("tr"):
        slug = row.find("th").find("a").attrs["href"].split("/")[2]
        cells = [td for td in row.find_all("td") if "total" not in td.classes]
        grid[slug] = (
            [int(re.match(r"\d+", td.words())[0]) if "hit" in td.classes else 0 for td in cells],
            row.find("td", cls="total").words(),
        )
    assert grid == {
        "april-2025-tariff-escalation": ([0, 1, 0, 0, 0], "1 / 5"),
        "geneva-truce": ([0, 0, 1, 0, 1], "2 / 5"),
        "rare-earth-export-controls": ([0, 1, 0, 1, 0], "2 / 5"),
        "kuala-lumpur-talks": ([1, 0, 1, 1, 1], "4 / 5"),
        "trump-xi-busan-meeting": ([2, 1, 1, 3, 1], "5 / 5"),
        "100-percent-tariff-threat": ([1, 1, 1, 0, 1], "4 / 5"),
        "truce-expiry-november-10": ([1, 1, 0, 1, 0], "3 / 5"),
    }
    assert list(grid) == SLUGS


# --- queries --------------------------------------------------------------------------------

# Queries each page runs, measured on the seed data; they must not grow with the data.
# The timeline and event pages read each event's status history: two queries (the
# changes, and the claims they rest on with their reports and outlets).
# The timeline also counts its events by month (one grouped query), reads what is coming
# up (two: the events, their changes) and the latest developments (one); its overview
# reads the events of the whole period and their changes (two). The coverage grid counts
# its events for its pages, then reads a page of them, the outlets and their quotes' counts.
QUERIES = {
    "/": 14,
    "/?topic=tariffs&status=scheduled&q=truce&start=2025-01-01": 15,
    "/?period=2025-10": 14,
    "/events/trump-xi-busan-meeting/": 7,
    "/articles/": 2,
    "/articles/us-china-trade-deal/": 5,
    "/coverage/": 4,
}
# The same pages again once the data has grown, with the grown event and report too.
GROWN = {
    **QUERIES,
    "/events/protocol-07/": QUERIES["/events/trump-xi-busan-meeting/"],
    "/articles/every-protocol-of-december/": QUERIES["/articles/us-china-trade-deal/"],
}


def test_no_page_runs_more_queries_as_the_timeline_grows(
    seeded, client, settings, django_assert_num_queries
):
    # Counted on a day before the Busan meeting, so that something is coming up at both
    # sizes; the reports that grow the data are ingested a year later.
    settings.TRADEWATCH_TODAY = "2025-10-20"
    for url, n in QUERIES.items():
        with django_assert_num_queries(n, info=url):
            assert client.get(url).status_code == 200

    settings.TRADEWATCH_TODAY = "2026-11-21"
    grow(events=20, outlets=6)
    settings.TRADEWATCH_TODAY = "2025-10-20"
    home = page(client, "/")
    assert len(event_cards(home)) == 27
    assert "14 sources · 11 outlets" in home.by_id("event-trump-xi-busan-meeting").words()
    assert (
        len(page(client, "/articles/every-protocol-of-december/").find_all("mark", cls="claim"))
        == 20
    )

    for url, n in GROWN.items():
        with django_assert_num_queries(n, info=url):
            assert client.get(url).status_code == 200


def test_quotes_of_one_day_keep_their_order_whatever_order_the_rows_were_stored_in(
    db, client, pinned_today
):
    from .factories import add_report, claim_with, make_event

    def build(order):
        event = make_event(
            f"talks-{order}", date(2025, 10, 26), keywords=["talks"], title=f"Talks {order}"
        )
        names = ["Bravo", "Alpha"] if order == "reversed" else ["Alpha", "Bravo"]
        reports = {
            name: add_report(
                f"Officials held talks on Sunday in Kuala Lumpur, {name} reported.",
                published=date(2025, 10, 27),
                title=f"{name} {order}",
                outlet=f"{name} Wire",
            ).article
            for name in names
        }
        rows = []
        for name in names:
            claim = claim_with("held talks", reports[name])
            ev, _ = Evidence.objects.get_or_create(event=event, claim=claim)
            rows.append(ev)
        decide(rows, Evidence.State.ACCEPTED)
        card = page(client, "/").by_id(f"event-{event.slug}")
        return [cite.words() for cite in card.find_all("cite")]

    assert build("stored") == build("reversed") == ["Alpha Wire", "Bravo Wire"]


def test_the_reports_list_is_paged(db, client, pinned_today):
    from articles.models import Outlet
    from timeline.views import REPORTS_PER_PAGE

    from .factories import add_report

    Outlet.objects.create(name="Test Wire", slug="test-wire")
    for n in range(REPORTS_PER_PAGE + 3):
        add_report(f"Report {n} says talks were held on Sunday.", published=date(2025, 10, 27))
    first = page(client, "/articles/?outlet=test-wire")
    assert len(first.find("ul", cls="report-list").find_all("li")) == REPORTS_PER_PAGE
    assert "Page 1 of 2" in first.find("nav", cls="pager").words()
    second = page(client, "/articles/?outlet=test-wire&page=2")
    assert len(second.find("ul", cls="report-list").find_all("li")) == 3
    # A page number past the end, or not a number, shows the nearest page.
    assert page(client, "/articles/?page=99").find("nav", cls="pager") is not None


def test_an_event_without_accepted_evidence_is_not_public(seeded, client, pinned_today):
    from .factories import make_event

    make_event("rumoured-visit", date(2026, 4, 1), title="Rumoured visit", precision="month")
    assert client.get("/events/rumoured-visit/").status_code == 404
    assert "rumoured-visit" not in event_cards(page(client, "/"))

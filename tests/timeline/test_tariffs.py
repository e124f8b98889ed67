"""The tariff chart (/tariffs/): points read from claims' typed figures, one line per basis,
steps at changes, threats dashed, every point linked to its quote, editors' decisions kept.

The cast: two outlets report the same months. Harbour Wire gives the April escalation, the
May cut, a total rate and the 100% threat; Lantern Post gives the same threat and a total
rate that disagrees with Harbour Wire's on the same day.
"""

import doctest
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

import timeline.charts
import timeline.tariffs
from articles.models import Claim
from timeline.charts import WIDE, build_chart
from timeline.models import Evidence, TariffPoint
from timeline.tariffs import decide_points, read_points, refresh_points

from .factories import add_report, claim_with, make_event
from .pages import parse

APRIL = "In April, Washington raised its additional tariffs on Chinese goods to 145%."
MAY = "Since May 14, Washington has charged an additional 30% tariff on Chinese goods."
TOTAL_55 = "Washington has charged a total tariff of 55% on Chinese goods since October 20."
TOTAL_57 = "Washington has charged a total tariff of 57% on Chinese goods since October 20."
THREAT = "Trump threatened an additional 100% tariff on Chinese goods from November 1."
CHINA = "In April, China responded with additional tariffs of 125% on US goods."
HARBOUR = [APRIL, MAY, TOTAL_55, THREAT, CHINA]
WIDE_PLOT = WIDE.plot_width


def harbour_report(extra=()):
    return add_report(
        "\n\n".join([*HARBOUR, *extra]),
        published=date(2025, 11, 3),
        title="How the tariffs got here",
        outlet="Harbour Wire",
        url="https://harbour.example/tariffs",
    ).article


@pytest.fixture
def harbour(db):
    return harbour_report()


@pytest.fixture
def lantern(db):
    return add_report(
        f"{TOTAL_57}\n\n{THREAT}",
        published=date(2025, 11, 4),
        title="Where the tariffs stand",
        outlet="Lantern Post",
        url="https://lantern.example/tariffs",
    ).article


@pytest.fixture
def superuser_client(client, django_user_model, db):
    """Ada runs the site: a superuser."""
    ada = django_user_model.objects.create_superuser("ada", "ada@example.com", "not-a-password")
    client.force_login(ada)
    return client


def point_of(sentence, article=None) -> TariffPoint:
    return TariffPoint.objects.get(claim=claim_with(sentence, article))


def chart():
    return build_chart(TariffPoint.objects.drawn())


def panel(imposed_by, size="wide"):
    panels = {"wide": chart().wide, "narrow": chart().narrow}[size]
    return next(p for p in panels if p.imposed_by == imposed_by)


def series(imposed_by, basis):
    return next(s for s in panel(imposed_by).series if s.basis == basis)


def mark(series_, rate, status="in_force"):
    (found,) = [m for m in series_.marks if m.rate == rate and m.status == status]
    return found


def wide_points(page):
    """The chart's links at the wide size (the narrow one holds the same)."""
    return [
        a
        for figure in page.find_all("figure", cls="tariff-panel--wide")
        for a in figure.find_all("a", cls="point")
    ]


# --- reading figures ---------------------------------------------------------------------


def test_the_reading_rules_and_the_drawing_hold_their_examples():
    assert doctest.testmod(timeline.tariffs).failed == 0
    assert doctest.testmod(timeline.charts).failed == 0


def test_only_percentages_with_a_known_imposer_become_points():
    figures = [
        {"text": "145%", "value": 145, "unit": "%", "basis": "additional", "imposed_by": "US"},
        {"text": "$3bn", "value": 3e9, "unit": "USD", "basis": None, "imposed_by": None},
        {"text": "10%", "value": 10, "unit": "%", "basis": None, "imposed_by": None},
        {"text": "10-15%", "value": None, "unit": "%", "basis": None, "imposed_by": "China"},
        {"text": "2 percentage points", "value": 2, "unit": "percentage points"},
    ]
    sentence = "The US charges 145%, trade worth $3bn, 10% here, 10-15% there, 2 percentage points."
    (point,) = read_points(figures, sentence)
    assert (point.figure, point.value, point.imposed_on, point.day) == (0, 145, "", None)


def test_a_date_in_another_clause_or_a_bare_year_does_not_date_a_rate(harbour):
    assert point_of(APRIL).day == date(2025, 4, 1)
    assert point_of(APRIL).precision == "month"
    assert point_of(THREAT).day == date(2025, 11, 1)
    article = add_report(
        "Last year the US charged a 20% fentanyl tariff on Chinese goods.\n\n"
        "The fentanyl tariff fell to 10%, and the pause now runs to Nov. 10, 2026.",
        published=date(2026, 1, 9),
        outlet="Year Review",
    ).article
    assert [p.day for p in TariffPoint.objects.filter(claim__article=article)] == [None, None]


# --- series, steps, threats, sources --------------------------------------------------------


def test_an_additional_duty_and_a_total_rate_are_never_on_one_line(harbour):
    us = panel("US")
    assert [s.basis for s in us.series] == ["additional", "total"]
    additional, total = us.series
    assert {m.rate for m in additional.marks} == {"145%", "30%", "100%"}
    assert {m.rate for m in total.marks} == {"55%"}
    assert [s.basis for s in panel("China").series] == ["additional"]


def test_the_level_steps_at_the_day_it_changed(harbour):
    additional = series("US", "additional")
    april, may = mark(additional, "145%"), mark(additional, "30%")
    assert may.day == date(2025, 5, 14)
    # Held at 145% from April to 14 May, then down to 30%; nothing after the last source.
    assert additional.line == f"M{april.x} {april.y}H{may.x}V{may.y}"
    assert april.y < may.y


def test_a_threatened_level_is_drawn_dashed_apart_from_the_level_in_force(harbour, lantern, client):
    additional = series("US", "additional")
    threat = mark(additional, "100%", "threatened")
    assert f"{threat.y}" not in additional.line
    page = parse(client.get(reverse("tariffs")))
    (group,) = [
        g
        for figure in page.find_all("figure", cls="tariff-panel--wide")
        for g in figure.find_all("g", cls="basis-additional")
        if g.find("path", cls="level") and "US" in figure.find("h2").words()
    ]
    assert group.find("path", cls="level").attrs.get("stroke-dasharray") is None
    points = [a for a in group.find_all("a", cls="point") if a.attrs["data-status"] == "threatened"]
    assert [p.attrs["data-rate"] for p in points] == ["100%"]
    # The legend says it in words, not by the dash alone.
    assert "dashed: threatened" in page.find("ul", cls="tariff-legend").words()


def test_one_level_several_sources_give_on_one_day_is_one_point(harbour, lantern):
    threat = mark(series("US", "additional"), "100%", "threatened")
    assert [r.outlet for r in threat.sources] == ["Harbour Wire", "Lantern Post"]
    assert "2 sources" in threat.tooltip


def test_outlets_that_disagree_on_a_level_are_both_shown(harbour, lantern, client):
    total = series("US", "total")
    harbour_mark, lantern_mark = mark(total, "55%"), mark(total, "57%")
    assert harbour_mark.day == lantern_mark.day == date(2025, 10, 20)
    assert harbour_mark.disputed and lantern_mark.disputed
    hrefs = {a.attrs["href"] for a in wide_points(parse(client.get(reverse("tariffs"))))}
    assert claim_with(TOTAL_55).get_absolute_url() in hrefs
    assert claim_with(TOTAL_57).get_absolute_url() in hrefs


def test_a_rate_its_sentence_does_not_date_takes_its_events_day_else_the_reports(db):
    article = add_report(
        "Washington charges an additional 20% fentanyl tariff on Chinese goods.",
        published=date(2025, 10, 29),
        outlet="Harbour Wire",
    ).article
    fentanyl = series("US", "fentanyl")
    assert fentanyl.marks[0].day == date(2025, 10, 29)
    assert chart().rows[0].dated_by == "the report"
    event = make_event("fentanyl-duty", date(2025, 3, 4), title="Fentanyl duty raised")
    Evidence.objects.create(event=event, claim=article.claims.get(), state=Evidence.State.ACCEPTED)
    (row,) = chart().rows
    assert (row.day, row.dated_by) == (date(2025, 3, 4), "the event: Fentanyl duty raised")


# --- links and the table --------------------------------------------------------------------


def test_each_point_links_to_its_quote_on_the_report_page(harbour, lantern, client):
    points = wide_points(parse(client.get(reverse("tariffs"))))
    assert len(points) == 6  # 145, 30, 100 (two sources, one point), 55, 57, China's 125
    for a in points:
        path, _, anchor = a.attrs["href"].partition("#")
        assert resolve(path).url_name == "article"
        report = parse(client.get(path))
        target = report.by_id(anchor)
        assert target is not None and target.tag == "mark"
        assert a.find("title").words().startswith(f"{a.attrs['data-rate']}, ")
        claim = Claim.objects.get(pk=anchor.removeprefix("claim-"))
        assert target.words() == claim.sentence


def test_the_table_holds_the_same_data_as_the_chart(harbour, lantern, client):
    page = parse(client.get(reverse("tariffs")))
    rows = page.find("table", cls="tariff-table").find("tbody").find_all("tr")
    assert len(rows) == TariffPoint.objects.count() == 7  # 5 + 2: the threat has two sources
    in_table = {
        (
            r.attrs["data-day"],
            r.attrs["data-basis"],
            r.attrs["data-status"],
            r.find_all("td")[1].words(),
            r.find("a", cls="source").attrs["href"],
        )
        for r in rows
    }
    in_chart = set()
    for figure in page.find_all("figure", cls="tariff-panel--wide"):
        for group in figure.find_all("g", cls="series"):
            for a in group.find_all("a", cls="point"):
                in_chart.add(
                    (
                        a.attrs["data-day"],
                        group.attrs["data-basis"],
                        a.attrs["data-status"],
                        a.attrs["data-rate"],
                        a.attrs["href"],
                    )
                )
    # Each point in the table, and each row on the chart (a point of several sources
    # links to its first; the table lists them all).
    assert in_chart <= in_table
    assert {row[:4] for row in in_table} == {point[:4] for point in in_chart}
    first = rows[0].find_all("td")
    assert first[0].words() == "April 2025 dated by the sentence"
    assert [td.words() for td in first[1:5]] == ["145%", "US", "China", "additional duty"]
    assert first[7].words() == APRIL


def test_the_table_is_read_a_page_at_a_time_while_the_chart_draws_every_point(
    harbour, lantern, client, monkeypatch
):
    monkeypatch.setattr(timeline.charts, "TABLE_ROWS", 3)

    def table_page(query=""):
        page = parse(client.get(reverse("tariffs") + query))
        rows = page.find("table", cls="tariff-table").find("tbody").find_all("tr")
        links = {
            a.attrs["rel"]: a.attrs["href"] for a in page.find("nav", cls="pager").find_all("a")
        }
        return page, [(r.find("a", cls="source").attrs["href"], r.words()) for r in rows], links

    first, rows_1, links_1 = table_page()
    assert len(rows_1) == 3 and "Rows 1–3 of 7." in first.words()
    assert links_1 == {"next": "?page=2#tariff-table-title"}
    second, rows_2, links_2 = table_page("?page=2")
    assert links_2 == {"prev": "?page=1#tariff-table-title", "next": "?page=3#tariff-table-title"}
    third, rows_3, links_3 = table_page("?page=3")
    assert "Page 3 of 3" in third.words() and set(links_3) == {"prev"}
    # Every source once across the pages, in the order one long table had them.
    monkeypatch.setattr(timeline.charts, "TABLE_ROWS", 100)
    whole = parse(client.get(reverse("tariffs")))
    assert whole.find("nav", cls="pager") is None
    every = [
        (r.find("a", cls="source").attrs["href"], r.words())
        for r in whole.find("table", cls="tariff-table").find("tbody").find_all("tr")
    ]
    assert rows_1 + rows_2 + rows_3 == every
    # The chart is the same on every page: all seven sources' points.
    drawn = [[a.attrs for a in wide_points(page)] for page in (first, second, third, whole)]
    assert drawn[0] == drawn[1] == drawn[2] == drawn[3]
    assert sum(int(a["data-sources"]) for a in drawn[0]) == 7
    # A page past the end shows the last; one that is not a number, the first.
    monkeypatch.setattr(timeline.charts, "TABLE_ROWS", 3)
    assert table_page("?page=99")[1] == rows_3
    assert table_page("?page=x%27")[1] == rows_1


def test_a_series_of_more_days_than_the_width_can_tell_apart_is_drawn_a_month_to_a_point(
    harbour, lantern, client, monkeypatch
):
    for n in range(1, 7):
        add_report(
            TOTAL_55.replace("October 20", f"October {n}"),
            published=date(2025, 11, 5),
            title=f"Total tariffs, part {n}",
            outlet=f"Outlet {n}",
        )
    page = parse(client.get(reverse("tariffs")))
    drawn = [a for a in wide_points(page) if a.attrs["data-rate"] in ("55%", "57%")]
    assert len(drawn) == 8  # a point a day: October 1 to 6, and 55% and 57% on the 20th
    assert "One point per" not in page.words()

    # As if the panels were narrow enough to hold only four points a series.
    monkeypatch.setattr(timeline.charts, "MARK_GAP", WIDE_PLOT // 4)
    page = parse(client.get(reverse("tariffs")))
    figure = page.find("figure", cls="tariff-panel--wide")
    total = next(g for g in figure.find_all("g", cls="series") if g.attrs["data-basis"] == "total")
    marks = {a.attrs["data-rate"]: a for a in total.find_all("a", cls="point")}
    assert set(marks) == {"55%", "57%"}
    assert marks["55%"].attrs["data-day"] == "2025-10-01"
    assert marks["55%"].attrs["data-sources"] == "7"
    assert marks["55%"].find("title").words().startswith("55%, in force, October 2025 ·")
    # Two levels in one month are no dispute: the level may have changed within it.
    assert "point--disputed" not in marks["57%"].attrs["class"]
    assert "One point per level and month" in figure.words()
    # The table still dates each source by its own day.
    days = [r.attrs["data-day"] for r in page.find_all("tr", cls="tariff-row")]
    assert {f"2025-10-0{n}" for n in range(1, 7)} | {"2025-10-20"} <= set(days)


def test_the_chart_has_an_accessible_name_and_a_legend_in_words(harbour, client):
    page = parse(client.get(reverse("tariffs")))
    svg = page.find("figure", cls="tariff-panel--wide").find("svg", cls="tariff-chart")
    assert svg.attrs["role"] == "group"  # not "img": it holds links (axe: nested-interactive)
    assert "additional duty: in force 145% → 30%; threatened 100%" in svg.attrs["aria-label"]
    assert svg.find("title").words() == svg.attrs["aria-label"]
    assert "additional duty" in page.find("ul", cls="tariff-legend").words()


def test_the_page_says_so_when_no_report_gives_a_rate(client, db):
    assert "No report gives a tariff rate yet." in client.get(reverse("tariffs")).content.decode()


# --- editors --------------------------------------------------------------------------------


def test_an_editors_correction_is_drawn_and_a_reingest_does_not_overwrite_it(
    harbour, superuser_client, client
):
    from .test_admin import form_data

    point = point_of(MAY)
    url = reverse("admin:timeline_tariffpoint_change", args=[point.pk])
    data = form_data(superuser_client.get(url))
    data.update(value="31", day="2025-05-12")
    assert superuser_client.post(url, data).status_code == 302
    point.refresh_from_db()
    assert (point.state, point.value, point.dated_by) == ("corrected", Decimal("31"), "editor")
    assert point.claim.reviewed
    additional = series("US", "additional")
    assert {m.rate for m in additional.marks} == {"145%", "31%", "100%"}
    assert mark(additional, "31%").day == date(2025, 5, 12)

    # The report again, with a paragraph more: its suggestions are read anew, the
    # editor's correction stays.
    harbour_report(extra=["Since November 10, China has charged an additional 10% tariff."])
    point.refresh_from_db()
    assert (point.state, point.value, point.day) == ("corrected", Decimal("31"), date(2025, 5, 12))
    assert TariffPoint.objects.filter(claim__article=harbour).count() == 6
    rates = {a.attrs["data-rate"] for a in wide_points(parse(client.get(reverse("tariffs"))))}
    assert "31%" in rates and "30%" not in rates


def test_a_rejected_point_is_not_drawn_and_a_reingest_does_not_bring_it_back(harbour, client):
    decide_points([point_of(TOTAL_55)], TariffPoint.State.REJECTED)
    assert [s.basis for s in panel("US").series] == ["additional"]
    assert refresh_points(harbour) == 0
    page = client.get(reverse("tariffs")).content.decode()
    assert claim_with(TOTAL_55).get_absolute_url() not in page


def test_a_suggested_point_follows_its_claims_figures_and_goes_with_them(harbour):
    point = point_of(MAY)
    claim = point.claim
    claim.figures = [{**claim.figures[0], "value": 35}]
    claim.save()
    assert refresh_points(harbour) == 1
    point.refresh_from_db()
    assert point.value == 35
    claim.figures = []
    claim.save()
    refresh_points(harbour)
    assert not TariffPoint.objects.filter(pk=point.pk).exists()


def test_the_command_fills_in_the_points_of_reports_stored_before(harbour):
    from django.core.management import call_command

    TariffPoint.objects.all().delete()
    call_command("tariff_points", stdout=__import__("io").StringIO())
    assert TariffPoint.objects.filter(claim__article=harbour).count() == 5


def test_the_admin_lists_and_shows_points(harbour, superuser_client):
    listing = superuser_client.get(
        reverse("admin:timeline_tariffpoint_changelist"), {"imposed_by__exact": "China"}
    )
    assert listing.status_code == 200
    assert "125%" in listing.content.decode()
    assert "145%" not in listing.content.decode()
    point = point_of(APRIL)
    page = superuser_client.get(reverse("admin:timeline_tariffpoint_change", args=[point.pk]))
    assert page.status_code == 200
    assert claim_with(APRIL).get_absolute_url() in page.content.decode()


def test_the_confirm_action_confirms_points_and_keeps_their_claims(harbour, superuser_client):
    points = [point_of(APRIL), point_of(MAY)]
    response = superuser_client.post(
        reverse("admin:timeline_tariffpoint_changelist"),
        {"action": "confirm", "_selected_action": [p.pk for p in points]},
    )
    assert response.status_code == 302
    for point in points:
        point.refresh_from_db()
        assert point.state == "confirmed"
        assert point.decided_by.username == "ada"
        assert point.claim.reviewed
    assert point_of(THREAT).state == "suggested"
    rows = chart().rows
    assert [r.checked for r in rows if r.point.pk == points[0].pk] == ["confirmed by an editor"]


# --- queries --------------------------------------------------------------------------------


def test_the_page_runs_the_same_queries_however_many_points(harbour, client):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("tariffs")).status_code == 200
        return len(queries)

    small = count()
    for n in range(6):
        article = add_report(
            f"{TOTAL_57}\n\n{THREAT}\n\nSince May {n + 1}, China has charged an additional "
            f"{10 + n}% tariff on US goods.",
            published=date(2025, 11, 5 + n),
            title=f"Tariffs, part {n}",
            outlet=f"Outlet {n}",
        ).article
        event = make_event(f"event-{n}", date(2025, 6, 1 + n))
        for claim in article.claims.all():
            Evidence.objects.create(event=event, claim=claim, state=Evidence.State.ACCEPTED)
    assert TariffPoint.objects.count() == 5 + 18
    assert count() == small == 2


@pytest.mark.page_cache
@pytest.mark.django_db(transaction=True)
def test_a_decision_on_a_point_shows_at_once_on_the_cached_page():
    from django.test import Client

    harbour_report()
    href = claim_with(TOTAL_55).get_absolute_url()
    first = Client().get(reverse("tariffs"))
    assert first["X-Cache"] == "miss" and href in first.content.decode()
    assert Client().get(reverse("tariffs"))["X-Cache"] == "hit"
    # In bulk, as the admin's action does: no model signal, the version is bumped all the same.
    decide_points([point_of(TOTAL_55)], TariffPoint.State.REJECTED)
    after = Client().get(reverse("tariffs"))
    assert after["X-Cache"] == "miss" and href not in after.content.decode()

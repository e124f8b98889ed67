"""Many reports through the door at once (ingest_reports, as `manage.py ingest` and
`seed --fixtures` send them): each stored exactly as the door stores it alone, a bad one
refused alone, and the timeline's reads made once for the batch."""

from datetime import timedelta

import pytest
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from articles import services, wire_groups
from articles.analysts import Analysts
from articles.models import Article, Claim
from articles.reports import ReportError, decode, parse_report
from articles.services import CREATED, UPDATED, ingest_report, ingest_reports
from tests.seeds import SEED_REPORTS
from timeline import receivers
from timeline.models import Evidence, TariffPoint


def seed_fields(path):
    return parse_report(decode(path.read_bytes()), source_name=path.name).fields()


def batch():
    """Each seed again a week later under another outlet and URL, with a line of its
    own; a correction of the first (its line reworded); a copy of the second's text under
    another URL; a report with nothing but boilerplate."""
    reports = []
    for n, path in enumerate(SEED_REPORTS):
        fields = seed_fields(path)
        reports.append(
            fields
            | {
                "title": f"{fields['title']} (again)",
                "outlet": f"Second Desk {n}",
                "url": f"https://second.example/{n}",
                "published": fields["published"] + timedelta(days=7),
                "body": f"Filed by the second desk, number {n}.\n\n{fields['body']}",
            }
        )
    first = reports[0]
    corrected = first | {"body": first["body"].replace("Filed by", "Corrected by", 1)}
    copied = reports[1] | {"url": "https://third.example/copy", "title": "A copy"}
    empty = reports[2] | {"url": "https://third.example/empty", "body": "Share this article"}
    return [*reports, corrected, copied, empty]


def stored() -> dict:
    """What a reader or an editor would find, by what it is rather than by its row ids
    (each list in one order, whatever the order the rows were written in)."""
    return {
        "articles": in_order(
            (a.url, a.title, a.outlet.name, a.published, a.wire_group, a.wire_origin, a.version)
            for a in Article.objects.select_related("outlet")
        ),
        "claims": in_order(
            (c.article.url, c.start, c.end, c.kind, c.attribution, c.anchor_state)
            + tuple(sorted(t.slug for t in c.topics.all()))
            + tuple((m.text, m.date_start, m.date_end) for m in c.mentions.all())
            for c in Claim.objects.select_related("article").prefetch_related("topics", "mentions")
        ),
        "evidence": in_order(
            (ev.event.slug, ev.claim.article.url, ev.claim.start, ev.stance, ev.state)
            + (ev.score, ev.outcome, ev.outcome_date, ev.mention.text if ev.mention else "")
            for ev in Evidence.objects.select_related("event", "claim__article", "mention")
        ),
        "tariff points": in_order(
            (p.claim.article.url, p.claim.start, p.figure, str(p.value), p.status, p.state)
            for p in TariffPoint.objects.select_related("claim__article")
        ),
        "versions": [
            Article.history.count(),
            Claim.history.count(),
            Evidence.history.count(),
            TariffPoint.history.count(),
        ],
    }


def in_order(rows) -> list:
    return sorted(rows, key=repr)


def outcome(result) -> str:
    return result.status if not isinstance(result, Exception) else type(result).__name__


def one_at_a_time(reports) -> list:
    results = []
    for report in reports:
        try:
            results.append(ingest_report(**report))
        except ReportError as exc:
            results.append(exc)
    return results


def rolled_back(ingest, reports):
    """What `ingest` stores and answers for the reports, then undone."""
    with transaction.atomic():
        results = [outcome(r) for r in ingest(reports)]
        found = stored()
        transaction.set_rollback(True)
    return results, found


@pytest.mark.parametrize("size", [25, 3])
def test_a_batch_stores_what_the_door_stores_one_report_at_a_time(seeded, monkeypatch, size):
    monkeypatch.setattr(services, "BATCH_SIZE", size)
    reports = batch()

    alone, alone_stored = rolled_back(one_at_a_time, reports)
    together, together_stored = rolled_back(ingest_reports, reports)

    assert alone == [CREATED] * 5 + [UPDATED, "ReportError", "ReportError"]
    assert together == alone
    assert alone_stored["evidence"], "the seeds' events are suggested for the new reports"
    assert alone_stored["tariff points"]
    for part in alone_stored:
        if part != "versions":
            assert together_stored[part] == alone_stored[part], part
    articles, claims, evidence, points = together_stored["versions"]
    assert [articles, claims, points] == [alone_stored["versions"][i] for i in (0, 1, 3)]
    if size == 3:
        assert evidence == alone_stored["versions"][2]
    else:
        # The first report and its correction are in one batch: it is linked once, as it
        # stands at the end. The suggestions for the text it replaced, which no reader
        # could have seen, have no versions of their own.
        assert evidence < alone_stored["versions"][2]


def counting_analyses(monkeypatch) -> list:
    """The analyses and wire signatures the door makes itself (not those its analysts made
    ahead): one entry each. The analysts' processes are forked at their first report, so
    the door's own must be counted without touching the pipeline's, which they run."""
    made = []
    analyse, sign = services.analyse, wire_groups.signature

    def analysed(*args, **kwargs):
        made.append(("analysis", args[1]))
        return analyse(*args, **kwargs)

    def signed(*args, **kwargs):
        made.append(("signature", len(args[0])))
        return sign(*args, **kwargs)

    monkeypatch.setattr(services, "analyse", analysed)
    monkeypatch.setattr(wire_groups, "signature", signed)
    return made


# The analysts are forked; the test runner has threads (its timeout watchdog), which Python
# warns of at fork: they hold no lock the analysts need, and the analysts touch no database.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_batch_analysed_ahead_stores_what_the_door_stores_alone(seeded, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    reports = batch()
    alone, alone_stored = rolled_back(ingest_reports, reports)
    made = counting_analyses(monkeypatch)

    with Analysts() as analysts:
        ahead, ahead_stored = rolled_back(
            lambda reports: ingest_reports(reports, analysts=analysts), reports
        )

    assert ahead == alone
    assert ahead_stored == alone_stored
    # Every report was analysed and signed by the analysts: the door made none of its own.
    assert made == []


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_reports_go_in_when_the_analysts_process_has_died(seeded, monkeypatch):
    reports = batch()
    alone, alone_stored = rolled_back(ingest_reports, reports)
    made = counting_analyses(monkeypatch)

    with Analysts() as analysts:
        # As the kernel's out-of-memory killer would end it: nothing asked of it comes back.
        for process, _ in analysts.running:
            process.kill()
            process.join()
        ahead, ahead_stored = rolled_back(
            lambda reports: ingest_reports(reports, analysts=analysts), reports
        )

    assert ahead == alone
    assert ahead_stored == alone_stored
    # The door analysed every report itself (the copy and the empty one are refused after
    # their analysis, as they are without analysts), and signed those it stored.
    assert [what for what, _ in made].count("analysis") == len(reports)
    assert [what for what, _ in made].count("signature") == len(reports) - 2


def test_the_refused_reports_of_a_batch_say_why_and_the_rest_go_in(seeded):
    results = ingest_reports(batch())

    copied, empty = results[-2:]
    assert isinstance(copied, ReportError) and "duplicate report" in str(copied)
    assert isinstance(empty, ReportError) and "empty body" in str(empty)
    assert Article.objects.filter(url__startswith="https://second.example/").count() == 5
    assert not Article.objects.filter(url__startswith="https://third.example/").exists()


def test_a_batch_whose_linking_fails_goes_in_one_report_at_a_time(seeded, monkeypatch):
    reports = batch()
    _, expected = rolled_back(one_at_a_time, reports)

    def broken(*args, **kwargs):
        raise RuntimeError("the batch's linking failed")

    monkeypatch.setattr(receivers, "link_articles", broken)
    results = ingest_reports(reports)

    assert [outcome(r) for r in results] == [CREATED] * 5 + [UPDATED] + ["ReportError"] * 2
    assert stored() == expected


def test_a_report_whose_reads_fail_in_the_database_fails_alone(seeded, monkeypatch, caplog):
    """A report's reads are not in a savepoint of their own: a read that fails may spoil
    the batch's transaction, and the batch goes in one report at a time."""
    reports = batch()[:5]
    bad = reports[2]["published"]
    read = services.known_dates_around

    def failing(days):
        days = list(days)
        if bad in days:
            raise OperationalError("the read failed")
        return read(days)

    monkeypatch.setattr(services, "known_dates_around", failing)
    results = ingest_reports([*reports, {"published": [bad]}, "no report"])

    expected = ["OperationalError" if r["published"] == bad else CREATED for r in reports]
    assert [outcome(r) for r in results] == [*expected, "TypeError", "TypeError"]
    assert CREATED in expected and "OperationalError" in expected
    assert "ingesting them one at a time" in caplog.text
    assert Article.objects.filter(url__startswith="https://second.example/").count() == (
        expected.count(CREATED)
    )


def test_a_batch_reads_the_topics_and_the_events_near_its_reports_once(seeded):
    """And the events that help read their dates, for all their days at once."""
    reports = batch()[:5]

    with CaptureQueriesContext(connection) as alone:
        with transaction.atomic():
            one_at_a_time(reports)
            transaction.set_rollback(True)
    with CaptureQueriesContext(connection) as together:
        ingest_reports(reports)

    def near(queries):
        return [q for q in queries if "AS has_story" in q["sql"]]

    def topics(queries):
        return [q for q in queries if q["sql"].startswith('SELECT "articles_topic"."id"')]

    def known(queries):  # the events that help read the reports' dates (known_dates)
        return [q for q in queries if q["sql"].startswith(KNOWN)]

    assert len(near(alone.captured_queries)) == len(topics(alone.captured_queries)) == 5
    assert len(near(together.captured_queries)) == len(topics(together.captured_queries)) == 1
    assert len({report["published"] for report in reports}) > 1  # weeks apart: one read
    assert len(known(alone.captured_queries)) == 5
    assert len(known(together.captured_queries)) == 1
    assert len(together.captured_queries) < len(alone.captured_queries)


KNOWN = 'SELECT "id", "title", "start", "end", "place", "keywords" FROM "timeline_event"'


def outlet_reads(queries) -> list:
    return [
        q
        for q in queries
        if q["sql"].startswith('SELECT "articles_outlet"."id"') and "WHERE" in q["sql"]
    ]


def test_a_batch_reads_each_of_its_outlets_until_it_finds_it_stored(seeded):
    reports = [r | {"outlet": "Harbor Desk"} for r in batch()[:5]]

    with CaptureQueriesContext(connection) as together:
        results = ingest_reports(reports)

    assert [outcome(r) for r in results] == [CREATED] * 5
    # The first report finds none and creates it; the second finds it; the rest ask nobody.
    assert len(outlet_reads(together.captured_queries)) == 2
    assert {a.outlet.name for a in Article.objects.filter(url__startswith="https://second.")} == {
        "Harbor Desk"
    }


def test_an_outlet_created_by_a_report_that_failed_is_not_lent_to_the_next(
    seeded, monkeypatch, caplog
):
    first, second = [r | {"outlet": "Ghost Desk"} for r in batch()[:2]]
    store = services.store_analysis

    def fails_after_the_outlet_is_made(article, analysis, **kwargs):
        if article.title == first["title"]:
            raise RuntimeError("the disk filled up")
        return store(article, analysis, **kwargs)

    monkeypatch.setattr(services, "store_analysis", fails_after_the_outlet_is_made)
    results = ingest_reports([first, second, first | {"url": "https://second.example/again"}])

    assert isinstance(results[0], RuntimeError) and isinstance(results[2], RuntimeError)
    assert outcome(results[1]) == CREATED
    assert Article.objects.get(url=second["url"]).outlet.name == "Ghost Desk"
    assert "one at a time" not in caplog.text  # the batch itself went in

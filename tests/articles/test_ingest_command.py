"""The ingest command, end to end: files in, rows and a summary out."""

import gc
import importlib
import io
import json
import os
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles import services
from articles.models import Article, Claim
from tests.conftest import SEED_REPORTS, write_report

BODY = (
    "Officials from both countries held talks on Sunday in Kuala Lumpur.\n\n"
    "“We have a framework,” Bessent said after the meeting.\n"
)


def ingest(*paths, as_json=True, jobs=1):
    out, err = io.StringIO(), io.StringIO()
    args = [str(p) for p in paths] + (["--json"] if as_json else [])
    args += [f"--jobs={jobs}"] if jobs is not None else []
    try:
        call_command("ingest", *args, stdout=out, stderr=err)
        failed = False
    except CommandError:
        failed = True
    return (json.loads(out.getvalue()) if as_json else out.getvalue()), err.getvalue(), failed


@pytest.mark.django_db
def test_it_ingests_the_seed_reports_with_their_claims():
    doc, _, failed = ingest(*SEED_REPORTS)
    assert not failed
    assert [row["status"] for row in doc["articles"]] == ["created"] * 5
    assert Article.objects.count() == 5
    for row in doc["articles"]:
        assert row["claims"], row["file"]
        for claim in row["claims"]:
            assert claim["link"] == f"/articles/{row['slug']}/#claim-{claim['id']}"
            assert claim["passage"].startswith("p-")


@pytest.mark.django_db
def test_it_sets_what_the_process_holds_aside_from_the_garbage_collector(tmp_path):
    """Before its first report, the command sets aside what the process holds for good
    (articles.analysts.ready_to_ingest): a full collection during the ingest then walks
    what the reports make, not Django's, the pipeline's and the date parser's objects."""
    gc.unfreeze()  # as in a process of its own: nothing set aside yet
    held = {"made before the ingest": []}
    path = write_report(tmp_path, "a.txt", published="2025-10-27", body=BODY)
    try:
        assert any(obj is held for obj in gc.get_objects())
        doc, _, failed = ingest(path)
        assert not failed
        assert [row["status"] for row in doc["articles"]] == ["created"]
        # Frozen objects are in no generation the collector walks.
        assert gc.get_freeze_count() > 10_000
        assert gc.is_tracked(held)
        assert not any(obj is held for obj in gc.get_objects())
    finally:
        gc.unfreeze()


@pytest.mark.django_db
def test_without_jobs_sqlite_takes_an_analyst_for_more_than_a_batch(monkeypatch):
    """--jobs unset: one analyst beside the writer on SQLite, when there is more than one
    batch of files and a second CPU to run it; else one process. PostgreSQL: one."""
    from timeline.management.commands.ingest import default_jobs

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    sqlite = connection.vendor == "sqlite"
    assert default_jobs(services.BATCH_SIZE + 1) == (2 if sqlite else 1)
    assert default_jobs(services.BATCH_SIZE) == 1
    assert default_jobs(1) == 1
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert default_jobs(1000) == 1


@pytest.mark.django_db
def test_more_than_a_batch_without_jobs_all_go_in_in_order(tmp_path):
    """Many files and no --jobs (an analyst beside the writer, on SQLite with two CPUs):
    every report goes in, its row in the files' order, with its claims."""
    paths = [
        write_report(
            tmp_path,
            f"r{day}.txt",
            published="2025-10-28",
            url=f"https://wire.example/{day}",
            body=f"Talks resumed on October {day}, 2025, in Kuala Lumpur.\n\n{BODY}",
        )
        for day in range(1, services.BATCH_SIZE + 3)
    ]
    doc, err, failed = ingest(*paths, jobs=None)
    assert not failed, err
    assert [row["status"] for row in doc["articles"]] == ["created"] * len(paths)
    assert [row["file"] for row in doc["articles"]] == [str(p) for p in paths]
    assert Article.objects.count() == len(paths)
    for day, row in enumerate(doc["articles"], start=1):
        dated = [c for c in row["claims"] if c["mentions"]]
        assert dated[0]["mentions"][0]["start"] == f"2025-10-{day:02d}", row["file"]


@pytest.mark.django_db
def test_json_gives_resolved_dates_of_each_mention(tmp_path):
    path = write_report(tmp_path, "a.txt", published="2025-10-27", body=BODY)
    doc, _, _ = ingest(path)
    [row] = doc["articles"]
    dated = [c for c in row["claims"] if c["mentions"]]
    assert dated[0]["sentence"] == (
        "Officials from both countries held talks on Sunday in Kuala Lumpur."
    )
    assert dated[0]["mentions"] == [
        {
            "text": "on Sunday",
            "start": "2025-10-26",
            "end": "2025-10-26",
            "precision": "day",
            "method": "tense",
        }
    ]


@pytest.mark.django_db
def test_every_claim_sentence_is_found_at_its_offsets():
    doc, _, _ = ingest(*SEED_REPORTS)
    for claim in Claim.objects.select_related("article", "passage"):
        assert claim.article.body[claim.start : claim.end] == claim.sentence
        ps, pe = claim.passage_offsets
        assert claim.passage.text[ps:pe] == claim.sentence


@pytest.mark.django_db
def test_the_same_report_twice_is_one_report(tmp_path):
    path = write_report(tmp_path, "a.txt", url="https://example.com/a", body=BODY)
    ingest(path)
    doc, _, failed = ingest(path)
    assert not failed
    assert doc["articles"][0]["status"] == "unchanged"
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_a_report_without_url_is_recognised_by_its_text(tmp_path):
    ingest(write_report(tmp_path, "a.txt", body=BODY))
    doc, _, _ = ingest(write_report(tmp_path, "b.txt", body=BODY))
    assert doc["articles"][0]["status"] == "unchanged"
    # Only blank lines differ: still the same report, with the new raw text kept.
    doc, _, _ = ingest(write_report(tmp_path, "c.txt", body=BODY + "\n\n\n"))
    assert doc["articles"][0]["status"] == "updated"
    assert Article.objects.get().raw_body == BODY + "\n\n\n"


@pytest.mark.django_db
def test_a_changed_body_updates_the_report(tmp_path):
    ingest(write_report(tmp_path, "a.txt", url="https://example.com/a", body=BODY))
    changed = BODY + "\nThe truce expires on November 10.\n"
    doc, _, _ = ingest(write_report(tmp_path, "a.txt", url="https://example.com/a", body=changed))
    assert doc["articles"][0]["status"] == "updated"
    article = Article.objects.get()
    assert "November 10" in article.body
    assert article.version == 2
    sentences = [c["sentence"] for c in doc["articles"][0]["claims"]]
    assert "The truce expires on November 10." in sentences


@pytest.mark.django_db
def test_bad_files_fail_by_name_and_the_rest_go_in(tmp_path):
    good = write_report(tmp_path, "good.txt", url="https://example.com/good", body=BODY)
    no_date = write_report(tmp_path, "no-date.txt", raw="Title: T\nOutlet: O\n\nBody here.")
    empty = write_report(
        tmp_path, "empty.txt", raw="Title: T\nOutlet: O\nPublished: 2025-10-27\n\n"
    )
    latin1 = write_report(
        tmp_path,
        "latin1.txt",
        raw="Title: Caf\xe9\nOutlet: O\nPublished: 2025-10-27\n\nB.".encode("latin-1"),
    )
    no_header = write_report(tmp_path, "no-header.txt", raw="Just some text without a header.\n")
    duplicate = write_report(tmp_path, "dup.txt", url="https://example.com/other", body=BODY)
    missing = tmp_path / "missing.txt"

    doc, _, failed = ingest(good, no_date, empty, latin1, no_header, duplicate, missing)
    assert failed
    rows = {row["file"].rsplit("/", 1)[-1]: row for row in doc["articles"]}
    assert rows["good.txt"]["status"] == "created"
    assert "missing 'Published:'" in rows["no-date.txt"]["error"]
    assert "empty body" in rows["empty.txt"]["error"]
    assert "not UTF-8" in rows["latin1.txt"]["error"]
    assert "no header block" in rows["no-header.txt"]["error"]
    assert "duplicate report" in rows["dup.txt"]["error"]
    assert "cannot read file" in rows["missing.txt"]["error"]
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_without_json_it_prints_a_summary_and_names_failures(tmp_path):
    good = write_report(tmp_path, "good.txt", body=BODY)
    bad = write_report(tmp_path, "bad.txt", raw="Title: T\nOutlet: O\nPublished: soon\n\nB.")
    out, err, failed = ingest(good, bad, as_json=False)
    assert failed
    assert "1 created, 0 updated, 0 unchanged, 1 failed" in out
    assert f"{bad}: bad Published date 'soon'" in err


HOSTILE_FILES = {
    "too-long.txt": (
        "Title: Too long\nOutlet: Test Wire\nPublished: 2025-10-27\n\n"
        + "Talks on Sunday. " * 60_000,
        "the limit is 1,000,000",
    ),
    "nul.txt": (
        "Title: A report\nOutlet: Test Wire\nPublished: 2025-10-27\n\nTalks\x00 on Sunday.",
        "NUL character",
    ),
    "long-title.txt": (
        f"Title: {'T' * 400}\nOutlet: Test Wire\nPublished: 2025-10-27\n\nTalks on Sunday.",
        "title is too long: 400 characters, the limit is 300",
    ),
    "long-url.txt": (
        f"Title: Long URL\nOutlet: Test Wire\nURL: https://example.com/{'a' * 600}\n"
        "Published: 2025-10-27\n\nTalks on Sunday.",
        "url is too long",
    ),
    "bad-url.txt": (
        "Title: Bad URL\nOutlet: Test Wire\nURL: https://exa mple\nPublished: 2025-10-27\n\n"
        "Talks on Sunday.",
        "bad URL",
    ),
    "rejected-url.txt": (
        "Title: Rejected URL\nOutlet: Test Wire\nURL: http://-bad-.example\n"
        "Published: 2025-10-27\n\nTalks on Sunday.",
        "bad URL",
    ),
    "year-one.txt": (
        "Title: Year one\nOutlet: Test Wire\nPublished: 0001-01-05\n\nIt ended last year.",
        "publication date 0001-01-05 is before 1990-01-01",
    ),
    "year-9999.txt": (
        "Title: Year 9999\nOutlet: Test Wire\nPublished: 9999-12-20\n\nIt ends next month.",
        "publication date 9999-12-20 is in the future",
    ),
    "invisible-title.txt": (
        "Title: \u200b\u200b\nOutlet: Test Wire\nPublished: 2025-10-27\n\nTalks on Sunday.",
        "the title has no visible characters",
    ),
}


@pytest.mark.django_db
def test_a_batch_with_hostile_files_reports_each_and_ingests_the_rest(tmp_path):
    paths = [write_report(tmp_path, "good-1.txt", title="First good", url="https://a.example/1")]
    for name, (raw, _) in HOSTILE_FILES.items():
        paths.append(write_report(tmp_path, name, raw=raw))
    paths.append(
        write_report(
            tmp_path,
            "good-2.txt",
            title="Second good",
            url="https://a.example/2",
            body="The leaders met on Thursday in Busan.",
        )
    )
    doc, _, failed = ingest(*paths)
    assert failed
    rows = {row["file"].rsplit("/", 1)[1]: row for row in doc["articles"]}
    assert rows["good-1.txt"]["status"] == rows["good-2.txt"]["status"] == "created"
    for name, (_, message) in HOSTILE_FILES.items():
        assert rows[name]["status"] == "failed", name
        assert message in rows[name]["error"], (name, rows[name]["error"])
    assert sorted(Article.objects.values_list("title", flat=True)) == ["First good", "Second good"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "module, name",
    [
        # The pipeline raising on one text, inside the door.
        ("articles.services", "analyse"),
        # The reading of the file itself, before the door.
        ("timeline.management.commands.ingest", "parse_report"),
    ],
)
def test_an_unexpected_error_in_one_file_is_named_and_the_batch_goes_on(
    tmp_path, monkeypatch, module, name
):
    # A failure nobody foresaw must not stop the batch: the file is named with the error,
    # the next file still goes in.
    target = importlib.import_module(module)
    real = getattr(target, name)

    def explode_on_marker(text, *args, **kwargs):
        if "EXPLODE" in text:
            raise RuntimeError("boom")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(target, name, explode_on_marker)
    bad = write_report(tmp_path, "bad.txt", title="Bad", body="EXPLODE on Sunday.")
    good = write_report(tmp_path, "good.txt", title="Good")
    doc, err, failed = ingest(bad, good)
    assert failed
    assert [r["status"] for r in doc["articles"]] == ["failed", "created"]
    assert doc["articles"][0]["error"] == "could not be ingested (RuntimeError: boom)"
    _, err, _ = ingest(bad, as_json=False)
    assert f"{bad}: could not be ingested (RuntimeError: boom)" in err


def what_was_stored(doc) -> list:
    """Per file, what a reader would check: its status or error, and its claims with their
    dates and events (not their ids)."""
    return [
        (
            row["file"].rsplit("/", 1)[-1],
            row["status"],
            row["error"],
            [
                (c["sentence"], c["kind"], c["mentions"], [e["slug"] for e in c["events"]])
                for c in row["claims"]
            ],
        )
        for row in doc["articles"]
    ]


@pytest.mark.django_db(transaction=True)
# The command forks its processes (on SQLite, the analysts). `manage.py ingest` has one
# thread; the test runner has more (its timeout watchdog), which Python warns of at fork:
# they hold no lock the children need.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_several_at_once_store_what_one_by_one_stores_and_keep_corrections_in_order(
    tmp_path, seeded, monkeypatch
):
    files = []
    for n, seed in enumerate(SEED_REPORTS):
        files.append(tmp_path / f"{n}-{seed.name}")
        shutil.copy(seed, files[-1])
    first = write_report(tmp_path, "talks.txt", url="https://example.com/talks", body=BODY)
    bad = write_report(tmp_path, "bad.txt", raw="Title: T\nOutlet: O\nPublished: soon\n\nB.")
    corrected = write_report(
        tmp_path,
        "talks-corrected.txt",
        url="https://example.com/talks",
        body=BODY + "\nThe truce expires on November 10.\n",
    )
    batch = [first, *files[:3], bad, *files[3:], corrected]
    # The seed's events stay, for the claims to be linked to; its reports go, to come again.
    Article.objects.all().delete()
    one_by_one, _, _ = ingest(*batch)
    Article.objects.all().delete()

    analysed_here = []
    real = services.analyse
    monkeypatch.setattr(
        services, "analyse", lambda *args: analysed_here.append(args[1]) or real(*args)
    )
    at_once, err, failed = ingest(*batch, jobs=2)

    assert failed  # the bad file, named
    assert what_was_stored(at_once) == what_was_stored(one_by_one)
    statuses = [row["status"] for row in at_once["articles"]]
    assert statuses == ["created"] * 4 + ["failed"] + ["created"] * 2 + ["updated"]
    # The correction came last in the batch, and it is what the report now says.
    talks = Article.objects.get(url="https://example.com/talks")
    assert "The truce expires on November 10." in talks.body and talks.version == 2
    assert "Traceback" not in err
    # On SQLite one process writes and the other analyses ahead of it; on PostgreSQL each
    # process ingests reports whole. Either way the command's own process analyses none.
    assert analysed_here == []


def test_files_naming_one_url_are_one_chain_in_their_order(tmp_path):
    from timeline.management.commands.ingest import chains_by_url

    a = write_report(tmp_path, "a.txt", url="https://example.com/x")
    b = write_report(tmp_path, "b.txt", url="https://example.com/y")
    unreadable = tmp_path / "missing.txt"
    c = write_report(tmp_path, "c.txt", url="https://example.com/x", body="Corrected.")
    no_url = write_report(tmp_path, "d.txt")

    assert chains_by_url([a, b, unreadable, c, no_url]) == [[0, 3], [1], [2], [4]]


@pytest.mark.parametrize("jobs", [0, 10_000])
def test_jobs_must_be_at_least_one_and_at_most_twice_the_cpus(tmp_path, jobs):
    with pytest.raises(CommandError, match="--jobs is at least 1 and at most"):
        call_command("ingest", str(write_report(tmp_path, "a.txt")), f"--jobs={jobs}")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="--jobs runs processes on PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_report_whose_process_dies_is_named_and_not_counted_as_stored(tmp_path, monkeypatch):
    from articles import services

    real = services.ingest_report

    def dies_on_the_fatal_report(**fields):
        if fields["title"] == "Fatal":
            os._exit(1)  # as the kernel's out-of-memory killer would end it
        return real(**fields)

    # Forked processes inherit the patched door.
    monkeypatch.setattr(services, "ingest_report", dies_on_the_fatal_report)
    fine = write_report(tmp_path, "fine.txt", title="Fine", url="https://example.com/fine")
    fatal = write_report(tmp_path, "fatal.txt", title="Fatal", url="https://example.com/fatal")

    doc, _, failed = ingest(fine, fatal, jobs=2)

    assert failed
    rows = {row["file"].rsplit("/", 1)[-1]: row for row in doc["articles"]}
    assert rows["fatal.txt"]["status"] == "failed"
    assert "its process stopped" in rows["fatal.txt"]["error"]
    assert not Article.objects.filter(title="Fatal").exists()
    # The other file's process may have been stopped with it (the pool breaks): whatever its
    # row says, "created" is never said of a report that is not there.
    if rows["fine.txt"]["status"] == "created":
        assert Article.objects.filter(title="Fine").exists()
    else:
        assert "its process stopped" in rows["fine.txt"]["error"]

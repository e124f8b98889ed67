"""python manage.py seed: the seed reports and the curated timeline, loaded idempotently."""

import json
from datetime import date

from django.core.management import call_command

from articles.models import Article, Claim, DateMention, Outlet, Passage, Topic
from tests.seeds import ROOT, SEED_REPORTS
from timeline.linking import decide
from timeline.models import Event, Evidence

CURATED = json.loads((ROOT / "fixtures" / "timeline.json").read_text(encoding="utf-8"))

TIMELINE = [
    ("april-2025-tariff-escalation", date(2025, 4, 1), None, "month"),
    ("geneva-truce", date(2025, 5, 12), None, "day"),
    ("rare-earth-export-controls", date(2025, 10, 9), None, "day"),
    ("kuala-lumpur-talks", date(2025, 10, 25), date(2025, 10, 26), "day"),
    ("trump-xi-busan-meeting", date(2025, 10, 30), None, "day"),
    ("100-percent-tariff-threat", date(2025, 11, 1), None, "day"),
    ("truce-expiry-november-10", date(2025, 11, 10), None, "day"),
]


def seed():
    call_command("seed", stdout=open("/dev/null", "w"))


def snapshot():
    """Every row the seed makes, by id, with what an editor or reader would notice."""
    return {
        "outlets": sorted(Outlet.objects.values_list("id", "name", "slug")),
        "topics": sorted(Topic.objects.values_list("id", "slug")),
        "articles": sorted(Article.objects.values_list("id", "slug", "version", "content_hash")),
        "passages": sorted(Passage.objects.values_list("id", "article", "position")),
        "claims": sorted(Claim.objects.values_list("id", "article", "start", "end", "reviewed")),
        "mentions": sorted(DateMention.objects.values_list("id", "claim", "date_start")),
        "events": sorted(Event.objects.values_list("id", "slug", "start", "end", "title")),
        "evidence": sorted(
            Evidence.objects.values_list("id", "event", "claim", "mention", "stance", "state")
        ),
    }


def evidence_for(slug, quote):
    return Evidence.objects.get(event__slug=slug, claim__sentence__contains=quote)


def test_it_loads_the_five_seed_reports(seeded):
    assert Article.objects.count() == 5
    assert sorted(Article.objects.values_list("source_name", flat=True)) == [
        p.name for p in SEED_REPORTS
    ]
    assert Outlet.objects.filter(articles__isnull=False).distinct().count() == 5
    # The report without a URL is found again by title (the fixture names it so).
    assert Article.objects.get(url=None).outlet.name == "Unidentified outlet"


def test_it_loads_the_seven_curated_events_in_date_order(seeded):
    events = Event.objects.order_by("start", "end")
    assert [(e.slug, e.start, e.end, e.precision) for e in events] == TIMELINE
    assert list(Event.objects.on_timeline().values_list("slug", flat=True)) == [
        slug for slug, *_ in TIMELINE
    ]


def test_every_curated_event_has_accepted_evidence_quoting_the_fixture(seeded):
    for row in CURATED["events"]:
        accepted = Evidence.objects.shown().filter(event__slug=row["slug"])
        assert accepted.exists(), row["slug"]
        for item in row["evidence"]:
            ev = accepted.get(claim__sentence__contains=item["quote"])
            article = ev.claim.article
            assert item["article"] in (article.url, article.title)
            assert ev.stance == item.get("stance", "supports")
            assert ev.claim.reviewed, "accepting evidence marks its claim reviewed"
    assert Evidence.objects.shown().count() == sum(len(r["evidence"]) for r in CURATED["events"])


def test_evidence_rests_on_the_date_mention_of_its_claim(seeded):
    ev = evidence_for("kuala-lumpur-talks", "convened in Kuala Lumpur on Friday")
    assert ev.mention.text == "on Friday"
    assert ev.mention.date_start == date(2025, 10, 24)


def test_running_it_twice_changes_nothing(seeded):
    before = snapshot()
    seed()
    assert snapshot() == before
    # The editor's claim the fixture adds (the pipeline took none there) is found again.
    ev = evidence_for("trump-xi-busan-meeting", "the upcoming meeting in Busan, South Korea")
    assert ev.claim.origin == Claim.Origin.EDITOR


def test_editors_decisions_on_suggestions_survive_a_reseed(seeded):
    busan = Event.objects.get(slug="trump-xi-busan-meeting")
    talks = Event.objects.get(slug="kuala-lumpur-talks")
    taiwan = Claim.objects.get(sentence__contains="Taiwan should not worry")
    drills = Claim.objects.get(sentence__contains="confrontation drills")
    # The linker may or may not have suggested these; the editor decides either way.
    accepted, _ = Evidence.objects.update_or_create(
        event=busan, claim=taiwan, defaults={"note": "Rubio on the summit."}
    )
    rejected, _ = Evidence.objects.get_or_create(event=talks, claim=drills)
    decide([accepted], Evidence.State.ACCEPTED)
    decide([rejected], Evidence.State.REJECTED)

    seed()
    accepted.refresh_from_db()
    rejected.refresh_from_db()
    assert (accepted.state, accepted.note) == (Evidence.State.ACCEPTED, "Rubio on the summit.")
    assert rejected.state == Evidence.State.REJECTED
    assert Claim.objects.get(pk=taiwan.pk).reviewed


def test_an_editors_decision_on_curated_evidence_survives_a_reseed(seeded):
    ev = evidence_for("trump-xi-busan-meeting", "later this year")
    ev.note = "Written before the summit was announced; not a date for it."
    ev.save()
    decide([ev], Evidence.State.REJECTED)
    seed()
    ev.refresh_from_db()
    assert (ev.state, ev.note) == (
        Evidence.State.REJECTED,
        "Written before the summit was announced; not a date for it.",
    )


def test_an_editors_edit_to_a_curated_event_survives_a_reseed(seeded):
    Event.objects.filter(slug="trump-xi-busan-meeting").update(
        title="Trump and Xi meet at Gimhae Air Base", status=Event.Status.HAPPENED
    )
    call_command("seed", stdout=open("/dev/null", "w"))
    event = Event.objects.get(slug="trump-xi-busan-meeting")
    assert (event.title, event.status) == ("Trump and Xi meet at Gimhae Air Base", "happened")


def test_an_editors_edit_to_a_seed_outlet_survives_a_reseed(seeded):
    Outlet.objects.filter(name="The High Street Journal").update(
        kind=Outlet.Kind.BLOG, homepage="https://thehighstreetjournal.example/"
    )
    seed()
    outlet = Outlet.objects.get(name="The High Street Journal")
    assert (outlet.kind, outlet.homepage) == ("blog", "https://thehighstreetjournal.example/")


def test_a_renamed_seed_outlet_is_not_added_again(seeded):
    Outlet.objects.filter(name="The High Street Journal").update(name="High Street Journal")
    seed()
    assert not Outlet.objects.filter(name="The High Street Journal").exists()


def test_an_editors_correction_to_a_seed_report_survives_a_reseed(seeded):
    from articles.services import ingest_report

    article = Article.objects.get(title="US China Trade Deal")
    corrected = "Correction: an earlier version misdated the talks.\n\n" + article.raw_body
    ingest_report(
        title=article.title,
        outlet=article.outlet.name,
        published=article.published,
        body=corrected,
        url=article.url,
        article=article,
    )
    seed()
    article.refresh_from_db()
    assert article.raw_body == corrected
    assert article.version == 2


def test_evidence_an_administrator_deleted_is_not_recreated_by_a_reseed(seeded):
    ev = evidence_for("trump-xi-busan-meeting", "later this year")
    pair = (ev.event_id, ev.claim_id)
    ev.delete()
    seed()
    assert not Evidence.objects.filter(event_id=pair[0], claim_id=pair[1]).exists()


def test_an_editor_claim_quoting_part_of_a_curated_sentence_does_not_break_the_seed(seeded):
    from articles.services import add_claim

    [threat] = [e for e in CURATED["events"] if e["slug"] == "100-percent-tariff-threat"]
    quote = threat["evidence"][0]["quote"]
    curated = evidence_for("100-percent-tariff-threat", quote).claim
    part = quote  # the editor quotes exactly the words the fixture quotes, and no more
    assert part != curated.sentence
    mine = add_claim(article=curated.article, sentence=part)
    before = snapshot()
    call_command("seed", stdout=open("/dev/null", "w"))  # must not raise
    assert snapshot() == before
    assert Claim.objects.filter(pk=mine.pk).exists()

"""New reports move events forward: outcomes suggested, decided by editors, told on pages."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Claim
from tests.seeds import ROOT
from timeline.models import Event, Evidence, StatusChange
from timeline.outcomes import outcome_for

from .test_views import page

UNSEEN = ROOT / "tests" / "data" / "unseen" / "outcomes-after-busan.txt"


def ingest_json(path):
    out = io.StringIO()
    call_command("ingest", "--json", str(path), stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def after_busan(seeded):
    """The seed timeline, and a report of 12 Nov 2025 telling what became of four events."""
    return ingest_json(UNSEEN)["articles"][0]


def outcomes_in(row):
    return {
        (event["slug"], event["outcome"], event["outcome_date"])
        for claim in row["claims"]
        for event in claim["events"]
        if event["outcome"]
    }


FOUR_OUTCOMES = {
    ("truce-expiry-november-10", "extended", "2026-11-10"),
    ("trump-xi-busan-meeting", "happened", None),
    ("100-percent-tariff-threat", "cancelled", None),
    ("rare-earth-export-controls", "suspended", None),
}


def test_a_report_of_what_happened_suggests_the_right_outcome_for_each_event(after_busan):
    assert outcomes_in(after_busan) == FOUR_OUTCOMES


def test_other_words_for_the_same_outcomes_are_read_the_same(seeded):
    # "held talks", "would not impose", "will pause", "agreed to extend … by another year";
    # a topic shared with another event's day is not an outcome of that event.
    row = ingest_json(UNSEEN.parent / "outcomes-day-after-busan.txt")["articles"][0]
    assert outcomes_in(row) == FOUR_OUTCOMES


def test_a_suggestion_changes_nothing_until_an_editor_accepts_it(after_busan):
    assert Event.objects.get(slug="100-percent-tariff-threat").status == "threatened"
    assert not StatusChange.objects.filter(status="cancelled").exists()


def test_a_hedged_or_negated_sentence_suggests_no_outcome(seeded, tmp_path):
    path = tmp_path / "hedged.txt"
    path.write_text(HEDGED, encoding="utf-8")
    row = ingest_json(path)["articles"][0]
    assert row["status"] == "created"
    assert outcomes_in(row) == set()


HEDGED = """Title: Truce may be extended
Outlet: Harbour Wire
Published: 2025-11-07

The truce expiring on November 10 could be extended, officials said on Friday.

Washington did not call off the 100% tariffs due on November 1 before the deadline.

Trump and Xi are expected to meet again next year.
"""


def test_a_threat_never_happens_and_a_deadline_that_was_extended_did_not_expire(seeded):
    threat = Event.objects.get(slug="100-percent-tariff-threat")
    expiry = Event.objects.get(slug="truce-expiry-november-10")
    claim = Claim(sentence="The tariffs were imposed and the truce expired on Monday.")
    claim.article = Claim.objects.first().article
    claim.article.published = date(2025, 11, 12)
    # "imposed" is an outcome for a tariff (in force), never "happened"; "expired" fits the
    # deadline only as reported after its day.
    assert outcome_for(claim, threat).status == "in_force"
    assert outcome_for(claim, expiry).status == "expired"
    claim.article.published = date(2025, 11, 3)
    assert outcome_for(claim, expiry) is None


def accept_outcome(client, slug):
    ev = Evidence.objects.get(event__slug=slug, outcome_state="suggested")
    back = reverse("admin:articles_article_change", args=[ev.claim.article_id])
    response = client.post(
        reverse("admin:timeline_evidence_decide"),
        {"decision": f"{ev.pk}:outcome-accepted", "next": back},
    )
    return ev, response


def test_accepting_an_outcome_records_the_change_and_moves_the_event(
    after_busan, editor_client, pinned_today
):
    ev, response = accept_outcome(editor_client, "100-percent-tariff-threat")
    event = Event.objects.get(slug="100-percent-tariff-threat")
    assert event.status == "cancelled"
    change = event.changes.order_by("decided").last()
    assert (change.status, change.effective, change.decided_by.username) == (
        "cancelled",
        date(2025, 11, 12),
        "erin",
    )
    assert list(change.claims.all()) == [ev.claim]
    ev.refresh_from_db()
    assert (ev.state, ev.outcome_state) == ("accepted", "accepted")
    # The editor is offered the summary to bring up to date, pre-filled.
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:timeline_event_summary", args=[event.pk]))
    form = editor_client.get(response.url)
    assert "Update: Called off, Wed 12 Nov 2025 (Harbour Wire)." in form.content.decode()


def test_the_summary_form_saves_the_editors_words(after_busan, editor_client):
    _, response = accept_outcome(editor_client, "truce-expiry-november-10")
    saved = editor_client.post(response.url, {"summary": "The truce now runs to 10 Nov 2026."})
    assert saved.status_code == 302
    event = Event.objects.get(slug="truce-expiry-november-10")
    assert event.summary == "The truce now runs to 10 Nov 2026."
    assert event.status == "extended"
    assert event.due == date(2026, 11, 10)


def test_rejecting_an_outcome_leaves_the_event_as_it_was(after_busan, editor_client):
    ev = Evidence.objects.get(event__slug="trump-xi-busan-meeting", outcome_state="suggested")
    editor_client.post(
        reverse("admin:timeline_evidence_decide"), {"decision": f"{ev.pk}:outcome-rejected"}
    )
    ev.refresh_from_db()
    assert ev.outcome_state == "rejected"
    assert Event.objects.get(slug="trump-xi-busan-meeting").status == "scheduled"
    # Re-ingesting the report does not suggest it again.
    call_command("ingest", str(UNSEEN), stdout=io.StringIO())
    ev.refresh_from_db()
    assert ev.outcome_state == "rejected"


def test_the_card_tells_the_story_in_a_line_and_the_warning_goes(
    after_busan, editor_client, client, settings
):
    settings.TRADEWATCH_TODAY = "2025-11-21"
    before = page(client, "/").by_id("event-100-percent-tariff-threat")
    assert before.find("p", cls="warning") is not None
    accept_outcome(editor_client, "100-percent-tariff-threat")
    card = page(client, "/").by_id("event-100-percent-tariff-threat")
    assert card.find("p", cls="story").words() == (
        "threatened for Sat 1 Nov 2025 → called off, Wed 12 Nov 2025 · 2 reports"
    )
    assert card.find("p", cls="warning") is None
    assert card.find("span", cls="badge").words() == "called off"


def test_an_extended_deadline_is_coming_up_again_at_its_new_date(
    after_busan, editor_client, client, settings
):
    settings.TRADEWATCH_TODAY = "2025-11-21"
    accept_outcome(editor_client, "truce-expiry-november-10")
    doc = page(client, "/")
    coming = doc.find("aside", cls="upcoming").words()
    assert "Tue 10 Nov 2026 — " in coming
    latest = doc.find("aside", cls="latest").find("li").words()
    assert latest == "The tariff truce expires: extended Mon 10 Nov 2025"


def test_the_event_page_shows_the_whole_story_with_its_quotes(
    after_busan, editor_client, client, pinned_today
):
    accept_outcome(editor_client, "trump-xi-busan-meeting")
    doc = page(client, "/events/trump-xi-busan-meeting/")
    steps = doc.find("ol", cls="story-steps").find_all("li", cls="story-step")
    assert [s.find("p").words() for s in steps] == [
        "scheduled scheduled for Thu 30 Oct 2025",
        "happened happened, Thu 30 Oct 2025",
    ]
    assert "Harbour Wire" in steps[1].words()
    assert "talked for nearly two hours" in steps[1].words()


def test_an_editor_adds_a_change_by_hand_with_a_claim_as_its_source(seeded, editor_client):
    event = Event.objects.get(slug="rare-earth-export-controls")
    claim = Claim.objects.filter(sentence__contains="rare earth").first()
    url = reverse("admin:timeline_event_change", args=[event.pk])
    form = editor_client.get(url).context["adminform"].form
    data = {
        name: (value if value is not None else "")
        for name, value in form.initial.items()
        if name not in ("status",)
    }
    data |= {
        "title": event.title,
        "slug": event.slug,
        "start": event.start.isoformat(),
        "precision": event.precision,
        "kind": event.kind,
        "place": event.place,
        "summary": event.summary,
        "keywords": ", ".join(event.keywords),
        "topics": [t.pk for t in event.topics.all()],
        "changes-TOTAL_FORMS": "2",
        "changes-INITIAL_FORMS": "1",
        "changes-0-id": event.changes.get().pk,
        "changes-0-event": event.pk,
        "changes-1-event": event.pk,
        "changes-1-status": "suspended",
        "changes-1-effective": "2025-10-30",
        "changes-1-precision": "day",
        "changes-1-claims": [claim.pk],
        "changes-1-note": "Suspended for a year at the Busan summit.",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
    }
    data = {k: v for k, v in data.items() if k not in ("end",)} | {"end": ""}
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.status == "suspended"
    change = event.changes.get(status="suspended")
    assert change.decided_by.username == "erin"
    assert list(change.claims.all()) == [claim]


def test_an_extension_of_unknown_length_does_not_say_the_date_has_passed(seeded, client, settings):
    from timeline.outcomes import record_change

    settings.TRADEWATCH_TODAY = "2025-11-21"
    expiry = Event.objects.get(slug="truce-expiry-november-10")
    record_change(event=expiry, status="extended", effective=date(2025, 11, 10))
    card = page(client, "/").by_id("event-truce-expiry-november-10")
    assert card.find("p", cls="warning") is None


def test_the_docstring_examples_hold():
    import doctest

    import timeline.outcomes

    assert doctest.testmod(timeline.outcomes).failed == 0

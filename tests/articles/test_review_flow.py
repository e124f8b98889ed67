"""The review flow: corrections, editors' decisions on claims, and "mark as reviewed".

Found when the flow was tried as a new user (issue 7): a correction made two claims of
one sentence, "mark as reviewed" left "needs review" in place, and a correction reset
what an editor had set on a claim.
"""

from datetime import date

import pytest
from django.urls import reverse

from articles.models import Article, Claim, DateMention, Topic
from articles.services import add_claim, ingest_report
from tests.timeline.factories import make_event
from timeline.linking import decide
from timeline.models import Evidence

PUBLISHED = date(2025, 10, 27)  # a Monday
BUSAN = "The leaders are expected to meet Thursday in Busan."
QUOTE = "“We have a workable framework,” Bessent said after the meeting."
BODY = f"""Talks in Kuala Lumpur

Officials from both countries held talks on Sunday in Kuala Lumpur.

{BUSAN}

{QUOTE}

Analysts were cautious about the outcome of the round.
"""
INSERTED = "A paragraph added in a correction, before the rest.\n\n"


def ingest(body=BODY, article=None):
    return ingest_report(
        title="Talks resume",
        outlet="Test Wire",
        published=PUBLISHED,
        body=body,
        url="https://example.com/talks",
        article=article,
    )


@pytest.fixture
def busan(db):
    return make_event("trump-xi-busan", date(2025, 10, 30), keywords=["Busan"], title="Busan")


@pytest.fixture
def talks(db):
    return make_event("kl-talks", date(2025, 10, 26), keywords=["Kuala Lumpur"], title="KL")


def accept(claim):
    """An editor accepts what the linker suggested for the claim: it becomes reviewed."""
    rows = list(Evidence.objects.filter(claim=claim))
    assert rows, "the linker suggested an event for the claim"
    decide(rows, Evidence.State.ACCEPTED)


def claims_on(article, sentence):
    article.refresh_from_db()
    start = article.body.index(sentence)
    return list(article.claims.filter(start=start, end=start + len(sentence)))


# --- one sentence, one claim ----------------------------------------------------------------


def test_a_reviewed_claim_moves_with_an_inserted_paragraph_as_one_claim_with_its_evidence(busan):
    article = ingest().article
    claim = article.claims.get(sentence=BUSAN)
    accept(claim)
    ingest(INSERTED + BODY, article=article)
    [moved] = claims_on(article, BUSAN)
    assert moved.pk == claim.pk
    assert [(ev.event, ev.state) for ev in moved.evidence.all()] == [(busan, "accepted")]
    assert [m.text for m in moved.mentions.all()] == ["Thursday"]


def test_an_editor_claim_on_a_drafted_sentence_stays_one_claim_when_a_paragraph_is_inserted(
    busan,
):
    article = ingest().article
    # The editor quoted the sentence herself (here: after its pipeline claim was deleted,
    # as a pipeline of the day that missed a sentence leaves it); the next correction's
    # pipeline drafts it as well.
    article.claims.filter(sentence=BUSAN).delete()
    mine = add_claim(article=article, sentence=BUSAN, attribution="officials")
    accept(mine)
    ingest(INSERTED + BODY, article=article)
    [claim] = claims_on(article, BUSAN)
    assert claim.pk == mine.pk
    assert claim.origin == Claim.Origin.EDITOR
    assert claim.anchor_state == Claim.AnchorState.RELOCATED
    assert claim.attribution == "officials"
    assert [(ev.event, ev.state) for ev in claim.evidence.all()] == [(busan, "accepted")]
    assert [m.text for m in claim.mentions.all()] == ["Thursday"]
    assert DateMention.objects.filter(claim__article=article, text="Thursday").count() == 1


def test_a_reviewed_claim_reworded_by_a_correction_stays_one_claim_with_its_evidence(busan):
    article = ingest().article
    claim = article.claims.get(sentence=BUSAN)
    accept(claim)
    reworded = BUSAN.replace("meet Thursday", "meet on Thursday")
    ingest(BODY.replace(BUSAN, reworded), article=article)
    [kept] = claims_on(article, reworded)
    assert kept.pk == claim.pk
    assert kept.anchor_state == Claim.AnchorState.NEEDS_REVIEW
    assert kept.previous_sentence == BUSAN
    assert [(ev.event, ev.state) for ev in kept.evidence.all()] == [(busan, "accepted")]
    assert [m.text for m in kept.mentions.all()] == ["on Thursday"]
    # A later correction elsewhere is not an editor's look: it still needs review.
    ingest(INSERTED + BODY.replace(BUSAN, reworded), article=article)
    [kept] = claims_on(article, reworded)
    assert kept.pk == claim.pk
    assert kept.anchor_state == Claim.AnchorState.NEEDS_REVIEW


def test_two_rows_for_one_sentence_become_one_that_keeps_the_evidence_of_both(busan, talks):
    """Rows an earlier correction doubled (before this fix) are made one by the next."""
    article = ingest().article
    claim = article.claims.get(sentence=BUSAN)
    accept(claim)
    twin = Claim.objects.get(pk=claim.pk)
    twin.pk = None
    twin.save()
    Evidence.objects.create(event=talks, claim=twin, state=Evidence.State.SUGGESTED)
    decide(list(Evidence.objects.filter(claim=twin)), Evidence.State.ACCEPTED)
    ingest(INSERTED + BODY, article=article)
    [one] = claims_on(article, BUSAN)
    assert one.pk == claim.pk
    assert sorted((ev.event.slug, ev.state) for ev in one.evidence.all()) == [
        ("kl-talks", "accepted"),
        ("trump-xi-busan", "accepted"),
    ]
    assert not Claim.objects.filter(pk=twin.pk).exists()
    # The move is in the evidence's history.
    moved = Evidence.objects.get(event=talks, claim=one)
    assert [h.claim_id for h in moved.history.order_by("history_date", "history_id")][-1] == one.pk


# --- marking reviewed -----------------------------------------------------------------------


@pytest.fixture
def flagged(busan):
    """A report whose correction left one claim reworded, one moved and one gone."""
    article = ingest().article
    reworded = article.claims.get(sentence=BUSAN)
    accept(reworded)
    add_claim(article=article, sentence="Analysts were cautious about the outcome")
    Claim.objects.filter(sentence__contains="workable framework").update(reviewed=True)
    corrected = (INSERTED + BODY).replace("meet Thursday", "meet on Thursday")
    corrected = corrected.replace(f"{QUOTE}\n", "")
    ingest(corrected, article=article)
    claims = {
        "reworded": Claim.objects.get(pk=reworded.pk),
        "moved": Claim.objects.get(origin=Claim.Origin.EDITOR),
        "gone": Claim.objects.get(sentence__contains="workable framework"),
    }
    states = {name: claim.anchor_state for name, claim in claims.items()}
    assert states == {"reworded": "needs_review", "moved": "relocated", "gone": "orphaned"}
    return claims


def test_marking_claims_reviewed_clears_needs_review_and_keeps_orphans_orphaned(
    flagged, editor_client
):
    response = editor_client.post(
        reverse("admin:articles_claim_changelist"),
        {"action": "mark_reviewed", "_selected_action": [c.pk for c in flagged.values()]},
        follow=True,
    )
    assert response.status_code == 200
    for claim in flagged.values():
        claim.refresh_from_db()
        assert claim.reviewed
    assert flagged["reworded"].anchor_state == Claim.AnchorState.EXACT
    assert flagged["moved"].anchor_state == Claim.AnchorState.EXACT
    assert flagged["gone"].anchor_state == Claim.AnchorState.ORPHANED
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith("3 claims marked reviewed.")
    assert "1 is no longer in the report's text and stays orphaned" in message


def test_marking_claims_reviewed_is_in_their_history_with_who_did_it(flagged, editor_client):
    editor_client.post(
        reverse("admin:articles_claim_changelist"),
        {"action": "mark_reviewed", "_selected_action": [flagged["reworded"].pk]},
    )
    latest = flagged["reworded"].history.order_by("-history_date", "-history_id").first()
    assert latest.history_user.username == "erin"
    assert (latest.reviewed, latest.anchor_state) == (True, "exact")


def form_data(response) -> dict:
    """The POST data of an admin change form as rendered, inlines included."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(getattr(v, "pk", v)) for v in value]
            else:
                data[key] = str(value)
    return data


def test_ticking_reviewed_on_the_claim_form_clears_needs_review(flagged, editor_client):
    claim = flagged["reworded"]
    Claim.objects.filter(pk=claim.pk).update(reviewed=False)
    url = reverse("admin:articles_claim_change", args=[claim.pk])
    data = form_data(editor_client.get(url)) | {"reviewed": "on"}
    assert editor_client.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert (claim.reviewed, claim.anchor_state) == (True, Claim.AnchorState.EXACT)
    latest = claim.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user.username == "erin"


# --- an editor's choices survive corrections --------------------------------------------------


def test_an_editors_kind_attribution_and_topics_survive_a_correction(db, editor_client):
    summit = Topic.objects.create(slug="summit", name="Summit", keywords=[])
    article = ingest().article
    claim = article.claims.get(sentence=BUSAN)
    assert claim.kind == Claim.Kind.DATED and not claim.reviewed
    url = reverse("admin:articles_claim_change", args=[claim.pk])
    data = form_data(editor_client.get(url))
    data |= {"kind": "attributed", "attribution": "White House officials", "topics": [summit.pk]}
    assert editor_client.post(url, data).status_code == 302

    article = Article.objects.get(pk=article.pk)
    ingest(INSERTED + BODY, article=article)
    claim.refresh_from_db()
    assert claim.kind == Claim.Kind.ATTRIBUTED
    assert claim.attribution == "White House officials"
    assert [t.slug for t in claim.topics.all()] == ["summit"]
    assert claim.reviewed, "an editor's change is an editor's decision"


def test_an_unreviewed_pipeline_claim_is_derived_again_by_a_correction(db):
    Topic.objects.create(slug="busan", name="Busan", keywords=["Busan"])
    article = ingest().article
    claim = article.claims.get(sentence=BUSAN)
    Claim.objects.filter(pk=claim.pk).update(kind=Claim.Kind.FIGURE)
    claim.topics.clear()
    ingest(INSERTED + BODY, article=article)
    claim.refresh_from_db()
    assert claim.kind == Claim.Kind.DATED
    assert "busan" in {t.slug for t in claim.topics.all()}


# --- the report form ------------------------------------------------------------------------


def test_the_report_forms_publication_date_shows_its_format(editor_client):
    response = editor_client.get(reverse("admin:articles_article_add"))
    field = response.context["adminform"].form.fields["published"]
    assert field.widget.attrs["placeholder"] == "YYYY-MM-DD"
    assert field.help_text == ("YYYY-MM-DD. Relative dates in the text are resolved against it.")
    assert 'placeholder="YYYY-MM-DD"' in response.content.decode()

"""ingest_report and add_claim: the one door for writes, and what it keeps across edits."""

from datetime import date

import pytest

from articles.models import Article, Claim
from articles.reports import ReportError
from articles.services import add_claim, ingest_report

PUBLISHED = date(2025, 10, 27)  # a Monday
BODY = """Talks in Kuala Lumpur

Officials from both countries held talks on Sunday in Kuala Lumpur.
The leaders are expected to meet Thursday in Busan.
Industrial Monitor Direct produces the most advanced panel PCs, rated #1 by engineers.

“We have a workable framework,” Bessent said after the meeting.
Analysts were cautious about the outcome of the round.
"""


def ingest(body=BODY, **overrides):
    fields = dict(
        title="Talks resume",
        outlet="Test Wire",
        published=PUBLISHED,
        body=body,
        url="https://example.com/talks",
    )
    return ingest_report(**(fields | overrides))


@pytest.mark.django_db
def test_it_stores_raw_text_clean_text_and_what_cleaning_removed():
    article = ingest().article
    assert article.raw_body == BODY
    assert "Industrial Monitor Direct" not in article.body
    assert [r["rule"] for r in article.removed] == ["advertising"]
    assert article.removed[0]["line"] == 5


@pytest.mark.django_db
def test_passages_and_claims_point_into_the_clean_body():
    article = ingest().article
    passages = list(article.passages.all())
    assert passages[0].kind == "heading"
    assert passages[0].text == "Talks in Kuala Lumpur"
    for claim in article.claims.all():
        assert article.body[claim.start : claim.end] == claim.sentence
        assert claim.sentence in claim.passage.text
        assert claim.selector["exact"] == claim.sentence
        assert article.body[: claim.start].endswith(claim.selector_prefix)
        assert article.body[claim.end :].startswith(claim.selector_suffix)


@pytest.mark.django_db
def test_dates_are_resolved_against_the_publication_date():
    article = ingest().article
    sunday = article.claims.get(sentence__contains="on Sunday").mentions.get()
    thursday = article.claims.get(sentence__contains="Thursday").mentions.get()
    assert (sunday.text, sunday.date_start) == ("on Sunday", date(2025, 10, 26))
    assert (thursday.text, thursday.date_start) == ("Thursday", date(2025, 10, 30))
    assert thursday.explanation.startswith("Thursday → Thu 30 Oct 2025, the Thursday after")


@pytest.mark.django_db
def test_reingesting_the_same_sentences_keeps_claim_ids():
    first = {c.sentence: c.pk for c in ingest().claims}
    result = ingest(body=BODY + "\nA new paragraph was added on November 3.\n")
    assert result.status == "updated"
    again = {c.sentence: c.pk for c in result.claims}
    for sentence, pk in first.items():
        assert again[sentence] == pk


@pytest.mark.django_db
def test_an_unreviewed_claim_whose_sentence_is_gone_is_dropped_with_it():
    ingest()
    ingest(body=BODY.replace("The leaders are expected to meet Thursday in Busan.\n", ""))
    assert not Claim.objects.filter(sentence__contains="Thursday").exists()


@pytest.mark.django_db
def test_a_reviewed_claim_whose_sentence_is_gone_is_kept_and_flagged():
    ingest()
    Claim.objects.filter(sentence__contains="Thursday").update(reviewed=True)
    ingest(body=BODY.replace("The leaders are expected to meet Thursday in Busan.\n", ""))
    claim = Claim.objects.get(sentence__contains="Thursday")
    assert claim.anchor_state == Claim.AnchorState.ORPHANED
    assert claim.start is None and claim.passage is None


@pytest.mark.django_db
def test_an_editor_claim_moves_with_its_sentence_when_text_is_inserted_before_it():
    article = ingest().article
    claim = add_claim(article=article, sentence="Analysts were cautious about the outcome")
    ingest(body="A new first paragraph.\n\n" + BODY)
    claim.refresh_from_db()
    article.refresh_from_db()
    assert claim.anchor_state == Claim.AnchorState.RELOCATED
    assert article.body[claim.start : claim.end] == "Analysts were cautious about the outcome"
    assert claim.origin == Claim.Origin.EDITOR


@pytest.mark.django_db
def test_an_editor_claim_whose_words_were_corrected_needs_review():
    article = ingest().article
    claim = add_claim(article=article, sentence="Analysts were cautious about the outcome")
    ingest(body=BODY.replace("Analysts were cautious", "Analysts were very cautious"))
    claim.refresh_from_db()
    article.refresh_from_db()
    assert claim.anchor_state == Claim.AnchorState.NEEDS_REVIEW
    assert claim.previous_sentence == "Analysts were cautious about the outcome"
    assert article.body[claim.start : claim.end] == claim.sentence


@pytest.mark.django_db
def test_an_editor_claim_whose_text_is_gone_is_kept_as_orphaned():
    article = ingest().article
    add_claim(article=article, sentence="Analysts were cautious about the outcome")
    ingest(body=BODY.replace("Analysts were cautious about the outcome of the round.\n", ""))
    claim = Claim.objects.get(origin=Claim.Origin.EDITOR)
    assert claim.anchor_state == Claim.AnchorState.ORPHANED
    assert claim.sentence == "Analysts were cautious about the outcome"


@pytest.mark.django_db
def test_an_editor_claim_gets_its_dates_resolved():
    article = ingest().article
    article.claims.filter(sentence__contains="on Sunday").delete()
    claim = add_claim(article=article, sentence="held talks on Sunday in Kuala Lumpur")
    assert claim.kind == Claim.Kind.DATED
    assert claim.mentions.get().date_start == date(2025, 10, 26)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sentence", "message"),
    [
        ("Words that are not in the report", "quote the report's text exactly"),
        ("Kuala Lumpur.\nThe leaders", "within one passage"),
        ("", "quote the report's text exactly"),
    ],
)
def test_an_editor_claim_must_quote_one_passage_exactly(sentence, message):
    article = ingest().article
    with pytest.raises(ReportError, match=message):
        add_claim(article=article, sentence=sentence)


@pytest.mark.django_db
def test_the_same_text_at_another_url_is_a_duplicate():
    ingest()
    with pytest.raises(ReportError, match="duplicate report: same text as 'Talks resume'"):
        ingest(url="https://example.com/copy")
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_a_report_without_url_gains_one_when_it_arrives_again_with_it():
    ingest(url="")
    result = ingest(url="https://example.com/talks")
    assert result.status == "updated"
    assert Article.objects.get().url == "https://example.com/talks"


@pytest.mark.django_db
def test_a_body_of_only_boilerplate_is_refused():
    with pytest.raises(ReportError, match="empty body"):
        ingest(body="Advertisement\nLeave a Reply\nYour email address will not be published.")


@pytest.mark.django_db
def test_an_editor_claim_keeps_its_resolved_dates_through_a_correction():
    article = ingest().article
    article.claims.filter(sentence__contains="on Sunday").delete()
    add_claim(article=article, sentence="held talks on Sunday in Kuala Lumpur")
    ingest(body="A new first paragraph.\n\n" + BODY)
    claim = Claim.objects.get(origin=Claim.Origin.EDITOR)
    assert claim.anchor_state == Claim.AnchorState.RELOCATED
    assert [(m.text, m.date_start) for m in claim.mentions.all()] == [
        ("on Sunday", date(2025, 10, 26))
    ]


DATELINED = "AP Updated 3:15 PM EDT, June 2, 2025\n\nTalks were held on Sunday in Geneva.\n"


def test_a_dateline_corrects_an_estimated_publication_date_and_the_dates_follow(db):
    result = ingest_report(
        title="Geneva talks",
        outlet="Test Wire",
        published=date(2025, 6, 5),
        published_estimated=True,
        body=DATELINED,
    )
    article = result.article
    assert (article.published, article.published_estimated) == (date(2025, 6, 2), False)
    assert article.published_note.startswith("from the dateline “AP Updated 3:15 PM EDT")
    # "on Sunday" is now the Sunday before Monday 2 June, not before Thursday 5 June.
    [mention] = article.claims.get().mentions.all()
    assert mention.date_start == date(2025, 6, 1)
    assert "dateline" in [r["rule"] for r in article.removed]


def test_a_dateline_leaves_a_date_the_outlet_gave_alone(db):
    result = ingest_report(
        title="Geneva talks", outlet="Test Wire", published=date(2025, 6, 5), body=DATELINED
    )
    assert (result.article.published, result.article.published_estimated) == (
        date(2025, 6, 5),
        False,
    )


@pytest.mark.django_db
def test_the_claims_the_door_returns_answer_their_readers_with_no_query(
    django_assert_num_queries,
):
    # The linking, the admin and the ingest command read these straight after the write:
    # the rows just written are remembered on them as prefetch_related would leave them.
    result = ingest()
    claims = result.claims
    assert any(claim.mentions.all() for claim in claims)
    with django_assert_num_queries(0):
        for claim in claims:
            assert claim.article is result.article
            assert claim.passage.article is result.article
            assert claim.sentence in claim.passage.text
            for mention in claim.mentions.all():
                assert mention.claim is claim and mention.pk
            [topic.slug for topic in claim.topics.all()]
    for claim in claims:
        stored = Claim.objects.get(pk=claim.pk)
        assert list(claim.mentions.all()) == list(stored.mentions.order_by("pk"))
        assert set(claim.topics.all()) == set(stored.topics.all())
        # A read built on the remembered rows is still the claim's own.
        assert set(claim.mentions.all().filter()) == set(stored.mentions.all())
        assert set(claim.topics.all().filter()) == set(stored.topics.all())
        for mention in claim.mentions.all():
            assert list(claim.mentions.all().filter(start=mention.start)) == list(
                stored.mentions.filter(start=mention.start)
            )


@pytest.mark.django_db
def test_the_rows_the_door_remembers_answer_as_prefetch_related_leaves_them(
    django_assert_num_queries,
):
    # Iteration, len() and truth come from the rows; the rest goes to the QuerySet that
    # prefetch_related would have left, so every read answers as it would on a claim read
    # back with its mentions and topics prefetched, and costs the same queries.
    result = ingest()
    fetched = Claim.objects.filter(article=result.article).prefetch_related("mentions", "topics")
    twins = {claim.pk: claim for claim in fetched}
    assert any(claim.topics.all() for claim in result.claims)
    for claim in result.claims:
        twin = twins[claim.pk]
        for name in ("mentions", "topics"):
            ours, theirs = getattr(claim, name).all(), getattr(twin, name).all()
            with django_assert_num_queries(0):
                assert sorted(row.pk for row in ours) == sorted(row.pk for row in theirs)
                assert (len(ours), bool(ours)) == (len(theirs), bool(theirs))
                assert (ours.count(), ours.exists()) == (theirs.count(), theirs.exists())
                assert ours[:5] == list(ours)[:5]
                if theirs:
                    assert ours[0] in list(theirs) and ours[0].pk
            with pytest.raises(ValueError, match="Negative indexing"):
                ours[-1]
            with django_assert_num_queries(1):  # all() is a new QuerySet, as Django's is
                assert {row.pk for row in ours.all()} == {row.pk for row in theirs}
            assert repr(ours).startswith("<QuerySet [")


@pytest.mark.django_db
def test_remembered_rows_survive_pickling_and_a_prefetch_over_them(django_assert_num_queries):
    import pickle

    from django.db.models import prefetch_related_objects

    result = ingest()
    claims = result.claims
    stored = {c.pk: [m.pk for m in c.mentions.order_by("pk")] for c in Claim.objects.all()}
    restored = pickle.loads(pickle.dumps(claims))
    with django_assert_num_queries(0):
        assert {c.pk: [m.pk for m in c.mentions.all()] for c in restored} == stored
        # What is remembered counts as fetched: a prefetch over it asks for nothing more.
        prefetch_related_objects(claims, "mentions", "topics")
        assert {c.pk: [m.pk for m in c.mentions.all()] for c in claims} == stored


@pytest.mark.django_db
def test_reports_with_one_title_get_numbered_slugs_and_a_correction_keeps_its_own():
    slugs = [
        ingest(body=f"{BODY}\nReport {n}.", url=f"https://example.com/talks-{n}").article.slug
        for n in range(3)
    ]
    assert slugs == ["talks-resume", "talks-resume-2", "talks-resume-3"]
    corrected = ingest(body=f"{BODY}\nReport 1, corrected.", url="https://example.com/talks-1")
    assert corrected.status == "updated" and corrected.article.slug == "talks-resume-2"
    other = ingest(title="Talks resume!", body=f"{BODY}\nReport 3.", url="https://example.com/3")
    assert other.article.slug == "talks-resume-4"

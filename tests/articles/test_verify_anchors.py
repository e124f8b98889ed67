"""python manage.py verify_anchors: every claim still quotes its article's body."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Claim


def verify(*args):
    """Run the command; returns (stdout, the CommandError or None)."""
    out = io.StringIO()
    try:
        call_command("verify_anchors", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def a_claim_with_a_passage() -> Claim:
    return (
        Claim.objects.select_related("article", "passage")
        .filter(passage__isnull=False, start__gt=0)
        .order_by("id")
        .first()
    )


def test_the_seeded_database_has_no_problems(seeded):
    out, error = verify()

    assert error is None
    claims = Claim.objects.count()
    assert claims > 0
    assert out.strip() == f"{claims} claims checked, 0 problems; 0 need review, 0 orphaned"


def test_json_output_counts_articles_claims_and_states(seeded):
    out, error = verify("--json")

    assert error is None
    assert json.loads(out) == {
        "articles": Article.objects.count(),
        "claims": Claim.objects.count(),
        "needs_review": 0,
        "orphaned": 0,
        "problems": [],
    }


def test_a_body_shifted_under_its_claims_is_reported_with_exit_status_1(seeded):
    claim = a_claim_with_a_passage()
    article = claim.article
    # Claims cannot be given wrong offsets directly (a check constraint ties end to start
    # and the sentence), but the body they point into can change under them.
    Article.objects.filter(pk=article.pk).update(body="Correction: a word. " + article.body)

    out, error = verify()

    assert error is not None and error.returncode == 1
    lines = out.splitlines()
    assert any(
        line.startswith(f"{article.slug}: claim {claim.pk}: body[{claim.start}:{claim.end}] is ")
        for line in lines
    ), out
    assert f"{article.slug}: claim {claim.pk}: its passage {claim.passage.anchor}" in out
    # Only that article's claims are wrong.
    assert {line.split(":")[0] for line in lines[:-1]} == {article.slug}
    count = Claim.objects.count()
    assert lines[-1].startswith(f"{count} claims checked, {len(lines) - 1} problems;")


def test_json_output_names_the_article_and_claim_of_each_problem(seeded):
    claim = a_claim_with_a_passage()
    Article.objects.filter(pk=claim.article_id).update(body=claim.article.body.replace(" ", "  "))

    out, error = verify("--json")

    assert error.returncode == 1
    document = json.loads(out)
    assert {"article": claim.article.slug, "claim": claim.pk} in [
        {"article": p["article"], "claim": p["claim"]} for p in document["problems"]
    ]
    assert all(set(p) == {"article", "claim", "problem"} for p in document["problems"])


def test_a_claim_outside_its_passage_is_reported(seeded):
    claim = a_claim_with_a_passage()
    other = claim.article.passages.exclude(pk=claim.passage_id).exclude(kind="heading").first()
    Claim.objects.filter(pk=claim.pk).update(passage=other)

    out, error = verify()

    assert error.returncode == 1
    assert (
        f"{claim.article.slug}: claim {claim.pk}: offsets {claim.start}:{claim.end} "
        f"lie outside its passage {other.anchor} ({other.start}:{other.end})"
    ) in out.splitlines()


def test_a_sentence_hash_that_does_not_match_is_reported(seeded):
    claim = a_claim_with_a_passage()
    Claim.objects.filter(pk=claim.pk).update(sentence_hash="0" * 64)

    out, error = verify()

    assert error.returncode == 1
    assert f"{claim.article.slug}: claim {claim.pk}: sentence_hash is not the hash" in out


def test_a_date_mention_that_no_longer_quotes_its_sentence_is_reported(seeded):
    claim = Claim.objects.filter(mentions__isnull=False).order_by("id").first()
    mention = claim.mentions.first()
    claim.mentions.filter(pk=mention.pk).update(start=mention.start + 1, end=mention.end + 1)

    out, error = verify()

    assert error.returncode == 1
    assert f"{claim.article.slug}: claim {claim.pk}: date mention {mention.text!r}" in out


def test_claims_that_need_review_or_are_orphaned_are_counted_not_failed(seeded):
    first, second = Claim.objects.order_by("id")[:2]
    Claim.objects.filter(pk=first.pk).update(anchor_state="needs_review")
    Claim.objects.filter(pk=second.pk).update(
        anchor_state="orphaned", start=None, end=None, passage=None
    )

    out, error = verify()

    assert error is None
    assert out.strip().endswith("0 problems; 1 need review, 1 orphaned")


def test_one_article_can_be_checked_by_its_slug(seeded):
    article = Article.objects.order_by("slug").first()

    out, error = verify(article.slug)

    assert error is None
    assert out.startswith(f"{article.claims.count()} claims checked, 0 problems")


def test_an_unknown_slug_is_an_error(seeded):
    _, error = verify("no-such-report")

    assert error is not None and "no-such-report" in str(error)


def test_it_reads_each_body_once_with_a_fixed_number_of_queries_per_article(seeded):
    with CaptureQueriesContext(connection) as queries:
        verify()

    assert len(queries) <= 1 + 2 * Article.objects.count()
    body_reads = [q["sql"] for q in queries if '"body"' in q["sql"]]
    assert len(body_reads) == 1  # the articles' query; claims never carry a body


@pytest.mark.django_db
def test_an_empty_database_has_nothing_to_check():
    out, error = verify()

    assert error is None
    assert out.strip() == "0 claims checked, 0 problems; 0 need review, 0 orphaned"

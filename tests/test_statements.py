"""The rows the door inserts without the ORM's compiler are the rows bulk_create stores."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article, Claim, DateMention, Passage, Topic
from articles.services import ingest_report
from tradewatch import statements

BODY = (
    "Negotiators met in Kuala Lumpur on Sunday, Oct. 26, and agreed a framework.\n\n"
    "The truce that expires on November 10 will be extended, officials said."
)


def a_report(title: str) -> Article:
    return ingest_report(
        title=title, outlet="Wire Desk", published=date(2025, 10, 27), body=BODY
    ).article


def stored(model, **match):
    """The stored rows of `model` matching `match`, without their own keys, in order."""
    return [
        {k: v for k, v in model_to_dict(row).items() if k not in ("id", *match)}
        for row in model.objects.filter(**match).order_by("pk")
    ]


def passages_of(article, offset=0):
    return [
        Passage(article=article, position=100 + offset + i, kind=kind, text=text, start=s, end=e)
        for i, (kind, text, s, e) in enumerate(
            [("heading", "Talks", 0, 5), (Passage.Kind.LIST_ITEM, "Soybeans again", 10, 24)]
        )
    ]


def mentions_of(claim, count):
    return [
        DateMention(
            claim=claim,
            text=f"November {n % 28 + 1}",
            start=n,
            end=n + len(f"November {n % 28 + 1}"),
            date_start=date(2025, 11, n % 28 + 1),
            date_end=date(2025, 11, n % 28 + 1),
            precision=DateMention.Precision.DAY,
            method="absolute",
            explanation=f"mention {n}",
        )
        for n in range(count)
    ]


def test_inserted_rows_are_the_rows_bulk_create_stores(db):
    one = a_report("One")
    other = ingest_report(
        title="Other", outlet="Wire Desk", published=date(2025, 10, 27), body=BODY + "\n\nMore."
    ).article
    by_orm, by_hand = passages_of(one), passages_of(other)
    Passage.objects.bulk_create(by_orm)
    statements.insert(Passage, by_hand)

    assert [p.pk for p in by_hand] == sorted(p.pk for p in by_hand)
    assert all(p.pk and not p._state.adding and p._state.db == "default" for p in by_hand)
    assert [Passage.objects.get(pk=p.pk).text for p in by_hand] == ["Talks", "Soybeans again"]
    orm_rows = [r for r in stored(Passage, article=one) if r["position"] >= 100]
    hand_rows = [r for r in stored(Passage, article=other) if r["position"] >= 100]
    assert hand_rows == orm_rows
    # An inserted row is a row like any other: other rows point at it.
    claim = one.claims.first()
    claim.passage = by_hand[1]
    claim.save()
    assert Claim.objects.get(pk=claim.pk).passage.text == "Soybeans again"


def test_many_rows_go_in_several_statements_in_order(db, monkeypatch):
    claim = a_report("One").claims.first()
    claim.mentions.all().delete()
    monkeypatch.setattr(statements, "MAX_PARAMETERS", 9 * 100)  # 100 mentions a statement
    rows = mentions_of(claim, 450)

    statements.insert(DateMention, rows)

    assert len({m.pk for m in rows}) == 450
    assert [
        (m.text, m.start, m.date_start, m.precision, m.explanation)
        for m in claim.mentions.order_by("pk")
    ] == [(m.text, m.start, m.date_start, m.precision, m.explanation) for m in rows]


def test_rows_past_what_every_database_takes_are_cut_by_the_connection_s_own_limit(db):
    # Up to ALWAYS_ALLOWED parameters go in one statement without asking the connection;
    # past that, its own limit cuts them (lowered here: SQLite's is set per connection).
    if connection.vendor != "sqlite":
        pytest.skip("the parameter limit is set per connection on SQLite only")
    import sqlite3

    claim = a_report("One").claims.first()
    claim.mentions.all().delete()
    connection.ensure_connection()
    raw = connection.connection
    limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 1800)  # 200 mentions a statement
    try:
        for rows, statements_made in ((statements.ALWAYS_ALLOWED // 9, 1), (450, 3)):
            with CaptureQueriesContext(connection) as ran:
                statements.insert(DateMention, mentions_of(claim, rows))
            inserts = [q for q in ran.captured_queries if q["sql"].startswith("INSERT")]
            assert len(inserts) == statements_made
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
    assert claim.mentions.count() == statements.ALWAYS_ALLOWED // 9 + 450


def test_topic_links_inserted_are_the_claim_s_topics(db):
    claim = a_report("One").claims.first()
    tagged = Claim.topics.through
    topics = [Topic.objects.create(slug=f"t{n}", name=f"Topic {n}") for n in range(3)]
    claim.topics.clear()

    statements.insert(tagged, [tagged(claim_id=claim.pk, topic_id=t.pk) for t in topics])

    assert set(Claim.objects.get(pk=claim.pk).topics.all()) == set(topics)


def test_links_written_are_the_links_add_makes(db, monkeypatch):
    one = a_report("One").claims.first()
    other = ingest_report(
        title="Other", outlet="Wire Desk", published=date(2025, 10, 27), body=BODY + "\n\nMore."
    ).claims[0]
    topics = [Topic.objects.create(slug=f"t{n}", name=f"Topic {n}") for n in range(5)]
    one.topics.clear()
    other.topics.clear()
    monkeypatch.setattr(statements, "MAX_PARAMETERS", 4)  # two links a statement

    one.topics.add(*topics)
    statements.link(Claim.topics.through, [(other.pk, t.pk) for t in topics])

    tagged = Claim.topics.through.objects.order_by("pk")
    # The links add() makes (in an order of its own), written in the order given.
    assert [t.topic_id for t in tagged.filter(claim=other)] == [t.pk for t in topics]
    assert set(Claim.objects.get(pk=other.pk).topics.all()) == set(one.topics.all())
    with pytest.raises(TypeError, match="a table Django made"):
        statements.link(Claim, [(1, 2)])


def test_what_the_database_fills_in_is_read_back_as_the_orm_reads_it(db):
    article = a_report("One")
    claim = Claim(article=article, sentence="Negotiators met in Kuala Lumpur", start=0, end=31)

    statements.insert(Claim, [claim])

    assert claim.created == Claim.objects.get(pk=claim.pk).created
    assert claim.created.tzinfo is not None  # a time, as a read gives it, not the raw text


def test_rows_already_saved_or_half_left_to_the_database_are_refused(db):
    article = a_report("One")
    with pytest.raises(ValueError, match="new rows only"):
        statements.insert(Claim, list(article.claims.all()))
    claims = [Claim(article=article, sentence="x"), Claim(article=article, sentence="y")]
    claims[1].created = article.created
    with pytest.raises(ValueError, match="created: set on some rows, left on others"):
        statements.insert(Claim, claims)
    assert article.claims.filter(sentence__in=["x", "y"]).count() == 0


def fields_read_as_they_are():
    """One of each field class insert() may read as it is, and a field of the project's
    models of each other kind it reads so, with the exact types of the values it reads
    so on this database."""
    from django.apps import apps
    from django.db import connection, models

    standalone = [cls(null=True) for cls in (*statements.UNCHANGED, *statements.INTEGERS)] + [
        models.CharField(max_length=20),
        models.BooleanField(),
    ]
    for n, field in enumerate(standalone):
        field.set_attributes_from_name(f"f{n}")
    project = [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if model._meta.app_label in ("articles", "timeline", "auth")
    ]
    seen = set()
    for field in standalone + project:
        types = statements.plain_types(field, type(connection.ops))
        # One field of each kind: what preparing it does depends on no more than this.
        kind = (type(field), field.null, types, type(getattr(field, "target_field", None)))
        if types and kind not in seen:
            seen.add(kind)
            yield field, types


VALUES = {
    str: st.text(),
    int: st.integers(min_value=-(2**63), max_value=2**63 - 1),
    bool: st.booleans(),
    type(None): st.none(),
}


@pytest.mark.parametrize(
    ("field", "types"), list(fields_read_as_they_are()), ids=lambda f: getattr(f, "name", "")
)
@given(data=st.data())
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
def test_what_insert_reads_as_it_is_is_what_get_db_prep_save_would_send(field, types, data):
    """insert() skips a field's preparation only where it would change nothing: for each
    type it reads as it is, the value get_db_prep_save makes of it is the value itself, of
    the same type."""
    from django.db import connection

    value = data.draw(st.one_of([VALUES[kind] for kind in sorted(types, key=str)]))
    row = SimpleNamespace(**{field.attname: value})
    prepared = field.get_db_prep_save(field.pre_save(row, True), connection)
    assert type(prepared) is type(value) and prepared == value

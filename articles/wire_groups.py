"""Wire groups in the database: a stored report joins the group of the reports it copies.

The fingerprints and the agency come from articles.pipeline.wire (no database); this module
reads the signatures of the reports published around the same days that share one of its
LSH bands (WireBand), and writes the group and its origin, with update() so derived fields
add no version to a report's history.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.db import connections
from django.db.models import Q

from tradewatch import statements

from .pipeline.wire import AGENCIES, WINDOW, agency_named, band_keys, signature, similar
from .signals import content_changed

# group()'s `signed` when the passages are not signed yet: it signs them.
UNSIGNED = object()


def group(article, passages: Iterable[str], *, model=None, bands=None, signed=UNSIGNED) -> None:
    """Fingerprint a stored article and put it in its wire group, or in none.

    Reads the signatures (never the bodies) of the reports published within WINDOW of
    it that share one of its LSH bands, and the groups they are in; merges the groups it
    bridges. Writes with update(), so derived fields make no new version in the
    article's history. `model` and `bands` are the Article and WireBand models (a
    migration passes its historical ones; one from before WireBand passes no `bands`, and
    every report of the window is compared). `signed`: the passages' signature, when it
    was made already (articles.analysts makes it ahead, with the analysis).
    """
    if model is None:
        from .models import Article as model
        from .models import WireBand as bands
    articles = model._default_manager
    one_at_a_time(articles.db)

    stored = signature(passages) if signed is UNSIGNED else signed
    keys = band_keys(stored) if stored is not None and bands is not None else []
    if bands is not None:
        if article.wire_signature is not None:
            bands._default_manager.filter(article=article).delete()
        store_bands(bands, article, keys, articles.db)
    agency = agency_named(
        article.body,
        byline=article.byline,
        outlet=article.outlet.name,
        datelines=[r["text"] for r in article.removed or [] if r.get("rule") == "dateline"],
    )
    before = article.wire_group
    groups, matches = {}, {}
    if stored is not None:
        rows = near_signatures(model, bands, article, keys, articles.db)
        groups = {pk: key for pk, _, key in rows}
        matches = similar(stored, ((pk, sig) for pk, sig, _ in rows))
    # The most similar first: its group decides when the report names no agency.
    ranked = sorted(matches, key=lambda pk: (-matches[pk], pk))
    touched = {groups[pk] for pk in ranked if groups[pk]}
    key = agency
    if not key:
        key = next((groups[pk] for pk in ranked if groups[pk] in AGENCIES), "")
    if not key:
        key = next((groups[pk] for pk in ranked if groups[pk]), "")
    if not key and ranked:
        key = f"copy-{article.content_hash[:12]}"
    # Copies bridged by this report become one group; an agency's group keeps its name.
    merged = {k for k in touched if k != key and k not in AGENCIES}
    alone = [pk for pk in ranked if not groups[pk]]
    if key and (alone or merged):
        articles.filter(Q(pk__in=alone) | Q(wire_group__in=merged)).update(wire_group=key)
    # A report in no group is no origin; in one, mark_origin() below decides.
    article.wire_signature, article.agency, article.wire_group = stored, agency, key
    article.wire_origin = False
    with connections[articles.db].cursor() as cursor:
        mark = _statements(articles.db, model).mark
        cursor.execute(mark, [stored, agency, key, False, article.pk])
    if before and before != key:
        mark_origin(before, model=model)
    if key:
        origin = mark_origin(key, model=model)
        # As mark_origin() left it: the group's origin, or in no group once it is dissolved.
        article.wire_origin = origin == article.pk
        if origin is None:
            article.wire_group = ""


def store_bands(bands, article, keys: list[int], using: str) -> None:
    """A report's band keys, with its publication day, in one INSERT written by hand: as
    model rows through bulk_create they cost some 0.5 ms a report, ten times the
    statement."""
    if not keys:
        return
    db = connections[using]
    published = bands._meta.get_field("published").get_db_prep_save(article.published, db)
    with db.cursor() as cursor:
        cursor.execute(
            statements.insert_sql(db, bands, ["article", "key", "published"], len(keys)),
            [value for key in keys for value in (article.pk, key, published)],
        )


# Names the PostgreSQL advisory lock that one_at_a_time() takes (any 64-bit number will do,
# as long as nothing else in the database uses it).
WIRE_LOCK = 0x7472_6164_6577_6972  # "tradewir"


def one_at_a_time(using: str) -> None:
    """Wait until no other transaction is grouping a report, and keep the others waiting
    until this one ends. Two copies ingested at the same moment would otherwise each look
    for the other before it was committed, find nothing, and stay two sources. SQLite
    needs no lock: a transaction that has written holds its only write lock already, so
    nothing else commits while it reads."""
    db = connections[using]
    if db.vendor == "postgresql":
        with db.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WIRE_LOCK])


def mark_origin(key: str, *, model=None):
    """The earliest published report of a group is its origin. A copy group left with
    one report is no group (an agency's stays: the report is still the agency's copy).
    Returns the origin's pk, or None when the group is empty or no longer one."""
    if model is None:
        from .models import Article as model

    using = model._default_manager.db
    sql = _statements(using, model)
    with connections[using].cursor() as cursor:
        cursor.execute(sql.first_two, [key])
        ordered = [pk for (pk,) in cursor.fetchall()]
        if len(ordered) == 1 and key not in AGENCIES:
            cursor.execute(sql.dissolve, [False, key])
            return None
        if not ordered:
            return None
        # Only the rows whose mark changes: a group of hundreds of copies gains one report
        # at a time, and its origin seldom moves.
        cursor.execute(sql.origin, [ordered[0], key, ordered[0]])
    return ordered[0]


def near_signatures(model, bands, article, keys: list[int], using: str) -> list[tuple]:
    """(pk, signature, group) of the other signed reports published within WINDOW of
    `article`; with `bands`, only those that share one of its band `keys`, read by the
    bands' own days: a key shared by months of copies is read only for the copies of
    these weeks (the index on key and day)."""
    db = connections[using]
    first, last = (
        db.ops.adapt_datefield_value(article.published + sign * WINDOW) for sign in (-1, 1)
    )
    params = [article.pk, first, last]
    if bands is not None:
        params += [*keys, first, last]
    with db.cursor() as cursor:
        cursor.execute(_near_sql(using, model, bands, len(keys)), params)
        return cursor.fetchall()


# Grouping runs for every report ingested; its statements are written out once (the
# ORM took longer to build each than the database took to run it).


@dataclass(frozen=True)
class _Statements:
    mark: str  # the report's own signature, agency and group; no origin yet
    first_two: str  # a group's two earliest reports
    dissolve: str  # a group of one is no group
    origin: str  # the origin marked, and only the rows whose mark changes


@lru_cache(maxsize=16)
def _statements(using: str, model) -> _Statements:
    db = connections[using]
    table = statements.table(db, model)
    pk, signed, agency, group, origin, published = statements.columns(
        db, model, "pk", "wire_signature", "agency", "wire_group", "wire_origin", "published"
    )
    return _Statements(
        mark=f"UPDATE {table} SET {signed} = %s, {agency} = %s, {group} = %s,"
        f" {origin} = %s WHERE {pk} = %s",
        first_two=f"SELECT {pk} FROM {table} WHERE {group} = %s ORDER BY {published}, {pk} LIMIT 2",
        dissolve=f"UPDATE {table} SET {group} = '', {origin} = %s WHERE {group} = %s",
        origin=f"UPDATE {table} SET {origin} = ({pk} = %s)"
        f" WHERE {group} = %s AND {origin} <> ({pk} = %s)",
    )


@lru_cache(maxsize=64)
def _near_sql(using: str, model, bands, keys: int) -> str:
    db = connections[using]
    pk, signed, group, published = statements.columns(
        db, model, "pk", "wire_signature", "wire_group", "published"
    )
    sql = (
        f"SELECT {pk}, {signed}, {group} FROM {statements.table(db, model)}"
        f" WHERE {pk} <> %s AND {signed} IS NOT NULL AND {published} BETWEEN %s AND %s"
    )
    if bands is None:
        return sql
    article, key, day = statements.columns(db, bands, "article", "key", "published")
    return (
        f"{sql} AND {pk} IN (SELECT {article} FROM {statements.table(db, bands)}"
        f" WHERE {key} IN ({statements.placeholders(keys)}) AND {day} BETWEEN %s AND %s)"
    )


def regroup(*, model=None, passage_model=None, bands=None) -> int:
    """Group every stored report again, in publication order, as if each had just been
    ingested (after a change to the thresholds, or to repair groups); its bands are
    written again with it. Returns how many reports were read. Call it inside a
    transaction: readers never see groups half-made."""
    if model is None:
        from .models import Article as model
        from .models import Passage as passage_model
        from .models import WireBand as bands

    model._default_manager.update(wire_group="", wire_origin=False, agency="")
    count = 0
    ordered = model._default_manager.select_related("outlet").order_by("published", "pk")
    for article in ordered.iterator(chunk_size=200):
        article.wire_group = ""
        passages = (
            passage_model._default_manager.filter(article=article)
            .exclude(kind="heading")
            .order_by("position")
            .values_list("text", flat=True)
        )
        group(article, list(passages), model=model, bands=bands)
        count += 1
    content_changed.send(sender=model)  # queryset updates send no model signal
    return count

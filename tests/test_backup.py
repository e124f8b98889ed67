"""Backups (docs/backups.md): the portable dump survives a restore into an empty database.

The portable path is `dumpdata --natural-foreign --natural-primary` then, on an empty,
migrated database, `loaddata`. It runs on SQLite and on PostgreSQL alike. The native path
(`pg_dump -Fc` / `pg_restore`) is checked on PostgreSQL only.

These tests commit (transactional_db): dumpdata, flush and pg_dump must see real rows.
"""

import difflib
import gzip
import json
import os
import re
import shutil
import subprocess
import uuid
from datetime import date, datetime

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from simple_history.models import registered_models
from simple_history.utils import get_history_model_for_model

from articles.models import Article, Claim, DateMention
from articles.services import add_claim, ingest_report
from timeline.linking import decide
from timeline.models import ContentVersion, Event, Evidence
from timeline.permissions import EDITORS

pytestmark = pytest.mark.django_db(transaction=True)

# What docs/backups.md excludes: rows `migrate` makes again (content types, permissions)
# and sessions (logins are not worth keeping). Admin log entries and history are kept.
EXCLUDE = ["contenttypes", "auth.permission", "sessions"]

# Models compared by natural key below instead of row by row (their primary keys are
# not part of the dump, or point at rows migrate recreates).
BY_NATURAL_KEY = {
    "contenttypes.ContentType",
    "auth.Permission",
    "auth.Group",
    "auth.Group_permissions",
    "auth.User",
    "auth.User_groups",
    "auth.User_user_permissions",
    "sessions.Session",
    "admin.LogEntry",
}

FIRST = (
    "Officials from both countries held talks on Sunday in Kuala Lumpur.\n\n"
    "The delegations stayed in a hotel near the river.\n\n"
    "“We have a framework,” Bessent said after the meeting.\n"
)
# The same report corrected: a paragraph added before the editor's sentence moves it.
CORRECTED = (
    "Officials from both countries held talks on Sunday in Kuala Lumpur.\n\n"
    "Correction: an earlier version misnamed the venue.\n\n"
    "The delegations stayed in a hotel near the river.\n\n"
    "“We have a framework,” Bessent said after the meeting.\n"
)
EXTRA_URL = "https://example.org/backup-test/kl-talks"


def quiet():
    return open(os.devnull, "w")


def dump(path):
    call_command(
        "dumpdata",
        natural_foreign=True,
        natural_primary=True,
        exclude=EXCLUDE,
        indent=0,
        output=str(path),
        verbosity=0,
        stdout=quiet(),
    )


def restore(path):
    """The database emptied as a fresh `migrate` leaves it, then the dump loaded."""
    call_command("flush", interactive=False, verbosity=0, stdout=quiet())
    ContentType.objects.clear_cache()
    call_command("loaddata", str(path), verbosity=0, stdout=quiet())


def build(django_user_model):
    """The seed, one more report an editor corrected and added a claim to, an admin log."""
    call_command("seed", stdout=quiet())
    erin = django_user_model.objects.create_user("erin", password="not-a-real-password")
    erin.is_staff = True
    erin.save()
    erin.groups.add(Group.objects.get(name=EDITORS))
    fields = dict(
        title="Talks in Kuala Lumpur",
        outlet="Backup Wire",
        url=EXTRA_URL,
        published=date(2025, 10, 27),
        source_name="backup-test.txt",
        user=erin,
    )
    article = ingest_report(body=FIRST, **fields).article
    claim = add_claim(article=article, sentence="The delegations stayed in a hotel near the river.")
    assert ingest_report(body=CORRECTED, **fields).status == "updated"
    claim.refresh_from_db()
    assert (claim.origin, claim.anchor_state) == ("editor", "relocated")
    # The linker suggested an event for the Sunday talks; the editor accepts it, so the
    # new report is on the timeline.
    evidence = Evidence.objects.filter(claim__article=article).first()
    assert evidence is not None
    decide([evidence], Evidence.State.ACCEPTED)
    # An edit as the admin makes it: the history records who made it.
    event = Event.objects.get(slug="geneva-truce")
    event.summary += " Edited by Erin."
    event._history_user = erin
    event.save()
    LogEntry.objects.create(
        user=erin,
        content_type=ContentType.objects.get_for_model(Claim),
        object_id=str(claim.pk),
        object_repr=str(claim),
        action_flag=CHANGE,
        change_message="added a claim",
    )
    return article, claim


def ms(value):
    """JSON dumps keep datetimes to the millisecond (Django's serializer cuts the rest)."""
    if isinstance(value, datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def rows(model, usernames):
    """Every row of a model by primary key; user references by username.

    Many-to-many link rows are dumped as lists on their owner and get new ids on loading:
    they are compared as sets of pairs.
    """
    if model._meta.auto_created:
        fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        return sorted(model._base_manager.values_list(*fields))
    out = []
    for row in model._base_manager.order_by("pk").values():
        for field in model._meta.concrete_fields:
            value = row[field.attname]
            if field.is_relation and field.related_model is get_user_model():
                value = usernames.get(value)
            row[field.attname] = ms(value)
        out.append(row)
    return out


def snapshot():
    """What a reader and an editor would notice, then every row of every kept table."""
    usernames = dict(get_user_model().objects.values_list("pk", "username"))
    claims = [
        (
            c.pk,
            c.article.slug,
            c.sentence,
            c.start,
            c.end,
            c.selector_prefix,
            c.selector_suffix,
            c.anchor_state,
            c.origin,
            c.passage.position if c.passage else None,
            c.passage_offsets,
            sorted(t.slug for t in c.topics.all()),
        )
        for c in Claim.objects.select_related("article", "passage").order_by("pk")
    ]
    shown = {}
    for e in Event.objects.sourced().on_timeline():
        shown[e.slug] = sorted(ev.pk for ev in e.evidence.all())
    tables = {
        model._meta.label: rows(model, usernames)
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy
        and model._meta.label not in BY_NATURAL_KEY
        # The page cache's key, not content: loading a dump moves it on, as any change does.
        and model is not ContentVersion
    }
    return {
        "timeline": list(shown.items()),
        "claims": claims,
        "mentions": list(
            DateMention.objects.order_by("pk").values_list(
                "claim", "text", "start", "end", "date_start", "date_end", "precision", "method"
            )
        ),
        "evidence": list(
            Evidence.objects.order_by("pk").values_list(
                "event__slug", "claim__sentence", "state", "stance", "mention__text", "note"
            )
        ),
        "events": list(
            Event.objects.order_by("pk").values_list(
                "slug", "title", "start", "end", "precision", "status", "place", "summary"
            )
        ),
        "users": sorted(
            (u.username, u.password, u.is_staff, sorted(g.name for g in u.groups.all()))
            for u in get_user_model().objects.all()
        ),
        "groups": sorted(
            (g.name, sorted(g.permissions.values_list("content_type__app_label", "codename")))
            for g in Group.objects.all()
        ),
        "admin log": sorted(
            (e.user.username, e.content_type.natural_key(), e.object_id, e.change_message)
            for e in LogEntry.objects.select_related("user", "content_type")
        ),
        "counts": {
            m._meta.label: m._base_manager.count()
            for m in apps.get_models(include_auto_created=True)
            if not m._meta.proxy and m._meta.label not in ("sessions.Session",)
        },
        "tables": tables,
    }


CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
# A <time datetime="…"> shows a timestamp to the microsecond, the JSON dump keeps it to the
# millisecond (docs/backups.md): compare such attributes to the millisecond.
MICROSECONDS = re.compile(rb'(datetime="[^"]*\.\d{3})\d{3}')


def pages(client, paths):
    out = {}
    for path in paths:
        response = client.get(path)
        body = MICROSECONDS.sub(rb"\1", CSRF.sub(b"csrf", response.content))
        out[path] = (response.status_code, body)
    return out


def test_dumpdata_then_loaddata_into_an_empty_database_gives_back_the_same_site(
    client, django_user_model, pinned_today, tmp_path
):
    article, claim = build(django_user_model)
    event = Event.objects.sourced().order_by("start").first()
    paths = [
        "/",
        "/?q=Busan",
        event.get_absolute_url(),
        article.get_absolute_url(),
        Article.objects.exclude(pk=article.pk).first().get_absolute_url(),
        "/articles/",
        "/coverage/",
    ]
    before, html_before = snapshot(), pages(client, paths)
    assert all(status == 200 for status, _ in html_before.values())
    assert f'id="claim-{claim.pk}"'.encode() in html_before[article.get_absolute_url()][1]

    backup = tmp_path / "backup.json.gz"
    dump(backup)
    with gzip.open(backup, "rt", encoding="utf-8") as f:
        dumped = {row["model"] for row in json.load(f)}
    assert {"articles.claim", "timeline.evidence", "auth.user", "admin.logentry"} <= dumped
    assert not dumped & {"contenttypes.contenttype", "auth.permission", "sessions.session"}
    # The edit history (django-simple-history) is part of the backup.
    history = [get_history_model_for_model(m)._meta.label for m in registered_models.values()]
    assert history, "no model keeps a history"
    assert {label.lower() for label in history if before["counts"][label]} <= dumped

    call_command("flush", interactive=False, verbosity=0, stdout=quiet())
    assert not Article.objects.exists() and not Event.objects.exists()
    restore(backup)

    after = snapshot()
    for key in before:
        assert after[key] == before[key], key
    html_after = pages(client, paths)
    assert Event.history.filter(history_user__username="erin", slug="geneva-truce").exists()

    # Sequences were moved past the restored rows: new rows get new keys.
    extra = ingest_report(
        title="After the restore",
        outlet="Backup Wire",
        published=date(2025, 10, 28),
        body="Officials said on Monday that talks would resume in Busan.",
    )
    assert extra.status == "created" and extra.article.pk > article.pk
    assert max(c.pk for c in extra.claims) > claim.pk

    # Byte for byte: pages never depend on the order rows lie on disk (which a restore
    # changes on PostgreSQL), so every ordering they use ends with a unique key.
    for path in paths:
        assert html_after[path] == html_before[path], page_diff(path, html_before, html_after)


def page_diff(path, before, after) -> str:
    (status_a, a), (status_b, b) = before[path], after[path]
    lines = difflib.unified_diff(
        a.decode().splitlines(), b.decode().splitlines(), "before", "after", lineterm="", n=1
    )
    return f"{path} changed ({status_a} → {status_b}):\n" + "\n".join(list(lines)[:40])


def pg_params():
    s = connection.settings_dict
    args = ["-h", s["HOST"] or "127.0.0.1", "-p", str(s["PORT"] or 5432), "-U", s["USER"]]
    env = os.environ | ({"PGPASSWORD": s["PASSWORD"]} if s["PASSWORD"] else {})
    return args, env


def pg_state(dbname):
    """Row counts of every table and every claim's offsets, read with psycopg directly."""
    import psycopg

    s = connection.settings_dict
    with psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname=dbname,
        autocommit=True,
    ) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        claims = conn.execute(
            'SELECT id, article_id, passage_id, start, "end", sentence, anchor_state '
            "FROM articles_claim ORDER BY id"
        ).fetchall()
        sequences = conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1"
        ).fetchall()
    return {"counts": counts, "claims": claims, "sequences": sequences}


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_pg_dump_and_pg_restore_into_a_fresh_database(django_user_model, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore: PostgreSQL only")
    build(django_user_model)
    source = connection.settings_dict["NAME"]
    target = f"{source}_restore_{uuid.uuid4().hex[:8]}"
    args, env = pg_params()
    archive = tmp_path / "backup.dump"

    subprocess.run(["pg_dump", *args, "-Fc", "-f", str(archive), source], env=env, check=True)
    subprocess.run(["createdb", *args, target], env=env, check=True)
    try:
        subprocess.run(
            ["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "-d", target]
            + [str(archive)],
            env=env,
            check=True,
            capture_output=True,
        )
        before, after = pg_state(source), pg_state(target)
    finally:
        subprocess.run(["dropdb", *args, "--if-exists", "--force", target], env=env, check=True)

    assert before["counts"]["articles_claim"] == Claim.objects.count() > 0
    assert before["counts"]["timeline_evidence"] == Evidence.objects.count() > 0
    assert after == before
